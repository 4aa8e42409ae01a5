/**
 * RunPod's vLLM worker (runpod-workers/worker-vllm, the image RunPod serverless endpoints run) is configured through
 * env vars, not argv: its `args_builder.py` turns env into `vllm serve` flags. This module reads a template's env
 * exactly as that worker does, so the policy pack checks the flags vLLM will actually get, and builds the env the
 * Airlock components set (the same offline baseline as every other platform, a local model path, no unpinned remote
 * code). Read from the worker's source (src/args_builder.py, src/main.py, 2026-08):
 *  - an env var whose name is the UPPER_SNAKE of a known flag becomes that flag; aliases win over that scan:
 *    MODEL_NAME → --model, MODEL_REVISION → --revision, TOKENIZER_NAME → --tokenizer,
 *    OPENAI_SERVED_MODEL_NAME_OVERRIDE → --served-model-name, CUSTOM_CHAT_TEMPLATE → --chat-template,
 *    VLLM_CONFIG_FILE → --config; HOST, PORT, API_KEY, MODEL, CONFIG are reserved and ignored;
 *  - values are stripped and an empty value is ignored; booleans are `true/1/yes/on` or `false/0/no/off` (any case)
 *    and anything else stops the worker (ValueError); `--trust-remote-code` is a `--flag/--no-flag` pair;
 *  - VLLM_EXTRA_ARGS is split like Python's `shlex.split` and appended last, so it overrides everything above;
 *  - vLLM-native env vars (HF_HUB_OFFLINE, VLLM_NO_USAGE_STATS, …) reach vLLM unchanged; vLLM binds 127.0.0.1 and
 *    RunPod authenticates callers, so the worker takes no API key (`--api-key` is reserved).
 */
import { HUB_OFFLINE_ENV, TELEMETRY_OFF_ENV } from "./offline-env";
import { localModelPath } from "./model-path";
import type { ServingOptions } from "./vllm";

/** The worker's env aliases (they win over the generic flag scan). */
export const RUNPOD_WORKER_ENV_ALIASES: Readonly<Record<string, string>> = {
    MODEL_NAME: "--model",
    MODEL_REVISION: "--revision",
    TOKENIZER_NAME: "--tokenizer",
    OPENAI_SERVED_MODEL_NAME_OVERRIDE: "--served-model-name",
    CUSTOM_CHAT_TEMPLATE: "--chat-template",
    VLLM_CONFIG_FILE: "--config",
};

/** Env names the worker ignores for the generic scan. */
export const RUNPOD_WORKER_RESERVED_ENV: readonly string[] = ["HOST", "PORT", "API_KEY", "MODEL", "CONFIG", "HELP"];

/** The raw-argument passthrough, appended last. */
export const RUNPOD_WORKER_EXTRA_ARGS_ENV = "VLLM_EXTRA_ARGS";

/**
 * The flags of the generic scan the baseline reads (a subset of the worker's allowlist: those that pick the model,
 * its code or its config, or open a debug endpoint). `value` = takes a value; `paired` = `--flag/--no-flag`.
 */
const GENERIC_FLAGS: Readonly<Record<string, "value" | "paired">> = {
    "--tokenizer": "value",
    "--revision": "value",
    "--tokenizer-revision": "value",
    "--code-revision": "value",
    "--served-model-name": "value",
    "--download-dir": "value",
    "--hf-token": "value",
    "--trust-remote-code": "paired",
    "--enable-tokenizer-info-endpoint": "paired",
};

const TRUE_VALUES = ["true", "1", "yes", "on"];
const FALSE_VALUES = ["false", "0", "no", "off"];

