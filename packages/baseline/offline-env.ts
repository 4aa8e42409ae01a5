/**
 * The offline environment of the serving and training phases (the second half of the airlock): no hub
 * calls, no telemetry, caches on per-workload tmpfs. One source of truth for the components (which set it)
 * and the policy pack (which requires it).
 */

/** Hub access off: libraries read only local files. Required on every inference and training container. */
export const HUB_OFFLINE_ENV = {
    HF_HUB_OFFLINE: "1",
    TRANSFORMERS_OFFLINE: "1",
    HF_DATASETS_OFFLINE: "1",
} as const;

/** Telemetry off: huggingface_hub, vLLM usage stats and the generic DO_NOT_TRACK convention. */
export const TELEMETRY_OFF_ENV = {
    HF_HUB_DISABLE_TELEMETRY: "1",
    VLLM_NO_USAGE_STATS: "1",
    DO_NOT_TRACK: "1",
} as const;

/** Everything an offline workload must carry. */
export const OFFLINE_ENV: Readonly<Record<string, string>> = { ...HUB_OFFLINE_ENV, ...TELEMETRY_OFF_ENV };

/** The keys of {@link OFFLINE_ENV}, in a stable order (for policies and tests). */
export const OFFLINE_ENV_KEYS: readonly string[] = Object.keys(OFFLINE_ENV);

/** Where writable caches live under a read-only root: a per-container tmpfs, never shared (vLLM security guide). */
export const CACHE_ROOT = "/cache";

/** Cache locations redirected onto {@link CACHE_ROOT} so a read-only root file system works. */
export const CACHE_ENV: Readonly<Record<string, string>> = {
    HOME: `${CACHE_ROOT}/home`,
    XDG_CACHE_HOME: CACHE_ROOT,
    HF_HOME: `${CACHE_ROOT}/huggingface`,
    VLLM_CACHE_ROOT: `${CACHE_ROOT}/vllm`,
    TRITON_CACHE_DIR: `${CACHE_ROOT}/triton`,
    TORCHINDUCTOR_CACHE_DIR: `${CACHE_ROOT}/inductor`,
};
