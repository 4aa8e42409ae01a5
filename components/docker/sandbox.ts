/**
 * The hardened base of every Docker container Airlock creates: the baseline applied in one place, so
 * Enclave, ModelStore, InferenceServer and TrainingJob cannot drift apart.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    CACHE_ENV, CACHE_ROOT, DOCKER_SECURITY_OPTS, DROPPED_CAPABILITIES, ROLE_LABEL, type Role, STACK_LABEL,
} from "@airlock/baseline";

export interface SandboxOptions {
    readonly role: Role;
    /** `uid[:gid]`; model staging runs as uid 0 without any capability (the fresh volume is root-owned). */
    readonly user: string;
    readonly memoryMiB: number;
    readonly cpus: number;
    /** Size of the writable cache tmpfs at {@link CACHE_ROOT}. */
    readonly cacheMiB: number;
    readonly stack: string;
    readonly labels?: Readonly<Record<string, string>>;
    /** GPUs requested from the NVIDIA runtime; 0 requests none. */
    readonly gpus?: number;
}

/** `KEY=VALUE` strings in a stable order (Docker's env format). */
export function envList(...maps: Readonly<Record<string, string>>[]): string[] {
    return maps.flatMap((m) => Object.entries(m).map(([k, v]) => `${k}=${v}`));
}

/** A secret env entry: stays a Pulumi secret (and the container lists `envs` in additionalSecretOutputs). */
export function secretEnv(key: string, value: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.secret(pulumi.interpolate`${key}=${value}`);
}

/**
 * `cpus` as the Docker provider reads it back from Docker (kreuzwerker `nanoInt64ToDecimalString` of HostConfig.NanoCPUs:
 * `2` → `"2.0"`, `0.5` → `"0.5"`, `1.25` → `"1.25"`). `cpus` forces replacement, so any other spelling ("2") makes every
 * `pulumi up` after a read replace the container — found with the real engine: a no-change preview of the dev stack
 * replaced the staging containers, and through them every server and the gateway.
 */
export function providerCpus(cpus: number): string {
    const nano = Math.round(cpus * 1e9);
    if (nano === 0) return "0";
    const str = (nano / 1e9).toFixed(9);
    // The provider's test for a "round" value counts the zeros of the whole string (so 10 and 20 come back as "10."
    // and "20."): reproduced as it is.
    const exact = str.replace(/0+$/, "");
    const canonical = (str.match(/0/g) ?? []).length === 9 ? (nano / 1e9).toFixed(1) : exact;
    // Never trade the limit for a clean diff: where the provider's spelling loses the value (0.01 → "0.0", which Docker
    // would read as no limit), send the exact value (and accept that the provider reads it back differently).
    return Math.round(Number(canonical) * 1e9) === nano ? canonical : exact;
}

/** The sandbox part of `ContainerArgs`: read-only root, tmpfs caches, no capabilities, no new privileges, limits. */
export function sandboxArgs(o: SandboxOptions): Partial<docker.ContainerArgs> {
    const labels = { [ROLE_LABEL]: o.role, [STACK_LABEL]: o.stack, ...(o.labels ?? {}) };
    return {
        user: o.user,
        privileged: false,
        readOnly: true,
        tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=1g", [CACHE_ROOT]: `rw,nosuid,nodev,size=${o.cacheMiB}m` },
        capabilities: { drops: [...DROPPED_CAPABILITIES] },
        securityOpts: [...DOCKER_SECURITY_OPTS],
        memory: o.memoryMiB,
        memorySwap: o.memoryMiB,
        cpus: providerCpus(o.cpus),
        labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
        ...((o.gpus ?? 0) > 0 ? { deviceRequests: [{ driver: "nvidia", count: o.gpus, capabilities: ["gpu"] }] } : {}),
    };
}

/** The cache env every sandboxed workload gets, so a read-only root file system works. */
export const cacheEnv = (): Record<string, string> => ({ ...CACHE_ENV });
