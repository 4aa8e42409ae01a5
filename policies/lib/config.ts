/**
 * The pack's tunables: one JSON schema per property (with a `default`), composed into each policy's
 * `configSchema`, and {@link readConfig}, which merges `args.getConfig()` over the same defaults. The Pulumi
 * CLI applies schema defaults itself (ReconcilePolicyPackConfig), but other analyzer clients may not, so the
 * pack never relies on it: a missing property always means its documented default.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { CACHE_ROOT, COMMIT_SHA, HUB_ID, MODEL_ROOT } from "@airlock/baseline";

/** A model allowed to run its own Python code (`--trust-remote-code`), at one pinned commit. */
export interface TrustedModel {
    /** Hugging Face repo id `org/name`. */
    readonly model: string;
    /** The 40-hex commit whose code was reviewed. */
    readonly revision: string;
}

export interface AirlockConfig {
    /** Registries images may come from: `host[:port]` or a `host[:port]/path` prefix (matched per path segment). */
    readonly allowedRegistries: readonly string[];
    /** Anchored regular expressions a registry host may match (default: any private ECR registry). */
    readonly allowedRegistryPatterns: readonly string[];
    /** Host IPs a container port may be published on. */
    readonly allowedPortBindIps: readonly string[];
    /** Container paths under which model stores are mounted (served models must live there). */
    readonly allowedModelRoots: readonly string[];
    /** Models that may run with `--trust-remote-code`. */
    readonly trustRemoteCodeAllowlist: readonly TrustedModel[];
    /** Linux capabilities a container may add back after dropping ALL. */
    readonly allowedCapabilities: readonly string[];
    /** AppArmor profiles and SELinux types, beyond Docker's defaults, that were reviewed. */
    readonly allowedSecurityProfiles: readonly string[];
    /** OCI runtimes a container may use. */
    readonly allowedRuntimes: readonly string[];
    /** Namespaced sysctls a container may set. */
    readonly allowedSysctls: readonly string[];
    /** Container paths where a tmpfs may allow exec (JIT compiler caches). */
    readonly allowedExecTmpfsPaths: readonly string[];
    /** Log drivers that keep logs on the host. */
    readonly allowedLogDrivers: readonly string[];
    /** Volume drivers that keep data on the host. */
    readonly allowedVolumeDrivers: readonly string[];
    /** IngressClasses served by an internal-only ingress controller. */
    readonly allowedIngressClasses: readonly string[];
    /** Ports (`<port>/http|tcp`) a RunPod template may expose. */
    readonly allowedRunPodPorts: readonly string[];
    /** Upper bound of a RunPod endpoint's max workers. */
    readonly maxRunPodWorkers: number;
    /** Upper bound of a RunPod endpoint's idle timeout, seconds. */
    readonly maxRunPodIdleTimeoutSec: number;
    /** Upper bound of a RunPod endpoint's per-request execution timeout, milliseconds. */
    readonly maxRunPodExecutionTimeoutMs: number;
    /** Packages of multi-language (remote) components, whose children an offline plan cannot see. */
    readonly remoteComponentPackages: readonly string[];
}

/** Any private ECR registry host: `<12-digit account>.dkr.ecr.<region>.amazonaws.com`. */
export const ECR_REGISTRY_PATTERN = "^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$";

const stringList = (description: string, defaults: readonly string[], items: Record<string, unknown> = {}) => ({
    type: "array" as const,
    items: { type: "string" as const, minLength: 1, ...items },
    description,
    default: [...defaults],
});

