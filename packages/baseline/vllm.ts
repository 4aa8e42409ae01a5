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
