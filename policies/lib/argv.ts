/**
 * A container's argv is `entrypoints` followed by `command` (Docker's ENTRYPOINT + CMD). Shell forms
 * (`sh -c "vllm serve …"`) are split on whitespace into tokens, so flags inside a shell string are found too;
 * a shell string that expands or substitutes (`$X`, `$(…)`, backticks, `eval`, escapes) cannot be read.
 */
import * as path from "node:path";
import { type VllmOption, parseShell, readVllmOptions, vllmFlagValues } from "@airlock/baseline";

const SHELLS = ["sh", "bash", "dash", "zsh", "ash", "ksh", "busybox"];

/** A file pulumi-docker writes into the container before it starts (`uploads[]`). */
export interface Upload {
    readonly file?: unknown;
    readonly content?: unknown;
    readonly contentBase64?: unknown;
}

/** What an upload holds as text, or `undefined` when it comes from a host file (`source`) the pack cannot read. */
function uploadText(u: Upload): string | undefined {
    if (typeof u.content === "string") return u.content;
    if (typeof u.contentBase64 === "string") return Buffer.from(u.contentBase64, "base64").toString("utf8");
    return undefined;
}

const SHEBANG_SHELL = /^#!\s*(\S*\/)?(env\s+)?(sh|bash|dash|ash|ksh|zsh)\b/;

/**
 * `[...entrypoints, ...command]` (absent = empty). When the command runs a script the program itself uploads
 * (`["sh", "/opt/start.sh"]`, or the uploaded file itself when it starts with a shell `#!`), the argv is read as
 * that script's shell form (`["sh", "-c", <script>]`), so what the script starts and sets is read like any command.
 */
export function argvOf(c: { readonly entrypoints?: readonly unknown[]; readonly command?: readonly unknown[]; readonly uploads?: readonly Upload[] }): string[] {
    const argv = [...(c.entrypoints ?? []), ...(c.command ?? [])].map((a) => (typeof a === "string" ? a : String(a)));
    const uploads = c.uploads ?? [];
    if (uploads.length === 0) return argv;
    const uploaded = (file: string | undefined): string | undefined => {
        if (file === undefined) return undefined;
        const u = uploads.find((x) => typeof x.file === "string" && path.posix.normalize(x.file) === path.posix.normalize(file));
        return u === undefined ? undefined : uploadText(u);
    };
    if (isProgram(argv[0], ...SHELLS) && shellScript(argv) === undefined) {
        // `sh [-eux…] <file> [args…]`: the shell reads the file.
        const at = argv.findIndex((a, i) => i > 0 && !a.startsWith("-"));
        const script = uploaded(argv[at]);
        if (script !== undefined) return [argv[0]!, "-c", script];
    }
    const script = uploaded(argv[0]);
    if (script !== undefined && SHEBANG_SHELL.test(script)) return ["sh", "-c", script];
    return argv;
}

