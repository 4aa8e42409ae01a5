/**
 * EC2 GPU instance types Airlock serves models on: GPU count, GPU model and memory, vCPUs and instance memory per
 * type (AWS "Accelerated computing" instance specifications, x86_64 types with NVIDIA GPUs). The config schema
 * validates a server's GPUs, tensor parallelism, CPU and memory limits against this table; the policy pack uses
 * the families to recognise a GPU host.
 */

export interface GpuInstanceType {
    /** NVIDIA GPUs attached to the instance. */
    readonly gpus: number;
    readonly gpuModel: string;
    /** Memory of one GPU, GiB. */
    readonly gpuMemoryGiB: number;
    readonly vcpus: number;
    /** Instance (host) memory, GiB. */
    readonly memoryGiB: number;
}

const t = (gpus: number, gpuModel: string, gpuMemoryGiB: number, vcpus: number, memoryGiB: number): GpuInstanceType =>
    ({ gpus, gpuModel, gpuMemoryGiB, vcpus, memoryGiB });

const T4 = "NVIDIA T4", A10G = "NVIDIA A10G", L4 = "NVIDIA L4", L40S = "NVIDIA L40S", V100 = "NVIDIA V100";

export const GPU_INSTANCE_TYPES: Readonly<Record<string, GpuInstanceType>> = {
    "g4dn.xlarge": t(1, T4, 16, 4, 16),
    "g4dn.2xlarge": t(1, T4, 16, 8, 32),
    "g4dn.4xlarge": t(1, T4, 16, 16, 64),
    "g4dn.8xlarge": t(1, T4, 16, 32, 128),
    "g4dn.16xlarge": t(1, T4, 16, 64, 256),
    "g4dn.12xlarge": t(4, T4, 16, 48, 192),
    "g4dn.metal": t(8, T4, 16, 96, 384),
    "g5.xlarge": t(1, A10G, 24, 4, 16),
    "g5.2xlarge": t(1, A10G, 24, 8, 32),
    "g5.4xlarge": t(1, A10G, 24, 16, 64),
    "g5.8xlarge": t(1, A10G, 24, 32, 128),
    "g5.16xlarge": t(1, A10G, 24, 64, 256),
    "g5.12xlarge": t(4, A10G, 24, 48, 192),
    "g5.24xlarge": t(4, A10G, 24, 96, 384),
    "g5.48xlarge": t(8, A10G, 24, 192, 768),
    "g6.xlarge": t(1, L4, 24, 4, 16),
    "g6.2xlarge": t(1, L4, 24, 8, 32),
    "g6.4xlarge": t(1, L4, 24, 16, 64),
    "g6.8xlarge": t(1, L4, 24, 32, 128),
    "g6.16xlarge": t(1, L4, 24, 64, 256),
    "g6.12xlarge": t(4, L4, 24, 48, 192),
    "g6.24xlarge": t(4, L4, 24, 96, 384),
    "g6.48xlarge": t(8, L4, 24, 192, 768),
    "gr6.4xlarge": t(1, L4, 24, 16, 128),
    "gr6.8xlarge": t(1, L4, 24, 32, 256),
    "g6e.xlarge": t(1, L40S, 48, 4, 32),
    "g6e.2xlarge": t(1, L40S, 48, 8, 64),
    "g6e.4xlarge": t(1, L40S, 48, 16, 128),
    "g6e.8xlarge": t(1, L40S, 48, 32, 256),
    "g6e.16xlarge": t(1, L40S, 48, 64, 512),
    "g6e.12xlarge": t(4, L40S, 48, 48, 384),
    "g6e.24xlarge": t(4, L40S, 48, 96, 768),
    "g6e.48xlarge": t(8, L40S, 48, 192, 1536),
    "p3.2xlarge": t(1, V100, 16, 8, 61),
    "p3.8xlarge": t(4, V100, 16, 32, 244),
    "p3.16xlarge": t(8, V100, 16, 64, 488),
    "p3dn.24xlarge": t(8, V100, 32, 96, 768),
    "p4d.24xlarge": t(8, "NVIDIA A100 40GB", 40, 96, 1152),
    "p4de.24xlarge": t(8, "NVIDIA A100 80GB", 80, 96, 1152),
    "p5.4xlarge": t(1, "NVIDIA H100", 80, 16, 256),
    "p5.48xlarge": t(8, "NVIDIA H100", 80, 192, 2048),
    "p5e.48xlarge": t(8, "NVIDIA H200", 141, 192, 2048),
    "p5en.48xlarge": t(8, "NVIDIA H200", 141, 192, 2048),
};

/** The table entry of `instanceType`, or `undefined`. */
export function gpuInstanceType(instanceType: string): GpuInstanceType | undefined {
    return Object.prototype.hasOwnProperty.call(GPU_INSTANCE_TYPES, instanceType) ? GPU_INSTANCE_TYPES[instanceType] : undefined;
}

/**
 * EC2 families with accelerators (NVIDIA and AMD GPUs, Trainium, Inferentia, Gaudi, FPGAs, video transcoders): `g*`,
 * `p*`, `gr*`, `trn*`, `inf*`, `dl*`, `f*`, `vt*`. Broader than the table on purpose: a type of a future GPU
 * family is still a GPU host to the policy pack.
 */
export const ACCELERATED_FAMILY = /^(g[0-9]+[a-z-]*|gr[0-9]+[a-z]*|p[0-9]+[a-z0-9-]*|trn[0-9]+[a-z]*|inf[0-9]+[a-z]*|dl[0-9]+[a-z]*|f[0-9]+[a-z]*|vt[0-9]+[a-z]*)\.[a-z0-9-]+$/;

/** Whether an EC2 instance type carries accelerators (a GPU host). */
export function isAcceleratedInstanceType(instanceType: string): boolean {
    return ACCELERATED_FAMILY.test(instanceType) || gpuInstanceType(instanceType) !== undefined;
}
