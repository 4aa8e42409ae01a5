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
        cpus: String(o.cpus),
        labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
        ...((o.gpus ?? 0) > 0 ? { deviceRequests: [{ driver: "nvidia", count: o.gpus, capabilities: ["gpu"] }] } : {}),
    };
}

/** The cache env every sandboxed workload gets, so a read-only root file system works. */
export const cacheEnv = (): Record<string, string> => ({ ...CACHE_ENV });
