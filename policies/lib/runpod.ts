/**
 * Readers over the RunPod endpoint resource (`resourceKind: runpod:endpoint`: a serverless endpoint and the
 * template it carries). Its `env` is a map; the RunPod vLLM worker turns it into `vllm serve` flags, read here with
 * the worker's own rules (@airlock/baseline runpodWorkerArgv), so a check sees the flags vLLM will get.
 */
import { type EnvLookup, type VllmOption, readVllmOptions, runpodWorkerArgv } from "@airlock/baseline";

/** The env map (`{}` when unset); values that are not strings are kept out and reported by the caller. */
export function envMap(props: Record<string, unknown>): Record<string, string> {
    const env = props.env;
    if (env === undefined || env === null || typeof env !== "object" || Array.isArray(env)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(env as Record<string, unknown>)) out[k] = typeof v === "string" ? v : String(v);
    return out;
}

export const lookupOf = (env: Readonly<Record<string, string>>): EnvLookup => (k) => env[k];

/** The worker's vLLM options from `env` (MODEL_NAME, TRUST_REMOTE_CODE, VLLM_EXTRA_ARGS, …), and what it cannot read. */
export function workerOptions(env: Readonly<Record<string, string>>): { options: VllmOption[]; problems: readonly string[] } {
    const { argv, problems } = runpodWorkerArgv(env);
    return { options: readVllmOptions(argv), problems };
}

/** `arn:aws:ecr:<region>:<account>:repository/<repo>` for an image on private ECR, else undefined. */
export function ecrArnOfImage(image: string): string | undefined {
    const m = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/.exec(image);
    return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}
