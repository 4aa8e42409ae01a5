/**
 * The AWS sections of the stack config: `airlock:aws` (region, network, gateway, AMI, phase-1 staging) and
 * `inferenceServers[].aws` (GPU instance type, volumes, address block), plus the cross-field checks that involve
 * them (instance type against the baseline GPU table, images in the region's ECR). Schemas only; schema.ts composes
 * them into the one stack schema.
 */
import { z } from "zod";
import { GPU_INSTANCE_TYPES, gpuInstanceType, isAcceleratedInstanceType } from "@airlock/baseline";
import { addressBlocks, ipv4ToInt, parseCidr } from "./network";

export const AWS_REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;
/** The private registry host of an account's ECR in a region. */
export const ECR_HOST = /^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;

const int = (what: string, min: number, max: number) =>
    z.int({ error: `must be a whole number ${what} (${min}–${max})` }).min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` });

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"].map(parseCidr);

/** Whether an IPv4 CIDR lies inside the private (RFC 1918) or shared (RFC 6598) address space. */
export function isPrivateCidr(cidr: string): boolean {
    const c = parseCidr(cidr);
    return PRIVATE_RANGES.some((r) => c.prefix >= r.prefix && (c.network >>> (32 - r.prefix)) === (r.network >>> (32 - r.prefix)));
}

const cidr = z.cidrv4({ error: "must be an IPv4 CIDR such as '10.42.0.0/16'" })
    .refine((v) => parseCidr(v).network === ipv4ToInt(v.split("/")[0]!), { error: "must be a network address (no host bits set), e.g. '10.42.0.0/16'" });

const privateCidr = cidr.refine(isPrivateCidr, {
    error: "must be private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10): the enclave has no route to or from the internet",
});

const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

export const AwsAmiSchema = z.union([
    z.strictObject({ id: z.string({ error: "must be a string" }).regex(/^ami-[0-9a-f]{8}([0-9a-f]{9})?$/, { error: "must be an AMI id 'ami-' followed by 8 or 17 hex digits" }) }),
    z.strictObject({
        owner: z.string({ error: "must be a string" }).regex(/^(amazon|[0-9]{12})$/, { error: "must be 'amazon' or a 12-digit account id (the publisher you trust)" }),
        name: z.string({ error: "must be a string" }).min(1).max(128)
            .regex(/^[A-Za-z0-9 ()[\]./_'@-]+$/, { error: "must be the AMI's exact name (letters, digits, spaces and ()[]./_'@-; no wildcards: a wildcard lookup can change the image under you)" }),
    }),
], { error: "must be { id: 'ami-…' } or a pinned lookup { owner, name } with the image's exact name" });

export const AwsStagingSchema = z.strictObject({
    /** Create the phase-1 network (staging subnet, NAT, internet gateway) and one staging instance per model. */
    enabled: z.boolean({ error: "must be true or false" }).default(true),
    /** A CPU instance type: staging downloads, it never needs a GPU. */
    instanceType: z.string({ error: "must be a string" }).regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: "must be an EC2 instance type such as 'm7i.xlarge'" })
        .refine((t) => !isAcceleratedInstanceType(t), { error: "must be a CPU instance type: a staging instance never needs a GPU (the policy pack rejects one in the staging subnet)" })
        .default("m7i.xlarge"),
    volumeGiB: int("of GiB", 20, 16_384).default(200),
    /** Hours a server waits at boot for its model to be staged before its user data fails. */
    waitHours: int("of hours", 1, 48).default(6),
});

export const AwsSchema = z.strictObject({
    region: z.string({ error: "must be a string" }).regex(AWS_REGION, { error: "must be an AWS region code such as 'eu-west-1'" }),
    vpcCidr: privateCidr.refine((v) => parseCidr(v).prefix >= 16 && parseCidr(v).prefix <= 20, {
        error: "must have a prefix length from /16 to /20 (the enclave carves 16 subnets out of it)",
    }).default("10.42.0.0/16"),
    /** Zones of `region` for the serving and endpoint subnets (one of each per zone). */
    availabilityZones: z.array(z.string({ error: "must be a string" }).regex(/^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-[0-9][a-z]$/, {
        error: "must be an availability zone name such as 'eu-west-1a'",
    }), { error: "must be a list of availability zone names" }).min(1, { error: "must name at least one zone" })
        .max(6, { error: "must name at most 6 zones" }),
    /** Who may reach the inference port: CIDRs and/or security groups of the gateway that fronts the servers. */
    gateway: z.strictObject({
        cidrs: z.array(privateCidr, { error: "must be a list of CIDRs" }).default([]),
        securityGroupIds: z.array(z.string().regex(/^sg-[0-9a-f]{8}([0-9a-f]{9})?$/, { error: "must be a security group id 'sg-…'" }),
            { error: "must be a list of security group ids" }).default([]),
    }, { error: "must be { cidrs: [...], securityGroupIds: [...] }" }),
    /** The GPU AMI: an id, or an exact-name lookup. Must ship Docker, the NVIDIA container toolkit and the AWS CLI. */
    ami: AwsAmiSchema,
    staging: AwsStagingSchema.default({ enabled: true, instanceType: "m7i.xlarge", volumeGiB: 200, waitHours: 6 }),
    flowLogRetentionDays: z.union(CLOUDWATCH_RETENTION_DAYS.map((d) => z.literal(d)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
        error: `must be a CloudWatch Logs retention: ${CLOUDWATCH_RETENTION_DAYS.join(", ")}`,
    }).default(365),
});
export type AwsConfig = z.infer<typeof AwsSchema>;

export const AwsServerSchema = z.strictObject({
    /** A GPU instance type from the baseline table (packages/baseline/aws-instance-types.ts). */
    instanceType: z.string({ error: "must be a string" }),
    rootVolumeGiB: int("of GiB", 50, 16_384).default(100),
    /** The data volume the model is copied to (encrypted with the enclave's key). */
    modelVolumeGiB: int("of GiB", 20, 65_536).default(200),
    /** Which block of 16 addresses the replicas use in each serving subnet. @default derived from the server's name */
    addressBlock: int("block index", 0, 4094).optional(),
});
export type AwsServerConfig = z.infer<typeof AwsServerSchema>;

/** The fields of the validated stack config the AWS checks read. */
interface CheckedConfig {
    readonly platforms: readonly string[];
    readonly aws?: AwsConfig;
    readonly images: { readonly vllm: { readonly registry: string }; readonly staging?: { readonly registry: string } };
    readonly models: readonly { readonly name: string; readonly serving: { readonly tensorParallelSize?: number } }[];
    readonly inferenceServers: readonly {
        readonly name: string; readonly model: string; readonly platform: string; readonly gpus: number; readonly replicas: number;
        readonly resources: { readonly cpus: number; readonly memoryMiB: number }; readonly aws?: AwsServerConfig;
    }[];
    readonly trainingJobs: readonly { readonly platform: string }[];
}

type Problem = (path: (string | number)[], message: string) => void;

/** FNV-1a, for a stable default address block per server name. */
function fnv1a(s: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
}

/** The address block a server uses: configured, or derived from its name. */
export function addressBlockOf(server: { readonly name: string; readonly aws?: { readonly addressBlock?: number } }, vpcCidr: string): number {
    return server.aws?.addressBlock ?? fnv1a(server.name) % addressBlocks(vpcCidr);
}

const FAMILIES = [...new Set(Object.keys(GPU_INSTANCE_TYPES).map((t) => t.split(".")[0]))].join(", ");

/** The cross-field checks of the AWS sections (called from the stack schema's superRefine). */
export function checkAwsConfig(c: CheckedConfig, problem: Problem): void {
    const onAws = c.platforms.includes("aws");
    if (!onAws) {
        if (c.aws !== undefined) problem(["aws"], "is set but airlock:platforms does not include aws; add aws to airlock:platforms or remove airlock:aws");
        c.inferenceServers.forEach((s, i) => {
            if (s.aws !== undefined && s.platform !== "aws") problem(["inferenceServers", i, "aws"], `applies only to platform aws, but this server runs on ${s.platform}; remove it`);
        });
        return;
    }
    const aws = c.aws;
    if (aws === undefined) {
        problem(["aws"], "is required when airlock:platforms includes aws: set { region, availabilityZones, gateway, ami } (see docs/config.md)");
        return;
    }
    if (!AWS_REGION.test(aws.region)) return; // reported by the schema; every check below compares with the region
    aws.availabilityZones.forEach((z, i) => {
        if (!z.startsWith(aws.region) || z.length !== aws.region.length + 1) problem(["aws", "availabilityZones", i], `is not a zone of aws.region ${aws.region}; use e.g. '${aws.region}a'`);
    });
    if (new Set(aws.availabilityZones).size !== aws.availabilityZones.length) problem(["aws", "availabilityZones"], "lists a zone twice; name each zone once");
    if (aws.gateway.cidrs.length === 0 && aws.gateway.securityGroupIds.length === 0) {
        problem(["aws", "gateway"], "admits nobody: set gateway.cidrs and/or gateway.securityGroupIds to the gateway that fronts the servers (the inference port is open to it only)");
    }
    for (const [key, ref] of [["vllm", c.images.vllm], ["staging", c.images.staging]] as const) {
        if (ref === undefined) continue;
        const host = ref.registry.split("/")[0]!;
        const m = ECR_HOST.exec(host);
        if (!m) problem(["images", key, "registry"], `must be in the private ECR registry of aws.region on the aws platform ('<account>.dkr.ecr.${aws.region}.amazonaws.com/<repository>'): instances pull through the ECR VPC endpoints only`);
        else if (m[2] !== aws.region) problem(["images", key, "registry"], `is in ECR of ${m[2]}, but aws.region is ${aws.region}; mirror the image into the region's registry (the endpoints are regional)`);
    }
    c.trainingJobs.forEach((j, i) => {
        if (j.platform === "aws") problem(["trainingJobs", i, "platform"], "is aws, which runs inference servers only for now; run training jobs on docker");
    });
    const models = new Map(c.models.map((m) => [m.name, m]));
    const blocks = new Map<number, string>();
    const blockCount = addressBlocks(aws.vpcCidr);
    c.inferenceServers.forEach((s, i) => {
        if (s.platform !== "aws") {
            if (s.aws !== undefined) problem(["inferenceServers", i, "aws"], `applies only to platform aws, but this server runs on ${s.platform}; remove it`);
            return;
        }
        if (s.aws === undefined) {
            problem(["inferenceServers", i, "aws"], "is required for platform aws: set { instanceType } (a GPU type such as 'g6e.xlarge')");
            return;
        }
        const type = gpuInstanceType(s.aws.instanceType);
        if (type === undefined) {
            problem(["inferenceServers", i, "aws", "instanceType"], `is not a GPU instance type Airlock knows (families ${FAMILIES}; see packages/baseline/aws-instance-types.ts)`);
        } else {
            const tp = models.get(s.model)?.serving.tensorParallelSize ?? 1;
            if (s.gpus > type.gpus) problem(["inferenceServers", i, "gpus"], `is ${s.gpus}, but ${s.aws.instanceType} has ${type.gpus} GPU${type.gpus === 1 ? "" : "s"}; lower gpus or choose a larger type`);
            if (s.gpus === 0) problem(["inferenceServers", i, "gpus"], `is 0 on a GPU instance (${s.aws.instanceType}); give the server its GPUs (up to ${type.gpus})`);
            if (tp > type.gpus) problem(["inferenceServers", i, "aws", "instanceType"], `has ${type.gpus} GPU${type.gpus === 1 ? "" : "s"}, but model "${s.model}" has tensorParallelSize ${tp}; choose a type with at least ${tp} GPUs`);
            if (s.resources.cpus > type.vcpus) problem(["inferenceServers", i, "resources", "cpus"], `is ${s.resources.cpus}, more than the ${type.vcpus} vCPUs of ${s.aws.instanceType}; lower it or choose a larger type`);
            const hostMiB = type.memoryGiB * 1024;
            // Leave the host (Docker, the AWS CLI, the page cache while copying the model) at least 2 GiB.
            if (s.resources.memoryMiB > hostMiB - 2048) problem(["inferenceServers", i, "resources", "memoryMiB"], `is ${s.resources.memoryMiB}, but ${s.aws.instanceType} has ${hostMiB} MiB and the host keeps 2048 MiB; lower it to at most ${hostMiB - 2048}`);
        }
        if (s.aws.addressBlock !== undefined && s.aws.addressBlock >= blockCount) {
            problem(["inferenceServers", i, "aws", "addressBlock"], `is ${s.aws.addressBlock}, but the serving subnets of vpcCidr ${aws.vpcCidr} hold blocks 0–${blockCount - 1}`);
            return;
        }
        const block = addressBlockOf(s, aws.vpcCidr);
        const other = blocks.get(block);
        if (other !== undefined) {
            problem(["inferenceServers", i, "aws", "addressBlock"], `${s.aws.addressBlock === undefined ? "defaults" : "is set"} to block ${block}, which server "${other}" uses; set a free block (0–${blockCount - 1}) for one of them`);
        }
        blocks.set(block, s.name);
    });
}
