/**
 * A container's argv is `entrypoints` followed by `command` (Docker's ENTRYPOINT + CMD). Shell forms
 * (`sh -c "vllm serve …"`) are split on whitespace into tokens, so flags inside a shell string are found too.
 */
import * as path from "node:path";

/** `[...entrypoints, ...command]` (absent = empty). */
export function argvOf(c: { readonly entrypoints?: readonly unknown[]; readonly command?: readonly unknown[] }): string[] {
    return [...(c.entrypoints ?? []), ...(c.command ?? [])].map((a) => (typeof a === "string" ? a : String(a)));
}

/** Whitespace-split tokens of every argv element, with surrounding quotes removed. */
export function tokensOf(argv: readonly string[]): string[] {
    return argv.flatMap((a) => a.split(/\s+/)).map((t) => t.replace(/^["']+|["';]+$/g, "")).filter((t) => t.length > 0);
}

/** Whether `flag` appears as `--flag` or `--flag=…`. */
export function hasFlag(tokens: readonly string[], flag: string): boolean {
    return tokens.some((t) => t === flag || t.startsWith(`${flag}=`));
}

/** Every value of `flag` (`--flag value` or `--flag=value`); a trailing `--flag` without value yields "". */
export function flagValues(tokens: readonly string[], flag: string): string[] {
    const out: string[] = [];
    tokens.forEach((t, i) => {
        if (t === flag) out.push(tokens[i + 1] ?? "");
        else if (t.startsWith(`${flag}=`)) out.push(t.slice(flag.length + 1));
    });
    return out;
}

const isProgram = (token: string | undefined, ...names: string[]): boolean =>
    token !== undefined && names.includes(path.posix.basename(token));

/** Index of the token after `<program> <subcommand>` (e.g. `vllm serve`, `hf download`), or -1. */
function afterSubcommand(tokens: readonly string[], programs: readonly string[], sub: string): number {
    const i = tokens.findIndex((t, j) => t === sub && isProgram(tokens[j - 1], ...programs));
    return i < 0 ? -1 : i + 1;
}

/** Whether the argv starts vLLM's server: `vllm serve`, `python -m vllm.entrypoints…`, or any `--model`. */
export function isVllmServeArgv(argv: readonly string[]): boolean {
    const tokens = tokensOf(argv);
    return afterSubcommand(tokens, ["vllm"], "serve") >= 0
        || tokens.some((t) => t.startsWith("vllm.entrypoints"))
        || hasFlag(tokens, "--model");
}

/**
 * The models a vLLM argv serves: the positional after `vllm serve` and every `--model` value. With
 * `imageEntrypoint` (no `entrypoints` set on a vLLM image, whose ENTRYPOINT is `vllm serve`), the first
 * `command` element is the positional. Empty when none is given (vLLM then downloads its default hub model).
 */
export function servedModels(argv: readonly string[], imageEntrypoint: { readonly command: readonly string[] } | undefined): string[] {
    const tokens = tokensOf(argv);
    const models = flagValues(tokens, "--model");
    const at = afterSubcommand(tokens, ["vllm"], "serve");
    const positional = at >= 0 ? tokens[at] : imageEntrypoint ? tokensOf(imageEntrypoint.command)[0] : undefined;
    if (positional !== undefined && !positional.startsWith("-")) models.unshift(positional);
    return models;
}

/** A Hugging Face download in argv: `hf download <repo> …` or `huggingface-cli download <repo> …`. */
export interface HubDownload {
    /** The repo id, or undefined when the token after `download` is a flag. */
    readonly repo: string | undefined;
    /** `--revision` values (empty when not pinned). */
    readonly revisions: readonly string[];
}

export function hubDownloads(argv: readonly string[]): HubDownload[] {
    const tokens = tokensOf(argv);
    const out: HubDownload[] = [];
    tokens.forEach((t, i) => {
        if (t === "download" && isProgram(tokens[i - 1], "hf", "huggingface-cli")) {
            const next = tokens[i + 1];
            out.push({ repo: next !== undefined && !next.startsWith("-") ? next : undefined, revisions: flagValues(tokens.slice(i), "--revision") });
        }
    });
    return out;
}
