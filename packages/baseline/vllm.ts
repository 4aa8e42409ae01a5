/**
 * The vLLM argv builder. The server always gets a local path (phase 2 of the airlock), never a hub id; the
 * API key never appears in argv (it is read from {@link VLLM_API_KEY_ENV}, fed from a secret).
 */
import { localModelPath } from "./model-path";
import { unsafeIdentifierReason } from "./identifiers";

export const VLLM_DTYPES = ["auto", "half", "float16", "bfloat16", "float", "float32"] as const;
export type VllmDtype = (typeof VLLM_DTYPES)[number];

export const VLLM_QUANTIZATIONS = [
    "awq", "awq_marlin", "gptq", "gptq_marlin", "fp8", "bitsandbytes", "compressed-tensors", "gguf",
] as const;
export type VllmQuantization = (typeof VLLM_QUANTIZATIONS)[number];

/** The port vLLM listens on inside the container unless configured otherwise. */
export const VLLM_DEFAULT_PORT = 8000;

/** The unauthenticated liveness endpoint of vLLM's OpenAI-compatible server. */
export const VLLM_HEALTH_PATH = "/health";

/** Served options of a model (all optional: vLLM's defaults apply when unset). */
export interface ServingOptions {
    readonly maxModelLen?: number;
    readonly gpuMemoryUtilization?: number;
    readonly tensorParallelSize?: number;
    readonly dtype?: VllmDtype;
    readonly quantization?: VllmQuantization;
}

export interface VllmArgvInput {
    /** Hub id of the staged model; served from its local path. */
    readonly hubId: string;
    /** Name clients send as `model` in requests. */
    readonly servedModelName: string;
    /** Hub id of a separately staged tokenizer, served from its local path. */
    readonly tokenizerHubId?: string;
    readonly port: number;
    /** Address to bind inside the container. @default "0.0.0.0" (the container sits on an internal network only) */
    readonly host?: string;
    readonly options?: ServingOptions;
    /** Only for an allow-listed model at a pinned revision (checked by the config schema). */
    readonly trustRemoteCode?: boolean;
}

/**
 * The full argv `vllm serve <local path> …`. Throws on an unsafe identifier: callers validate earlier,
 * this is the last line of defence before a value reaches a command line.
 */
export function buildVllmArgv(input: VllmArgvInput): string[] {
    for (const [field, value] of [["hubId", input.hubId], ["servedModelName", input.servedModelName],
        ["tokenizerHubId", input.tokenizerHubId], ["host", input.host]] as const) {
        const reason = value === undefined ? undefined : unsafeIdentifierReason(value);
        if (reason) throw new Error(`buildVllmArgv: ${field} ${JSON.stringify(value)} ${reason}`);
    }
    const argv = [
        "vllm", "serve", localModelPath(input.hubId),
        "--served-model-name", input.servedModelName,
        "--host", input.host ?? "0.0.0.0",
        "--port", String(input.port),
    ];
    if (input.tokenizerHubId !== undefined) argv.push("--tokenizer", localModelPath(input.tokenizerHubId));
    const o = input.options ?? {};
    if (o.maxModelLen !== undefined) argv.push("--max-model-len", String(o.maxModelLen));
    if (o.gpuMemoryUtilization !== undefined) argv.push("--gpu-memory-utilization", String(o.gpuMemoryUtilization));
    if (o.tensorParallelSize !== undefined) argv.push("--tensor-parallel-size", String(o.tensorParallelSize));
    if (o.dtype !== undefined) argv.push("--dtype", o.dtype);
    if (o.quantization !== undefined) argv.push("--quantization", o.quantization);
    if (input.trustRemoteCode === true) argv.push("--trust-remote-code");
    return argv;
}

/**
 * The vLLM flags the baseline reads, with whether they take a value. vLLM's argument parser
 * (FlexibleArgumentParser) turns `_` into `-` in a long option's name, and argparse accepts any unambiguous
 * prefix of a long option (`--trust-remote` is `--trust-remote-code`), so every spelling is read as vLLM does.
 */
export const VLLM_FLAGS = {
    "--model": { value: true },
    "--served-model-name": { value: true },
    "--tokenizer": { value: true },
    "--revision": { value: true },
    "--tokenizer-revision": { value: true },
    "--trust-remote-code": { value: false },
    "--api-key": { value: true },
    /** A YAML file of further arguments, which the pack cannot read. */
    "--config": { value: true },
    "--enable-tokenizer-info-endpoint": { value: false },
    "--profiler-config": { value: true },
    "--host": { value: true },
    "--port": { value: true },
} as const;
export type VllmFlag = keyof typeof VLLM_FLAGS;
const VLLM_FLAG_NAMES = Object.keys(VLLM_FLAGS) as VllmFlag[];

/** vLLM flags that expose debugging or internals endpoints (vLLM security guide). */
export const VLLM_FORBIDDEN_FLAGS: readonly VllmFlag[] = ["--enable-tokenizer-info-endpoint", "--profiler-config"];

/** Flags that make vLLM read more arguments from somewhere the pack cannot see. */
export const VLLM_ARGUMENT_FILE_FLAGS: readonly VllmFlag[] = ["--config"];

/** One option as vLLM parses it. */
export interface VllmOption {
    /** The token as written (`--trust_remote_code`, `--mod=x`). */
    readonly written: string;
    /** The flags it can mean: one, or several for an ambiguous prefix (argparse then refuses to start). */
    readonly flags: readonly VllmFlag[];
    /** The value (`--flag=value` or the next token), for flags that take one. */
    readonly value?: string;
}

/** What `written` means to vLLM's parser among {@link VLLM_FLAGS}: exact name, or every flag it abbreviates. */
export function vllmFlagsOf(written: string): VllmFlag[] {
    if (!written.startsWith("--") || written.length <= 2) return [];
    const name = `--${written.slice(2).split("=")[0]!.replace(/_/g, "-")}`;
    if ((VLLM_FLAG_NAMES as string[]).includes(name)) return [name as VllmFlag];
    return VLLM_FLAG_NAMES.filter((f) => f.startsWith(name));
}

/** The baseline-relevant options of a vLLM argv (tokens after the program and subcommand); stops at `--`. */
export function readVllmOptions(tokens: readonly string[]): VllmOption[] {
    const out: VllmOption[] = [];
    for (let i = 0; i < tokens.length; i++) {
        const t = tokens[i]!;
        if (t === "--") break;
        const flags = vllmFlagsOf(t);
        if (flags.length === 0) continue;
        const eq = t.indexOf("=");
        const takesValue = flags.some((f) => VLLM_FLAGS[f].value);
        // argparse never takes an option-looking token as a value ("expected one argument" instead).
        const next = tokens[i + 1];
        const nextIsValue = next !== undefined && (!next.startsWith("-") || /^-[0-9.]/.test(next));
        const value = eq >= 0 ? t.slice(eq + 1) : takesValue && nextIsValue ? next : undefined;
        if (eq < 0 && value !== undefined) i++;
        out.push({ written: t, flags, ...(value !== undefined ? { value } : {}) });
    }
    return out;
}

/** Every value given for `flag` (in any spelling). */
export function vllmFlagValues(options: readonly VllmOption[], flag: VllmFlag): string[] {
    return options.filter((o) => o.flags.includes(flag)).map((o) => o.value ?? "");
}

/** Whether `flag` is given in any spelling. */
export function hasVllmFlag(options: readonly VllmOption[], flag: VllmFlag): boolean {
    return options.some((o) => o.flags.includes(flag));
}