/** Python's `shlex.split(s)` (POSIX mode, no comments); `undefined` where Python raises "No closing quotation". */
export function shlexSplit(s: string): string[] | undefined {
    const out: string[] = [];
    let token = "";
    let inToken = false;
    let i = 0;
    while (i < s.length) {
        const c = s[i]!;
        if (c === "'") {
            const end = s.indexOf("'", i + 1);
            if (end < 0) return undefined;
            token += s.slice(i + 1, end);
            inToken = true;
            i = end + 1;
        } else if (c === "\"") {
            i++;
            let closed = false;
            while (i < s.length) {
                const d = s[i]!;
                if (d === "\"") { closed = true; i++; break; }
                if (d === "\\" && i + 1 < s.length && (s[i + 1] === "\"" || s[i + 1] === "\\")) { token += s[i + 1]; i += 2; continue; }
                token += d;
                i++;
            }
            if (!closed) return undefined;
            inToken = true;
        } else if (c === "\\") {
            if (i + 1 >= s.length) return undefined; // "No escaped character"
            token += s[i + 1];
            inToken = true;
            i += 2;
        } else if (/\s/.test(c)) {
            if (inToken) { out.push(token); token = ""; inToken = false; }
            i++;
        } else {
            token += c;
            inToken = true;
            i++;
        }
    }
    if (inToken) out.push(token);
    return out;
}

const envNameOf = (flag: string): string => flag.replace(/^-+/, "").replace(/-/g, "_").toUpperCase();

/** The `vllm serve` arguments the worker builds from `env` (baseline flags only), or why it cannot start. */
export interface WorkerArgv {
    /** Tokens after `vllm serve --host 127.0.0.1 --port <port>`: read them with `readVllmOptions`. */
    readonly argv: readonly string[];
    /** Values the worker rejects at startup (it then serves nothing); the env is unverifiable. */
    readonly problems: readonly string[];
}

/** Reads `env` as worker-vllm's `build_vllm_args` does, for the flags the baseline checks. */
export function runpodWorkerArgv(env: Readonly<Record<string, string>>): WorkerArgv {
    const flags = new Map<string, string | undefined>();
    const problems: string[] = [];
    const apply = (name: string, flag: string, raw: string, kind: "value" | "paired") => {
        const value = raw.trim();
        if (value === "") return;
        if (kind === "paired") {
            const v = value.toLowerCase();
            if (TRUE_VALUES.includes(v)) { flags.delete(`--no-${flag.slice(2)}`); flags.set(flag, undefined); }
            else if (FALSE_VALUES.includes(v)) { flags.delete(flag); flags.set(`--no-${flag.slice(2)}`, undefined); }
            else problems.push(`${name}=${JSON.stringify(raw)} is not a boolean the worker reads (true/1/yes/on or false/0/no/off), so the worker stops at startup`);
        } else {
            flags.set(flag, value);
        }
    };
    for (const [flag, kind] of Object.entries(GENERIC_FLAGS).sort(([a], [b]) => a.localeCompare(b))) {
        const name = envNameOf(flag);
        if (RUNPOD_WORKER_RESERVED_ENV.includes(name)) continue;
        const v = env[name];
        if (v !== undefined) apply(name, flag, v, kind);
    }
    for (const [name, flag] of Object.entries(RUNPOD_WORKER_ENV_ALIASES)) {
        const v = env[name];
        if (v !== undefined) apply(name, flag, v, GENERIC_FLAGS[flag] ?? "value");
    }
    const argv: string[] = [];
    for (const [flag, value] of flags) argv.push(flag, ...(value === undefined ? [] : [value]));
    const extra = env[RUNPOD_WORKER_EXTRA_ARGS_ENV];
    if (extra !== undefined) {
        const split = shlexSplit(extra);
        if (split === undefined) problems.push(`${RUNPOD_WORKER_EXTRA_ARGS_ENV} has an unclosed quotation, which the worker cannot split (it stops at startup)`);
        else argv.push(...split);
    }
    return { argv, problems };
}

/** An env value that references a RunPod account secret: `{{ RUNPOD_SECRET_<name> }}` (substituted at boot). */
export const RUNPOD_SECRET_REFERENCE = /^\{\{\s*RUNPOD_SECRET_([a-zA-Z_][a-zA-Z0-9_.\-/]*)\s*\}\}$/;

/** The env value that references the RunPod secret `name`. */
export function runpodSecretReference(name: string): string {
    return `{{ RUNPOD_SECRET_${name} }}`;
}