/** JSON schema (with default) of every tunable, keyed by property name. */
export const CONFIG_PROPERTIES = {
    allowedRegistries: stringList(
        "Registries images may be pulled from: a registry host[:port] (\"localhost:5000\") allows every repository on it; " +
        "a host[:port]/path prefix (\"registry.internal:5000/mirror\") allows that path and below. Docker Hub is \"docker.io\".",
        []),
    allowedRegistryPatterns: stringList(
        "Anchored regular expressions matched against the registry host[:port] of an image. Default: any private ECR registry.",
        [ECR_REGISTRY_PATTERN]),
    allowedPortBindIps: stringList("Host IPs a published container port may bind to (never 0.0.0.0 or ::).", ["127.0.0.1"]),
    allowedModelRoots: stringList("Absolute container paths under which served models must live (the model store mounts).",
        [MODEL_ROOT], { pattern: "^/" }),
    trustRemoteCodeAllowlist: {
        type: "array" as const,
        description: "Models allowed to run with --trust-remote-code, each at one reviewed 40-hex commit.",
        items: {
            type: "object" as const,
            properties: {
                model: { type: "string" as const, pattern: HUB_ID.source },
                revision: { type: "string" as const, pattern: COMMIT_SHA.source },
            },
            required: ["model", "revision"],
            additionalProperties: false,
        },
        default: [] as TrustedModel[],
    },
    allowedCapabilities: stringList("Linux capabilities a container may add after dropping ALL (e.g. \"NET_BIND_SERVICE\").", []),
    allowedSecurityProfiles: stringList(
        "AppArmor profile names and SELinux types a container may select with securityOpts, beyond Docker's defaults " +
        "(docker-default, container_t), after their rules were reviewed.", []),
    allowedRuntimes: stringList("OCI runtimes a container may select with runtime (unset = the daemon's default).",
        ["runc", "io.containerd.runc.v2", "nvidia", "runsc"]),
    allowedSysctls: stringList("Namespaced sysctls a container may set (e.g. \"net.ipv4.ip_unprivileged_port_start\").", []),
    allowedExecTmpfsPaths: stringList(
        "Container paths where a tmpfs may be mounted with exec: the JIT caches of Triton and TorchInductor load the kernels they compile from there.",
        [CACHE_ROOT], { pattern: "^/" }),
    allowedLogDrivers: stringList("Docker log drivers that keep logs on the host (unset = the daemon's default).",
        ["json-file", "local", "journald", "none"]),
    allowedVolumeDrivers: stringList("Docker volume drivers that keep data on the host (unset = local).", ["local"]),
    allowedIngressClasses: stringList(
        "IngressClass and Gateway API GatewayClass names served by a controller reachable only from inside the private network (reviewed); any other Ingress or Gateway exposes the enclave.",
        []),
    allowedRunPodPorts: stringList(
        "Ports a RunPod template may expose (\"<port>/http\" or \"<port>/tcp\"). A queue endpoint needs none: RunPod's queue carries the requests.",
        [], { pattern: "^[0-9]{1,5}/(http|tcp)$" }),
    maxRunPodWorkers: { type: "integer" as const, minimum: 1, description: "The most workers a RunPod endpoint may scale to (workersMax).", default: 3 },
    maxRunPodIdleTimeoutSec: {
        type: "integer" as const, minimum: 1, description: "The longest a RunPod worker may stay up idle, in seconds (idleTimeoutSec).", default: 60,
    },
    maxRunPodExecutionTimeoutMs: {
        type: "integer" as const, minimum: 1000, description: "The longest one request may run on a RunPod endpoint, in milliseconds (executionTimeoutMs).", default: 600_000,
    },
    remoteComponentPackages: stringList(
        "Packages whose components are multi-language (remote): their provider plugin registers the children, which an offline plan does not run.",
        ["awsx", "eks", "aws-apigateway", "aws-static-website", "kubernetes-cert-manager", "kubernetes-coredns", "kubernetes-ingress-nginx"],
        { pattern: "^[a-z0-9-]+$" }),
} satisfies { [K in keyof AirlockConfig]: PolicyConfigJSONSchema & { default: unknown } };

export type ConfigKey = keyof AirlockConfig;

/** The `configSchema` of a policy that reads `keys`. */
export function configSchemaFor(...keys: ConfigKey[]): PolicyConfigSchema {
    return { properties: Object.fromEntries(keys.map((k) => [k, CONFIG_PROPERTIES[k]])) };
}

/** The documented default of every tunable (fresh copies). */
export function configDefaults(): AirlockConfig {
    return Object.fromEntries(Object.entries(CONFIG_PROPERTIES)
        .map(([k, schema]) => [k, structuredClone(schema.default)])) as unknown as AirlockConfig;
}

/**
 * The policy's config merged over the defaults, validated. A malformed value throws (the run fails with the
 * policy name) instead of silently weakening a rule.
 */
export function readConfig<K extends ConfigKey>(
    args: { getConfig<T extends object>(): T }, policyName: string, ...keys: K[]
): Pick<AirlockConfig, K> {
    const given = args.getConfig<Partial<Record<ConfigKey, unknown>>>();
    const out: Partial<Record<ConfigKey, unknown>> = {};
    for (const key of keys) {
        // Only the keys read are defaulted (a fresh copy each time, as configDefaults() makes them).
        const value = given[key] ?? structuredClone(CONFIG_PROPERTIES[key].default);
        const problem = validate(key, value);
        if (problem) throw new Error(`Invalid policy config for "${policyName}": ${key} ${problem}.`);
        out[key] = value;
    }
    return out as Pick<AirlockConfig, K>;
}

const NUMERIC_KEYS: readonly ConfigKey[] = ["maxRunPodWorkers", "maxRunPodIdleTimeoutSec", "maxRunPodExecutionTimeoutMs"];

function validate(key: ConfigKey, value: unknown): string | undefined {
    if (NUMERIC_KEYS.includes(key)) {
        return typeof value === "number" && Number.isInteger(value) && value >= 1 ? undefined : `must be a positive whole number, got ${JSON.stringify(value)}`;
    }
    if (!Array.isArray(value)) return `must be an array, got ${JSON.stringify(value)}`;
    if (key === "trustRemoteCodeAllowlist") {
        for (const entry of value as unknown[]) {
            const e = entry as Partial<TrustedModel> | null;
            if (typeof e !== "object" || e === null || typeof e.model !== "string" || !HUB_ID.test(e.model)
                || typeof e.revision !== "string" || !COMMIT_SHA.test(e.revision)) {
                return `entries must be {model: "org/name", revision: "<40 hex>"}, got ${JSON.stringify(entry)}`;
            }
        }
        return undefined;
    }
    for (const item of value as unknown[]) {
        if (typeof item !== "string" || item.length === 0) return `must contain non-empty strings, got ${JSON.stringify(item)}`;
        if ((key === "allowedModelRoots" || key === "allowedExecTmpfsPaths") && !item.startsWith("/")) return `entries must be absolute paths, got ${JSON.stringify(item)}`;
        if (key === "allowedRunPodPorts" && !/^[0-9]{1,5}\/(http|tcp)$/.test(item)) return `entries must be "<port>/http" or "<port>/tcp", got ${JSON.stringify(item)}`;
        if (key === "allowedRegistryPatterns") {
            try { new RegExp(item); } catch { return `contains an invalid regular expression ${JSON.stringify(item)}`; }
        }
    }
    return undefined;
}
