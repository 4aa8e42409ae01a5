/**
 * The `airlock:runpod` section and the per-server `inferenceServers[].runpod` options (RunPod serverless), and the
 * cross-key checks of the RunPod platform. Kept apart from schema.ts, which composes them; factories take the
 * shared image-ref schema so this module needs nothing from schema.ts at load time.
 */
import { z } from "zod";
import { ENV_NAME, OFFLINE_ENV_KEYS, RUNPOD_GPU_POOLS, RUNPOD_WORKER_ENV_ALIASES, RUNPOD_WORKER_EXTRA_ARGS_ENV } from "@airlock/baseline";

const int = (what: string, min: number, max: number) =>
    z.int({ error: `must be a whole number ${what} (${min}–${max})` }).min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` });

const configKey = z.string({ error: "must be a string" }).regex(/^[a-z][A-Za-z0-9]{0,63}$/, {
    error: "must be a camelCase Pulumi config key without the 'airlock:' prefix, e.g. 'runpodRegistryPassword'",
});

const dataCenterId = z.string({ error: "must be a string" }).regex(/^[A-Z]{2,4}-[A-Z]{2,4}-[0-9]+$/, {
    error: "must be a RunPod data center id such as 'EU-RO-1' (GET /v2/catalog/datacenters)",
});

/** The key under which the provider finds the RunPod API key (a secret; or RUNPOD_API_KEY in the environment). */
export const RUNPOD_API_KEY_KEY = "runpodApiKey";

/** `<12-digit account>.dkr.ecr.<region>.amazonaws.com/<repository>` */
export const ECR_IMAGE_REGISTRY = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/(.+)$/;

/** The ECR repository ARN of a private ECR image registry path, or undefined for another registry. */
export function ecrRepositoryArn(registry: string): string | undefined {
    const m = ECR_IMAGE_REGISTRY.exec(registry);
    return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/** Env names the components set on a RunPod worker (offline baseline, model selection): never user-provided. */
const MANAGED_ENV = [...OFFLINE_ENV_KEYS, ...Object.keys(RUNPOD_WORKER_ENV_ALIASES), RUNPOD_WORKER_EXTRA_ARGS_ENV,
    "TRUST_REMOTE_CODE", "TENSOR_PARALLEL_SIZE", "MAX_MODEL_LEN", "GPU_MEMORY_UTILIZATION", "DTYPE", "QUANTIZATION"];

export function runpodConfigSchema<I extends z.ZodType>(imageRef: I) {
    return z.strictObject({
        /**
         * Phase 1 on RunPod: per model, the image that bakes `hub id @ revision` into `/models/<org>--<name>` on top of
         * the pinned worker image (scripts/runpod-bake-model.ts builds it), pinned by digest.
         */
        modelImages: z.record(z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, { error: "must be a model name" }), imageRef, {
            error: "must map model names to { registry, digest, tag? }",
        }),
        /** The worker-vllm image the bake builds on (recorded; the served image is the baked one). */
        workerImage: imageRef,
        /** How RunPod pulls from the private registry. */
        registryAuth: z.discriminatedUnion("kind", [
            z.strictObject({ kind: z.literal("ecr-delegation") }),
            z.strictObject({
                kind: z.literal("credentials"),
                username: z.string({ error: "must be a string" }).min(1, { error: "must not be empty" }).max(256),
                /** Secret config key holding the registry password or token. */
                passwordSecret: configKey,
            }),
        ], { error: "must be { kind: ecr-delegation } or { kind: credentials, username, passwordSecret }" }),
    });
}
/**
 * The digest that marks a RunPod model image not baked yet (`sha256:` and 64 zeros): a stack can be written and
 * previewed before phase 1 has run, but `pulumi up` refuses it (src/config/load.ts), since RunPod could not pull it.
 */
export const UNBAKED_DIGEST = `sha256:${"0".repeat(64)}`;

/** Models whose RunPod image still carries {@link UNBAKED_DIGEST}. */
export function unbakedModelImages(runpod: { readonly modelImages: Readonly<Record<string, { readonly digest: string }>> } | undefined): string[] {
    return Object.entries(runpod?.modelImages ?? {}).filter(([, image]) => image.digest === UNBAKED_DIGEST).map(([model]) => model);
}

export type RunPodConfig = z.infer<ReturnType<typeof runpodConfigSchema<z.ZodType<{ registry: string; digest: string; tag?: string }>>>>;

export const RunPodServerSchema = z.strictObject({
    /** Serverless GPU pools the scheduler may use (checked against RunPod's catalog at deploy time too). */
    gpuPools: z.array(z.enum(RUNPOD_GPU_POOLS, { error: `must be one of ${RUNPOD_GPU_POOLS.join(", ")}` }))
        .min(1, { error: "must list at least one GPU pool" }),
    /** GPU type ids removed from the pools, e.g. "NVIDIA L40". */
    gpuExcludedTypes: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 .()_-]{1,80}$/, { error: "must be a RunPod GPU type id such as 'NVIDIA L40'" })).default([]),
    allowedCudaVersions: z.array(z.string().regex(/^[0-9]+\.[0-9]+$/, { error: "must be a CUDA version 'major.minor'" })).default([]),
    workersMin: int("of workers", 0, 100).default(0),
    workersMax: int("of workers", 1, 100).default(1),
    /** Seconds an idle worker stays up (not for REQUEST_COUNT scaling, which RunPod does not time out). */
    idleTimeoutSec: int("of seconds", 1, 3600).optional(),
    scaler: z.strictObject({
        type: z.enum(["QUEUE_DELAY", "REQUEST_COUNT"], { error: "must be QUEUE_DELAY or REQUEST_COUNT" }),
        /** Seconds of queue delay, or requests per worker. */
        value: z.number({ error: "must be a number" }).positive({ error: "must be positive" }),
    }).default({ type: "QUEUE_DELAY", value: 4 }),
    executionTimeoutMs: int("of milliseconds", 1000, 86_400_000).default(600_000),
    flashboot: z.enum(["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"], { error: "must be OFF, FLASHBOOT or PRIORITY_FLASHBOOT" }).default("FLASHBOOT"),
    /** Data centres the workers may run in ([] = the scheduler chooses). */
    dataCenterIds: z.array(dataCenterId).default([]),
    containerDiskGb: int("of GB", 1, 2048).default(50),
    /** Env var → secret config key: delivered as a RunPod account secret, `{{ RUNPOD_SECRET_<name> }}` in the env. */
    secretEnv: z.record(z.string().regex(ENV_NAME, { error: "must be an UPPER_SNAKE_CASE variable name" }), configKey).default({}),
});
export type RunPodServerSpec = z.infer<typeof RunPodServerSchema>;

interface Shape {
    readonly platforms: readonly string[];
    readonly runpod?: { readonly modelImages: Record<string, { registry: string }>; readonly registryAuth: { kind: string } };
    readonly inferenceServers: readonly { readonly name: string; readonly model: string; readonly platform: string; readonly gpus: number; readonly runpod?: RunPodServerSpec }[];
    readonly trainingJobs: readonly { readonly platform: string }[];
}

/** Cross-key problems of the RunPod platform, as `[path, message]`. */
export function runpodProblems(c: Shape): [(string | number)[], string][] {
    const out: [(string | number)[], string][] = [];
    const enabled = c.platforms.includes("runpod");
    if (enabled && c.runpod === undefined) out.push([["runpod"], "is required when airlock:platforms includes runpod: set modelImages, workerImage and registryAuth (docs/config.md)"]);
    if (!enabled && c.runpod !== undefined) out.push([["runpod"], "is set but airlock:platforms does not include runpod; remove it or enable the platform"]);
    c.trainingJobs.forEach((j, i) => {
        if (j.platform === "runpod") out.push([["trainingJobs", i, "platform"], "is runpod, which runs no training jobs (serverless endpoints only); use docker"]);
    });
    c.inferenceServers.forEach((s, i) => {
        if (s.platform !== "runpod") {
            if (s.runpod !== undefined) out.push([["inferenceServers", i, "runpod"], `is set but the server runs on ${s.platform}; remove it`]);
            return;
        }
        if (s.runpod === undefined) {
            out.push([["inferenceServers", i, "runpod"], "is required for a server on runpod: set at least gpuPools, e.g. [ADA_48_PRO]"]);
            return;
        }
        if (s.gpus < 1) out.push([["inferenceServers", i, "gpus"], "must be at least 1 on runpod (GPUs per serverless worker)"]);
        const image = c.runpod?.modelImages[s.model];
        if (c.runpod !== undefined && image === undefined) {
            out.push([["runpod", "modelImages", s.model], `is missing: server "${s.name}" serves model "${s.model}" from an image that bakes it in (build it with \`npx tsx scripts/runpod-bake-model.ts --stack <stack> --model ${s.model}\`)`]);
        }
        if (image !== undefined && c.runpod?.registryAuth.kind === "ecr-delegation" && ecrRepositoryArn(image.registry) === undefined) {
            out.push([["runpod", "modelImages", s.model, "registry"], "must be a private ECR repository with registryAuth kind ecr-delegation (or use kind credentials)"]);
        }
        const r = s.runpod;
        if (r.workersMin > r.workersMax) out.push([["inferenceServers", i, "runpod", "workersMin"], `must not exceed workersMax (${r.workersMax})`]);
        if (r.scaler.type === "REQUEST_COUNT" && r.idleTimeoutSec !== undefined) {
            out.push([["inferenceServers", i, "runpod", "idleTimeoutSec"], "must not be set with REQUEST_COUNT scaling (RunPod rejects it on a queue endpoint)"]);
        }
        if (r.scaler.type === "QUEUE_DELAY" && r.scaler.value < 0.5) out.push([["inferenceServers", i, "runpod", "scaler", "value"], "must be at least 0.5 seconds of queue delay"]);
        if (r.scaler.type === "REQUEST_COUNT" && !Number.isInteger(r.scaler.value)) out.push([["inferenceServers", i, "runpod", "scaler", "value"], "must be a whole number of requests per worker"]);
        for (const name of Object.keys(r.secretEnv)) {
            if (MANAGED_ENV.includes(name)) out.push([["inferenceServers", i, "runpod", "secretEnv", name], "is set by Airlock (offline baseline or model selection); choose another variable"]);
        }
    });
    return out;
}

/** Secret config keys the RunPod platform reads (the registry password, the values behind `secretEnv`). */
export function runpodSecretKeys(c: Shape & { readonly runpod?: { readonly registryAuth: { kind: string; passwordSecret?: string } } }): string[] {
    const keys = new Set<string>();
    const auth = c.runpod?.registryAuth;
    if (auth?.kind === "credentials" && auth.passwordSecret !== undefined) keys.add(auth.passwordSecret);
    for (const s of c.inferenceServers) if (s.platform === "runpod") for (const k of Object.values(s.runpod?.secretEnv ?? {})) keys.add(k);
    return [...keys].sort();
}