/** A RunPod account secret name (the API's pattern); names starting with RUNPOD are reserved. */
export const RUNPOD_SECRET_NAME = /^(?![Rr][Uu][Nn][Pp][Oo][Dd])[a-zA-Z_][a-zA-Z0-9_.\-/]{0,190}$/;

/** Where a baked model lives in the image (`/models`, not `/runpod-volume`, which a network volume would shadow). */
export function runpodModelPath(hubId: string): string {
    return localModelPath(hubId);
}

/** Serverless GPU pool ids (RunPod's documented pools; the provider checks them against the live catalog too). */
export const RUNPOD_GPU_POOLS = [
    "AMPERE_16", "AMPERE_24", "ADA_24", "ADA_32_PRO", "AMPERE_48", "ADA_48_PRO", "AMPERE_80", "ADA_80_PRO",
    "BLACKWELL_96", "HOPPER_141", "BLACKWELL_180",
] as const;
export type RunPodGpuPool = (typeof RUNPOD_GPU_POOLS)[number];

export interface RunPodWorkerEnvInput {
    /** Hub id of the baked model; served from its local path. */
    readonly hubId: string;
    readonly servedModelName: string;
    readonly tokenizerHubId?: string;
    readonly gpuCount: number;
    readonly options?: ServingOptions;
    /** Only for an allow-listed model at a pinned revision (checked by the config schema). */
    readonly trustRemoteCode?: boolean;
}

/**
 * The template env of an Airlock RunPod server: the offline and telemetry-off switches, the local model path, the
 * served name, `TRUST_REMOTE_CODE` written out (false unless allow-listed), and the serving options as the worker's
 * env names. The worker no longer sets tensor parallelism from the GPU count, so it is set explicitly.
 */
export function runpodWorkerEnv(input: RunPodWorkerEnvInput): Record<string, string> {
    const o = input.options ?? {};
    return {
        ...HUB_OFFLINE_ENV,
        ...TELEMETRY_OFF_ENV,
        MODEL_NAME: runpodModelPath(input.hubId),
        OPENAI_SERVED_MODEL_NAME_OVERRIDE: input.servedModelName,
        ...(input.tokenizerHubId !== undefined ? { TOKENIZER_NAME: runpodModelPath(input.tokenizerHubId) } : {}),
        TRUST_REMOTE_CODE: input.trustRemoteCode === true ? "true" : "false",
        TENSOR_PARALLEL_SIZE: String(o.tensorParallelSize ?? input.gpuCount),
        ...(o.maxModelLen !== undefined ? { MAX_MODEL_LEN: String(o.maxModelLen) } : {}),
        ...(o.gpuMemoryUtilization !== undefined ? { GPU_MEMORY_UTILIZATION: String(o.gpuMemoryUtilization) } : {}),
        ...(o.dtype !== undefined ? { DTYPE: o.dtype } : {}),
        ...(o.quantization !== undefined ? { QUANTIZATION: o.quantization } : {}),
    };
}

/** Worker env names that match the secret-name pattern (`TOKEN…`) but name a tokenizer or a token count, never a secret. */
export const RUNPOD_WORKER_NON_SECRET_ENV: readonly string[] = [
    "TOKENIZER", "TOKENIZER_NAME", "TOKENIZER_MODE", "TOKENIZER_REVISION", "MAX_NUM_BATCHED_TOKENS", "SKIP_TOKENIZER_INIT",
    "ENABLE_PROMPT_TOKENS_DETAILS", "RETURN_TOKENS_AS_TOKEN_IDS", "LONG_PREFILL_TOKEN_THRESHOLD", "DBO_DECODE_TOKEN_THRESHOLD",
    "DBO_PREFILL_TOKEN_THRESHOLD", "TOKENIZERS_PARALLELISM", "HF_HUB_DISABLE_IMPLICIT_TOKEN",
];

/** Ports a serverless queue endpoint needs exposed: none (requests arrive through RunPod's queue). */
export const RUNPOD_QUEUE_ENDPOINT_PORTS: readonly string[] = [];
