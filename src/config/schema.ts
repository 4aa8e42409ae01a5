/**
 * The typed stack config: one zod schema for the whole `airlock:` namespace. Every message says what is
 * allowed; the loader adds the key path, the bad value and the `pulumi config set` fix. Secrets never pass
 * through this schema: it only holds the *names* of secret config keys (see load.ts).
 */
import { z } from "zod";
import {
    COMMIT_SHA, CONFIG_KEY, ENV_NAME, HUB_ID, IMAGE_DIGEST, REGISTRY_REPOSITORY, RESOURCE_NAME, SAFE_IDENTIFIER,
    VLLM_DTYPES, VLLM_QUANTIZATIONS, WORKLOAD_USER_PATTERN, isSecretName, secretShapeIn, unsafeIdentifierReason,
} from "@airlock/baseline";
import { AwsSchema, AwsServerSchema, checkAwsConfig } from "./aws";
import { KubernetesConfigSchema, KubernetesJobOptionsSchema, KubernetesServerOptionsSchema, checkKubernetesConfig } from "./kubernetes";
import { RunPodServerSchema, runpodConfigSchema, runpodProblems } from "./runpod";

export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Platforms with a component implementation. */
export const PLATFORMS = ["docker", "aws", "kubernetes", "runpod"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Config keys the schema owns. Any other plain `airlock:` key is a typo; secret keys are named by the config. */
export const STRUCTURAL_KEYS = [
    "environment", "platforms", "images", "models", "inferenceServers", "trainingJobs", "trustRemoteCodeAllowlist", "gateway",
    "kubernetes",
    "runpod",
    "aws",
] as const;

/** The optional secret config key holding the Hugging Face token used by model staging. */
export const HF_TOKEN_KEY = "hfToken";

const int = (what: string, min: number, max: number) =>
    z.int({ error: `must be a whole number ${what} (${min}–${max})` }).min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` });

const resourceName = z.string({ error: "must be a string" }).regex(RESOURCE_NAME, {
    error: "must be 1–40 lowercase letters, digits or '-', starting and ending with a letter or digit (it names containers and volumes)",
});

const hubId = z.string({ error: "must be a string" }).regex(HUB_ID, {
    error: "must be a Hugging Face repo id 'org/name' (letters, digits, '.', '_', '-'), e.g. 'Qwen/Qwen3-4B-Instruct-2507'",
}).refine((v) => !v.includes("--") && !v.includes(".."), { error: "must not contain '--' or '..' (the hub forbids them)" });

const revision = z.string({ error: "must be a string" }).regex(COMMIT_SHA, {
    error: "must be a full 40-character lowercase hex commit SHA (a branch or tag can move; copy the commit from the model's history)",
});

const configKey = z.string({ error: "must be a string" }).regex(CONFIG_KEY, {
    error: "must be a camelCase Pulumi config key without the 'airlock:' prefix, e.g. 'qwenApiKey'",
});

/** Arguments of an exec-form command: no control characters, no credential shapes. */
const commandArg = z.string({ error: "must be a string" })
    .max(1024, { error: "must be at most 1024 characters" })
    .regex(/^[^\x00-\x1f\x7f]+$/, { error: "must be non-empty and contain no control characters (newline, tab, NUL)" })
    .refine((v) => secretShapeIn(v) === undefined, { error: "looks like a credential; pass secrets through a secret config key, never argv" });

const absolutePath = z.string({ error: "must be a string" })
    .regex(/^\/[A-Za-z0-9._\-/]*$/, { error: "must be an absolute path of letters, digits and -_./" })
    .refine((v) => unsafeIdentifierReason(v.slice(1) || "x") === undefined, { error: "must not contain '.' or '..' segments" });

export const ImageRefSchema = z.strictObject({
    /** `host[:port]/path` of a private registry. */
    registry: z.string({ error: "must be a string" }).regex(REGISTRY_REPOSITORY, {
        error: "must be a private registry repository 'host[:port]/path' with a lowercase path, e.g. '123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/vllm'",
    }),
    digest: z.string({ error: "must be a string" }).regex(IMAGE_DIGEST, { error: "must be 'sha256:' followed by 64 lowercase hex characters" }),
    /** Human-readable tag kept next to the digest (the digest is what is pulled). */
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/, { error: "must be a Docker tag (letters, digits, '_', '.', '-')" })
        .refine((t) => t !== "latest", { error: "must not be 'latest' (name the release the digest belongs to)" }).optional(),
});
export type ImageRef = z.infer<typeof ImageRefSchema>;

/** `registry[:tag]@digest`: always pinned by digest. */
export function imageReference(ref: ImageRef): string {
    return `${ref.registry}${ref.tag ? `:${ref.tag}` : ""}@${ref.digest}`;
}

const HubRefSchema = z.strictObject({ hubId, revision });

export const ServingOptionsSchema = z.strictObject({
    maxModelLen: int("of tokens", 128, 10_485_760).optional(),
    gpuMemoryUtilization: z.number({ error: "must be a number" }).gt(0, { error: "must be greater than 0" })
        .max(1, { error: "must be at most 1 (a fraction of GPU memory)" }).optional(),
    tensorParallelSize: int("of GPUs", 1, 64).optional(),
    dtype: z.enum(VLLM_DTYPES, { error: `must be one of ${VLLM_DTYPES.join(", ")}` }).optional(),
    quantization: z.enum(VLLM_QUANTIZATIONS, { error: `must be one of ${VLLM_QUANTIZATIONS.join(", ")}` }).optional(),
});

export const ModelSchema = z.strictObject({
    name: resourceName,
    hubId,
    revision,
    /** A tokenizer from another repo, staged next to the model. */
    tokenizer: HubRefSchema.optional(),
    /** Allowed only for a model in `trustRemoteCodeAllowlist` at the same pinned revision. */
    trustRemoteCode: z.boolean({ error: "must be true or false" }).default(false),
    serving: ServingOptionsSchema.default({}),
});
export type ModelSpec = z.infer<typeof ModelSchema>;

const platform = z.enum(PLATFORMS, {
    error: `must be one of: ${PLATFORMS.join(", ")}`,
});

export const InferenceServerSchema = z.strictObject({
    name: resourceName,
    /** `name` of an entry in `airlock:models`. */
    model: resourceName,
    platform: platform.default("docker"),
    replicas: int("of replicas", 1, 16).default(1),
    gpus: int("of GPUs per replica", 0, 8).default(1),
    port: int("TCP port", 1024, 65535).default(8000),
    /** Name of the secret config key that holds this server's API key. */
    apiKeySecret: configKey,
    resources: z.strictObject({
        cpus: z.number({ error: "must be a number" }).gt(0, { error: "must be greater than 0" }).max(256, { error: "must be at most 256" }).default(8),
        memoryMiB: int("of MiB", 512, 4_194_304).default(32_768),
        shmSizeMiB: int("of MiB", 64, 1_048_576).default(8_192),
    }).default({ cpus: 8, memoryMiB: 32_768, shmSizeMiB: 8_192 }),
    /** Options of a server on platform kubernetes. */
    kubernetes: KubernetesServerOptionsSchema.optional(),
    /** RunPod serverless options; only for `platform: runpod` (src/config/runpod.ts). */
    runpod: RunPodServerSchema.optional(),
    /** Platform aws: the GPU instance and its volumes (required there, rejected elsewhere). */
    aws: AwsServerSchema.optional(),
});
export type InferenceServerSpec = z.infer<typeof InferenceServerSchema>;

const MountSchema = z.union([
    z.strictObject({ model: resourceName }),
    z.strictObject({
        /** An existing Docker volume (e.g. training data), mounted read-only. */
        volume: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, { error: "must be a Docker volume name (letters, digits, '_', '.', '-')" }),
        path: absolutePath,
    }),
], { error: "must be { model: <model name> } or { volume: <docker volume>, path: <absolute path> }" });
export type MountSpec = z.infer<typeof MountSchema>;

export const TrainingJobSchema = z.strictObject({
    name: resourceName,
    platform: platform.default("docker"),
    /** Defaults to `airlock:images.trainer`. */
    image: ImageRefSchema.optional(),
    command: z.array(commandArg, { error: "must be a list of arguments (exec form)" }).min(1, { error: "must have at least one element" })
        .refine((argv) => !(["sh", "bash", "/bin/sh", "/bin/bash", "dash", "zsh"].includes(argv[0] ?? "") && argv.includes("-c")), {
            error: "must be an exec-form command, not a shell string ('sh -c …' cannot be checked)",
        })
        .refine((argv) => SAFE_IDENTIFIER.test(argv[0] ?? ""), { error: "must start with a program name of letters, digits and -_./:@" }),
    mounts: z.array(MountSchema).default([]),
    /** Plain, non-secret environment for the job (secrets never go here). */
    env: z.record(z.string().regex(ENV_NAME, { error: "must be an UPPER_SNAKE_CASE variable name" }), z.string().max(4096))
        .default({}),
    /** `uid[:gid]`, never root. */
    runAsUser: z.string().regex(WORKLOAD_USER_PATTERN, { error: "must be 'uid:gid' with a non-zero uid and gid (never root; a uid alone may run in group 0)" })
        .default("1000:1000"),
    limits: z.strictObject({
        cpus: z.number({ error: "must be a number" }).gt(0, { error: "must be greater than 0" }).max(256, { error: "must be at most 256" }),
        memoryMiB: int("of MiB", 256, 4_194_304),
        pids: int("of processes", 16, 1_048_576),
        gpus: int("of GPUs", 0, 8).default(0),
    }, { error: "must set limits: { cpus, memoryMiB, pids, gpus }" }),
    /** Options of a job on platform kubernetes. */
    kubernetes: KubernetesJobOptionsSchema.optional(),
});
export type TrainingJobSpec = z.infer<typeof TrainingJobSchema>;

/** An IP address a port may be published on: a specific address, never the unspecified 0.0.0.0 or ::. */
const bindAddress = z.union([z.ipv4(), z.ipv6()], { error: "must be an IPv4 or IPv6 address, e.g. 127.0.0.1" })
    .refine((ip) => ip !== "0.0.0.0" && ip !== "::", { error: "must be a specific address: 0.0.0.0 and :: publish on every host interface" });

const rate = (what: string, def: number) => z.number({ error: "must be a number" }).gt(0, { error: "must be greater than 0" })
    .max(100_000, { error: "must be at most 100000" }).default(def).describe(what);

export const GatewaySchema = z.strictObject({
    /** Host port the gateway is published on. */
    port: int("TCP port", 1, 65535).default(8080),
    /** Host address the port is published on. */
    bindAddress: bindAddress.default("127.0.0.1"),
    rateLimits: z.strictObject({
        perKeyPerSecond: rate("requests per second per API key", 10),
        perKeyBurst: int("of requests", 0, 100_000).default(20),
        perAddressPerSecond: rate("requests per second per client address", 20),
        perAddressBurst: int("of requests", 0, 100_000).default(40),
        retryAfterSeconds: int("of seconds", 1, 3600).default(1),
    }).default({ perKeyPerSecond: 10, perKeyBurst: 20, perAddressPerSecond: 20, perAddressBurst: 40, retryAfterSeconds: 1 }),
    maxRequestBodyKiB: int("of KiB", 1, 1_048_576).default(1024),
    maxHeaderKiB: int("of KiB", 1, 64).default(8),
    timeouts: z.strictObject({
        connectSeconds: int("of seconds", 1, 300).default(10),
        readSeconds: int("of seconds", 1, 86_400).default(600),
        sendSeconds: int("of seconds", 1, 86_400).default(600),
    }).default({ connectSeconds: 10, readSeconds: 600, sendSeconds: 600 }),
    /** HTTPS on the published port, with a certificate and key from secret config keys (PEM). */
    tls: z.strictObject({ certificateSecret: configKey, keySecret: configKey }).optional(),
    resources: z.strictObject({
        cpus: z.number({ error: "must be a number" }).gt(0, { error: "must be greater than 0" }).max(64, { error: "must be at most 64" }).default(1),
        memoryMiB: int("of MiB", 64, 65_536).default(256),
    }).default({ cpus: 1, memoryMiB: 256 }),
});
export type GatewaySpec = z.infer<typeof GatewaySchema>;

export const StackConfigSchema = z.strictObject({
    environment: z.enum(ENVIRONMENTS, { error: `must be one of ${ENVIRONMENTS.join(", ")}` }),
    platforms: z.array(platform, { error: "must be a list of platforms" }).min(1, { error: "must enable at least one platform" }),
    images: z.strictObject({
        vllm: ImageRefSchema,
        /** Used by the one-shot staging containers. @default images.vllm (the vLLM image ships the `hf` CLI) */
        staging: ImageRefSchema.optional(),
        /** Default image of training jobs. */
        trainer: ImageRefSchema.optional(),
        /** The gateway's reverse proxy (nginx with njs: the official nginx image, mirrored). Required with `gateway`. */
        gateway: ImageRefSchema.optional(),
    }, { error: "must be an object { vllm, staging?, trainer?, gateway? } of { registry, digest, tag? }" }),
    models: z.array(ModelSchema, { error: "must be a list of models" }).default([]),
    inferenceServers: z.array(InferenceServerSchema, { error: "must be a list of inference servers" }).default([]),
    trainingJobs: z.array(TrainingJobSchema, { error: "must be a list of training jobs" }).default([]),
    trustRemoteCodeAllowlist: z.array(HubRefSchema, { error: "must be a list of { hubId, revision }" }).default([]),
    /** The one authenticated, rate-limited way into the serving network (Docker: a hardened nginx container). */
    gateway: GatewaySchema.optional(),
    /** The kubernetes platform's settings (src/config/kubernetes.ts). */
    kubernetes: KubernetesConfigSchema.optional(),
    /** The RunPod platform (src/config/runpod.ts). */
    runpod: runpodConfigSchema(ImageRefSchema).optional(),
    /** Platform aws: region, network, gateway, AMI, phase-1 staging (required when platforms includes aws). */
    aws: AwsSchema.optional(),
}).superRefine((c, ctx) => {
    const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: "custom", path, message });

    const dup = (names: string[], path: (i: number) => (string | number)[], what: string) => {
        const seen = new Set<string>();
        names.forEach((n, i) => { if (seen.has(n)) problem(path(i), `duplicates the ${what} "${n}"; names must be unique`); seen.add(n); });
    };
    dup(c.models.map((m) => m.name), (i) => ["models", i, "name"], "model name");
    dup([...c.inferenceServers.map((s) => s.name), ...c.trainingJobs.map((j) => j.name)],
        (i) => i < c.inferenceServers.length ? ["inferenceServers", i, "name"] : ["trainingJobs", i - c.inferenceServers.length, "name"],
        "workload name (servers and jobs share one namespace)");

    const models = new Map(c.models.map((m) => [m.name, m]));
    const known = c.models.map((m) => m.name).join(", ") || "none defined";

    c.models.forEach((m, i) => {
        const allowed = c.trustRemoteCodeAllowlist.some((a) => a.hubId === m.hubId && a.revision === m.revision);
        if (m.trustRemoteCode && !allowed) {
            problem(["models", i, "trustRemoteCode"],
                `is true for ${m.hubId}@${m.revision}, which is not in airlock:trustRemoteCodeAllowlist; review the model's code at that revision and add { hubId, revision } to the allowlist, or set trustRemoteCode: false`);
        }
    });

    c.inferenceServers.forEach((s, i) => {
        const m = models.get(s.model);
        if (!m) problem(["inferenceServers", i, "model"], `refers to model "${s.model}", which is not in airlock:models (known: ${known})`);
        if (!c.platforms.includes(s.platform)) {
            problem(["inferenceServers", i, "platform"], `is "${s.platform}", which is not enabled in airlock:platforms (${c.platforms.join(", ")})`);
        }
        const tp = m?.serving.tensorParallelSize ?? 1;
        if (tp > Math.max(s.gpus, 1)) {
            problem(["inferenceServers", i, "gpus"], `is ${s.gpus}, but model "${s.model}" has tensorParallelSize ${tp}; give the server at least ${tp} GPUs`);
        }
        if (s.apiKeySecret === HF_TOKEN_KEY || (STRUCTURAL_KEYS as readonly string[]).includes(s.apiKeySecret)) {
            problem(["inferenceServers", i, "apiKeySecret"], `must not reuse the config key "${s.apiKeySecret}"; name a dedicated secret such as "${s.name.replace(/-./g, (x) => x[1]!.toUpperCase())}ApiKey"`);
        }
    });

    if (c.gateway) {
        if (!c.images.gateway) problem(["images", "gateway"], "is required when airlock:gateway is set: the digest-pinned nginx image (with njs) the gateway runs");
        if (c.inferenceServers.length === 0) problem(["gateway"], "is set but there is no inference server to route to; remove it or add airlock:inferenceServers");
        const tls = c.gateway.tls;
        if (tls && tls.certificateSecret === tls.keySecret) problem(["gateway", "tls", "keySecret"], "must name another secret than certificateSecret");
        for (const k of tls ? [tls.certificateSecret, tls.keySecret] : []) {
            if (k === HF_TOKEN_KEY || (STRUCTURAL_KEYS as readonly string[]).includes(k) || c.inferenceServers.some((s) => s.apiKeySecret === k)) {
                problem(["gateway", "tls"], `must not reuse the config key "${k}"; name dedicated secrets such as "gatewayTlsCert" and "gatewayTlsKey"`);
            }
        }
    }

    c.trainingJobs.forEach((j, i) => {
        if (!c.platforms.includes(j.platform)) {
            problem(["trainingJobs", i, "platform"], `is "${j.platform}", which is not enabled in airlock:platforms (${c.platforms.join(", ")})`);
        }
        if (!j.image && !c.images.trainer) {
            problem(["trainingJobs", i, "image"], "is not set and airlock:images.trainer is missing; set one of them");
        }
        j.mounts.forEach((mount, k) => {
            if ("model" in mount && !models.has(mount.model)) {
                problem(["trainingJobs", i, "mounts", k, "model"], `refers to model "${mount.model}", which is not in airlock:models (known: ${known})`);
            }
            if ("path" in mount && (mount.path === "/output" || mount.path.startsWith("/models") || mount.path.startsWith("/cache"))) {
                problem(["trainingJobs", i, "mounts", k, "path"], `is "${mount.path}", which is reserved (/models, /output, /cache); choose another path such as /data`);
            }
        });
        for (const [key, value] of Object.entries(j.env)) {
            if (isSecretName(key) || secretShapeIn(value) !== undefined) {
                problem(["trainingJobs", i, "env", key], "looks like a secret; training jobs take no secrets (they run without network), remove it");
            }
        }
    });

    checkKubernetesConfig(c, problem, [HF_TOKEN_KEY, ...STRUCTURAL_KEYS]);
    for (const [path, message] of runpodProblems(c)) problem(path, message);
    checkAwsConfig(c, problem);
});
export type StackConfig = z.infer<typeof StackConfigSchema>;
