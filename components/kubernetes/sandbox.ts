/**
 * The hardened base of every pod Airlock creates on Kubernetes: the restricted Pod Security Standard and the rest of
 * the baseline applied in one place, so ModelStore, InferenceServer and TrainingJob cannot drift apart.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import {
    CACHE_ENV, CACHE_ROOT, RESTRICTED_CONTAINER_SECURITY_CONTEXT, RESTRICTED_POD_SECURITY_CONTEXT, ROLE_LABEL, type Role, STACK_LABEL,
} from "@airlock/baseline";
import type { TolerationSpec } from "../../src/config/kubernetes";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type EnvVar = k8s.types.input.core.v1.EnvVar;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;

/** Where pods are scheduled: node labels and tolerations (e.g. the GPU node pool and its taint). */
export interface Scheduling {
    readonly nodeSelector: Readonly<Record<string, string>>;
    readonly tolerations: readonly TolerationSpec[];
}

/** What every pod needs from the enclave. */
export interface PodIdentity {
    readonly serviceAccountName: pulumi.Input<string>;
    readonly imagePullSecrets: readonly pulumi.Input<string>[];
}

/** The labels of a pod: its role (a claim the policy pack verifies), the stack, and extras. */
export function podLabels(role: Role, stack: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { [ROLE_LABEL]: role, [STACK_LABEL]: stack, "app.kubernetes.io/part-of": "airlock", ...extra };
}

/**
 * The pod-level sandbox: a dedicated ServiceAccount whose token is never mounted, no service-link env (a Service
 * named `vllm` would otherwise inject `VLLM_PORT` and break vLLM), the restricted pod security context.
 */
export function sandboxPodSpec(identity: PodIdentity, scheduling: Scheduling): Omit<PodSpec, "containers"> {
    return {
        serviceAccountName: identity.serviceAccountName,
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: {
            ...RESTRICTED_POD_SECURITY_CONTEXT,
            seccompProfile: { ...RESTRICTED_POD_SECURITY_CONTEXT.seccompProfile },
        },
        ...(identity.imagePullSecrets.length > 0 ? { imagePullSecrets: identity.imagePullSecrets.map((name) => ({ name })) } : {}),
        ...(Object.keys(scheduling.nodeSelector).length > 0 ? { nodeSelector: { ...scheduling.nodeSelector } } : {}),
        ...(scheduling.tolerations.length > 0 ? { tolerations: scheduling.tolerations.map((t) => ({ ...t })) } : {}),
    };
}

/** The container-level sandbox (a fresh copy). */
export function sandboxSecurityContext(user?: { readonly uid: number; readonly gid: number }): k8s.types.input.core.v1.SecurityContext {
    return {
        ...RESTRICTED_CONTAINER_SECURITY_CONTEXT,
        ...(user ? { runAsUser: user.uid, runAsGroup: user.gid } : {}),
        capabilities: { drop: [...RESTRICTED_CONTAINER_SECURITY_CONTEXT.capabilities.drop] },
        seccompProfile: { ...RESTRICTED_CONTAINER_SECURITY_CONTEXT.seccompProfile },
    };
}

/** Plain env entries in a stable order. */
export function envVars(...maps: Readonly<Record<string, string>>[]): EnvVar[] {
    return maps.flatMap((m) => Object.entries(m).map(([name, value]) => ({ name, value })));
}

/** An env entry read from a Secret at runtime (never a literal in the manifest). */
export function secretEnv(name: string, secret: { readonly name: pulumi.Input<string>; readonly key: string }): EnvVar {
    return { name, valueFrom: { secretKeyRef: { name: secret.name, key: secret.key } } };
}

/** The writable scratch space of a read-only root: size-limited emptyDirs for the caches and /tmp. */
export function scratchVolumes(cacheMiB: number): { volumes: Volume[]; mounts: VolumeMount[]; env: Record<string, string> } {
    return {
        volumes: [
            { name: "cache", emptyDir: { sizeLimit: `${cacheMiB}Mi` } },
            { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
        ],
        mounts: [{ name: "cache", mountPath: CACHE_ROOT }, { name: "tmp", mountPath: "/tmp" }],
        env: { ...CACHE_ENV },
    };
}

/** `/dev/shm` as a memory-backed emptyDir of a fixed size (NCCL and PyTorch workers share tensors through it). */
export function sharedMemoryVolume(sizeMiB: number): { volume: Volume; mount: VolumeMount } {
    return {
        volume: { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${sizeMiB}Mi` } },
        mount: { name: "dshm", mountPath: "/dev/shm" },
    };
}

/** Container resources: requests equal limits (Guaranteed QoS), GPUs only as a limit of the device plugin's resource. */
export function guaranteedResources(cpus: number, memoryMiB: number, gpus: number): k8s.types.input.core.v1.ResourceRequirements {
    const base = { cpu: String(cpus), memory: `${memoryMiB}Mi` };
    return {
        requests: { ...base },
        limits: { ...base, ...(gpus > 0 ? { "nvidia.com/gpu": String(gpus) } : {}) },
    };
}