/** Whitespace-split tokens of every argv element, with surrounding quotes removed. */
export function tokensOf(argv: readonly string[]): string[] {
    return argv.flatMap((a) => a.split(/\s+/)).map((t) => t.replace(/^["']+|["';]+$/g, "")).filter((t) => t.length > 0);
}

export const isProgram = (token: string | undefined, ...names: string[]): boolean =>
    token !== undefined && names.includes(path.posix.basename(token));

/** The script of a shell form (`sh -c "<script>"`), or `undefined` for an exec form. */
export function shellScript(argv: readonly string[]): string | undefined {
    const i = argv.findIndex((a, k) => isProgram(a, ...SHELLS) && argv.slice(k + 1).some((x) => /^-[a-z]*c[a-z]*$/.test(x)));
    if (i < 0) return undefined;
    const c = argv.findIndex((x, k) => k > i && /^-[a-z]*c[a-z]*$/.test(x));
    return argv.slice(c + 1).join(" ");
}

/** Why a shell script cannot be read statically (expansion, substitution, eval, escapes), or `undefined`. */
export function opaqueShellReason(script: string): string | undefined {
    if (/\$\(|`/.test(script)) return "command substitution";
    if (/\$[A-Za-z_{0-9@*#?!$-]/.test(script)) return "parameter expansion";
    if (/(^|[\s;&|(])(eval|source|\.)\s/.test(script)) return "eval/source";
    if (/\\(x[0-9a-fA-F]|[0-7]{1,3}|u[0-9a-fA-F])/.test(script) || /\$'/.test(script)) return "escape sequences";
    return undefined;
}

/** Index of the token after `<program> <subcommand>` (e.g. `vllm serve`), or -1. */
export function afterSubcommand(tokens: readonly string[], programs: readonly string[], sub: string): number {
    const i = tokens.findIndex((t, j) => t === sub && isProgram(tokens[j - 1], ...programs));
    return i < 0 ? -1 : i + 1;
}

/** The options of a vLLM argv, read as vLLM's parser reads them (see @airlock/baseline readVllmOptions). */
export function vllmOptionsOf(tokens: readonly string[]): VllmOption[] {
    return readVllmOptions(tokens);
}

/**
 * The models a vLLM argv serves: the positional after `vllm serve` and every `--model` value (any spelling). With
 * `imageEntrypoint` (no `entrypoints` set on a vLLM image, whose ENTRYPOINT is `vllm serve`), the first
 * `command` element is the positional. Empty when none is given (vLLM then downloads its default hub model).
 */
export function servedModels(argv: readonly string[], imageEntrypoint: { readonly command: readonly string[] } | undefined): string[] {
    const tokens = tokensOf(argv);
    const models = vllmFlagValues(readVllmOptions(tokens), "--model");
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

/** Every value of `flag` (`--flag value` or `--flag=value`); a trailing `--flag` without value yields "". */
export function flagValues(tokens: readonly string[], flag: string): string[] {
    const out: string[] = [];
    tokens.forEach((t, i) => {
        if (t === flag) out.push(tokens[i + 1] ?? "");
        else if (t.startsWith(`${flag}=`)) out.push(t.slice(flag.length + 1));
    });
    return out;
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

/** A change a command line makes to the environment its program starts with. */
export type EnvChange =
    | { readonly kind: "set"; readonly key: string; readonly value: string | undefined }
    | { readonly kind: "unset"; readonly key: string }
    | { readonly kind: "clear" };

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/;

/** `env [-i] [-u NAME] [-S STRING] [NAME=VALUE]… COMMAND` wrappers among `words` (coreutils and busybox env). */
function envWrapperChanges(words: readonly (string | undefined)[], out: EnvChange[]): void {
    for (let i = 0; i < words.length; i++) {
        if (!isProgram(words[i], "env")) continue;
        const rest = [...words.slice(i + 1)];
        let j = 0;
        for (; j < rest.length; j++) {
            const w = rest[j];
            if (w === undefined) break;
            const split = w === "-S" || w === "--split-string" ? rest[j + 1] : w.startsWith("--split-string=") ? w.slice(15) : /^-S./.test(w) ? w.slice(2) : undefined;
            if (split !== undefined) {
                rest.splice(j + 1, w === "-S" || w === "--split-string" ? 1 : 0, ...split.split(/\s+/).filter((x) => x !== ""));
                continue;
            }
            const unset = w === "-u" || w === "--unset" ? rest[++j] : w.startsWith("--unset=") ? w.slice(8) : /^-u./.test(w) ? w.slice(2) : undefined;
            if (unset !== undefined) out.push({ kind: "unset", key: unset });
            else if (w === "-" || w === "--ignore-environment" || /^-[0v]*i[0v]*$/.test(w)) out.push({ kind: "clear" });
            else if (w === "-C" || w === "--chdir") j++;
            else if (w.startsWith("-")) continue;
            else {
                const m = ASSIGNMENT.exec(w);
                if (!m) break;
                out.push({ kind: "set", key: m[1]!, value: m[2]! });
            }
        }
        i += j;
    }
}

/**
 * What the command line does to the environment before the program runs, in order: `env` wrappers of an exec form
 * (`["env", "HF_HUB_OFFLINE=0", "vllm", "serve"]`), and in a shell form (`sh -c "…"`, read with the shell reader)
 * prefix assignments (`HF_HUB_OFFLINE=0 exec vllm serve`), `export`/`declare`/`readonly`/`local NAME=VALUE`,
 * `unset NAME` and `env` wrappers. A value the shell computes at run time is `undefined` (unverifiable).
 */
export function argvEnvChanges(argv: readonly string[]): EnvChange[] {
    const out: EnvChange[] = [];
    const script = shellScript(argv);
    const shellAt = script === undefined ? argv.length : argv.findIndex((a) => isProgram(a, ...SHELLS));
    envWrapperChanges(argv.slice(0, shellAt), out);
    if (script === undefined) return out;
    for (const cmd of parseShell(script).commands) {
        const words = cmd.words.map((w) => w.value);
        for (const a of cmd.assignments) out.push({ kind: "set", key: a.name, value: a.value.value });
        const head = words[0] === undefined ? undefined : path.posix.basename(words[0]);
        if (head === "export" || head === "declare" || head === "typeset" || head === "readonly" || head === "local") {
            for (const w of words.slice(1)) {
                const m = w === undefined ? null : ASSIGNMENT.exec(w);
                if (m) out.push({ kind: "set", key: m[1]!, value: m[2]! });
            }
        } else if (head === "unset") {
            for (const w of words.slice(1)) if (w !== undefined && !w.startsWith("-")) out.push({ kind: "unset", key: w });
        } else {
            envWrapperChanges(words, out);
        }
    }
    return out;
}
