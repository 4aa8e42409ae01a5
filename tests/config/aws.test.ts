/**
 * The AWS sections of the config (pure): a valid aws stack, and one mutation per check with the exact problem
 * line (key path, message, value). Plus the network arithmetic the components rely on.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../src/config";
import { addressBlockOf, isPrivateCidr } from "../../src/config/aws";
import { addressBlocks, hostAddressInBlock, replicaPlacement, subnetCidr, subnetLayout } from "../../src/config/network";
import { QWEN_SHA, VLLM_DIGEST } from "../fixtures/config";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";

function awsRaw(): Record<string, any> {
    return {
        environment: "staging",
        platforms: ["aws"],
        images: { vllm: { registry: `${ECR}/airlock/vllm`, tag: "v0.11.0", digest: VLLM_DIGEST } },
        models: [{ name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: QWEN_SHA }],
        inferenceServers: [{
            name: "qwen", model: "qwen3-4b", platform: "aws", apiKeySecret: "qwenApiKey",
            resources: { cpus: 4, memoryMiB: 12288, shmSizeMiB: 2048 }, aws: { instanceType: "g6.xlarge" },
        }],
        aws: {
            region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b"], gateway: { cidrs: ["10.10.0.0/16"] },
            ami: { id: "ami-0a1b2c3d4e5f60718" },
        },
    };
}
const withAws = (mutate: (r: Record<string, any>) => void) => { const r = awsRaw(); mutate(r); return r; };

function problemLines(raw: Record<string, unknown>): string[] {
    try {
        parseStackConfig(raw, "staging");
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message.split("\n").filter((l) => l.startsWith("  - "));
    }
    throw new Error("expected the config to be rejected");
}

describe("airlock:aws", () => {
    it("accepts the staging shape and fills the defaults", () => {
        const c = parseStackConfig(awsRaw(), "staging");
        expect(c.aws).toEqual({
            region: "eu-west-1", vpcCidr: "10.42.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"],
            gateway: { cidrs: ["10.10.0.0/16"], securityGroupIds: [] }, ami: { id: "ami-0a1b2c3d4e5f60718" },
            staging: { enabled: true, instanceType: "m7i.xlarge", volumeGiB: 200, waitHours: 6 }, flowLogRetentionDays: 365,
        });
        expect(c.inferenceServers[0]!.aws).toEqual({ instanceType: "g6.xlarge", rootVolumeGiB: 100, modelVolumeGiB: 200 });
    });

    it("accepts a pinned AMI lookup and a gateway security group", () => {
        const c = parseStackConfig(withAws((r) => {
            r.aws.ami = { owner: "amazon", name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20250101" };
            r.aws.gateway = { securityGroupIds: ["sg-0123456789abcdef0"] };
        }), "staging");
        expect(c.aws!.ami).toEqual({ owner: "amazon", name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20250101" });
    });

    it.each<[string, (r: Record<string, any>) => void, string]>([
        ["aws missing on the aws platform", (r) => { delete r.aws; },
            "  - airlock:aws: is required when airlock:platforms includes aws: set { region, availabilityZones, gateway, ami } (see docs/config.md) (not set)"],
        ["aws set without the aws platform", (r) => { r.platforms = ["docker"]; r.inferenceServers = []; },
            "  - airlock:aws: is set but airlock:platforms does not include aws; add aws to airlock:platforms or remove airlock:aws (got {\"region\":\"eu-west-1\",\"availabilityZones\":[\"eu-west-1a\",\"eu-west-1b\"],\"gatewa...)"],
        ["a misspelled key", (r) => { r.aws.vpcCIDR = "10.0.0.0/16"; },
            "  - airlock:aws.vpcCIDR: is not a known setting; check its spelling against docs/config.md (got \"10.0.0.0/16\")"],
        ["a bad region", (r) => { r.aws.region = "europe"; }, "  - airlock:aws.region: must be an AWS region code such as 'eu-west-1' (got \"europe\")"],
        ["a public VPC CIDR", (r) => { r.aws.vpcCidr = "8.8.0.0/16"; },
            "  - airlock:aws.vpcCidr: must be private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10): the enclave has no route to or from the internet (got \"8.8.0.0/16\")"],
        ["a VPC CIDR too small", (r) => { r.aws.vpcCidr = "10.42.0.0/24"; },
            "  - airlock:aws.vpcCidr: must have a prefix length from /16 to /20 (the enclave carves 16 subnets out of it) (got \"10.42.0.0/24\")"],
        ["host bits in the CIDR", (r) => { r.aws.vpcCidr = "10.42.0.1/16"; },
            "  - airlock:aws.vpcCidr: must be a network address (no host bits set), e.g. '10.42.0.0/16' (got \"10.42.0.1/16\")"],
        ["a zone of another region", (r) => { r.aws.availabilityZones = ["eu-west-1a", "us-east-1b"]; },
            "  - airlock:aws.availabilityZones[1]: is not a zone of aws.region eu-west-1; use e.g. 'eu-west-1a' (got \"us-east-1b\")"],
        ["the internet as the gateway", (r) => { r.aws.gateway.cidrs = ["0.0.0.0/0"]; },
            "  - airlock:aws.gateway.cidrs[0]: must be private address space (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or 100.64.0.0/10): the enclave has no route to or from the internet (got \"0.0.0.0/0\")"],
        ["an empty gateway", (r) => { r.aws.gateway = {}; },
            "  - airlock:aws.gateway: admits nobody: set gateway.cidrs and/or gateway.securityGroupIds to the gateway that fronts the servers (the inference port is open to it only) (got {})"],
        ["a wildcard AMI lookup", (r) => { r.aws.ami = { owner: "amazon", name: "Deep Learning*" }; },
            "  - airlock:aws.ami.name: must be the AMI's exact name (letters, digits, spaces and ()[]./_'@-; no wildcards: a wildcard lookup can change the image under you) (got \"Deep Learning*\")"],
        ["a GPU staging instance", (r) => { r.aws.staging = { instanceType: "g5.xlarge" }; },
            "  - airlock:aws.staging.instanceType: must be a CPU instance type: a staging instance never needs a GPU (the policy pack rejects one in the staging subnet) (got \"g5.xlarge\")"],
        ["an image outside ECR", (r) => { r.images.vllm.registry = "docker.io/vllm/vllm-openai"; },
            "  - airlock:images.vllm.registry: must be in the private ECR registry of aws.region on the aws platform ('<account>.dkr.ecr.eu-west-1.amazonaws.com/<repository>'): instances pull through the ECR VPC endpoints only (got \"docker.io/vllm/vllm-openai\")"],
        ["an image in another region's ECR", (r) => { r.images.vllm.registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com/airlock/vllm"; },
            "  - airlock:images.vllm.registry: is in ECR of us-east-1, but aws.region is eu-west-1; mirror the image into the region's registry (the endpoints are regional) (got \"123456789012.dkr.ecr.us-east-1.amazonaws.com/airlock/vllm\")"],
        ["a training job on aws", (r) => { r.images.trainer = r.images.vllm; r.trainingJobs = [{ name: "lora", platform: "aws", command: ["axolotl"], limits: { cpus: 1, memoryMiB: 1024, pids: 64 } }]; },
            "  - airlock:trainingJobs[0].platform: is aws, which runs inference servers only for now; run training jobs on docker (got \"aws\")"],
    ])("rejects %s", (_t, mutate, line) => {
        expect(problemLines(withAws(mutate))).toEqual([line]);
    });
});

describe("inferenceServers[].aws", () => {
    it.each<[string, (r: Record<string, any>) => void, string[]]>([
        ["no aws section on an aws server", (r) => { delete r.inferenceServers[0].aws; },
            ["  - airlock:inferenceServers[0].aws: is required for platform aws: set { instanceType } (a GPU type such as 'g6e.xlarge') (not set)"]],
        ["a CPU instance type", (r) => { r.inferenceServers[0].aws.instanceType = "m7i.xlarge"; },
            ["  - airlock:inferenceServers[0].aws.instanceType: is not a GPU instance type Airlock knows (families g4dn, g5, g6, gr6, g6e, p3, p3dn, p4d, p4de, p5, p5e, p5en; see packages/baseline/aws-instance-types.ts) (got \"m7i.xlarge\")"]],
        ["more GPUs than the type has", (r) => { r.inferenceServers[0].gpus = 2; },
            ["  - airlock:inferenceServers[0].gpus: is 2, but g6.xlarge has 1 GPU; lower gpus or choose a larger type (got 2)"]],
        ["tensor parallelism beyond the type's GPUs", (r) => { r.models[0].serving = { tensorParallelSize: 4 }; r.inferenceServers[0].gpus = 4; r.inferenceServers[0].aws.instanceType = "g6.2xlarge"; },
            [
                "  - airlock:inferenceServers[0].gpus: is 4, but g6.2xlarge has 1 GPU; lower gpus or choose a larger type (got 4)",
                "  - airlock:inferenceServers[0].aws.instanceType: has 1 GPU, but model \"qwen3-4b\" has tensorParallelSize 4; choose a type with at least 4 GPUs (got \"g6.2xlarge\")",
            ]],
        ["more CPUs than the type has", (r) => { r.inferenceServers[0].resources.cpus = 8; },
            ["  - airlock:inferenceServers[0].resources.cpus: is 8, more than the 4 vCPUs of g6.xlarge; lower it or choose a larger type (got 8)"]],
        ["more memory than the type leaves the container", (r) => { r.inferenceServers[0].resources.memoryMiB = 16384; },
            ["  - airlock:inferenceServers[0].resources.memoryMiB: is 16384, but g6.xlarge has 16384 MiB and the host keeps 2048 MiB; lower it to at most 14336 (got 16384)"]],
        ["no GPU on a GPU instance", (r) => { r.inferenceServers[0].gpus = 0; },
            ["  - airlock:inferenceServers[0].gpus: is 0 on a GPU instance (g6.xlarge); give the server its GPUs (up to 1) (got 0)"]],
        ["aws options on a docker server", (r) => { r.platforms = ["aws", "docker"]; r.inferenceServers[0].platform = "docker"; },
            ["  - airlock:inferenceServers[0].aws: applies only to platform aws, but this server runs on docker; remove it (got {\"instanceType\":\"g6.xlarge\"})"]],
        ["two servers in one address block", (r) => {
            r.inferenceServers.push({ ...r.inferenceServers[0], name: "qwen-b", apiKeySecret: "qwenBApiKey", aws: { instanceType: "g6.xlarge", addressBlock: addressBlockOf({ name: "qwen" }, "10.42.0.0/16") } });
        }, [`  - airlock:inferenceServers[1].aws.addressBlock: is set to block ${addressBlockOf({ name: "qwen" }, "10.42.0.0/16")}, which server "qwen" uses; set a free block (0–253) for one of them (got ${addressBlockOf({ name: "qwen" }, "10.42.0.0/16")})`]],
        ["an address block outside the subnets", (r) => { r.inferenceServers[0].aws.addressBlock = 300; },
            ["  - airlock:inferenceServers[0].aws.addressBlock: is 300, but the serving subnets of vpcCidr 10.42.0.0/16 hold blocks 0–253 (got 300)"]],
    ])("rejects %s", (_t, mutate, lines) => {
        expect(problemLines(withAws(mutate))).toEqual(lines);
    });

    it("derives a stable default address block from the name", () => {
        expect(addressBlockOf({ name: "qwen" }, "10.42.0.0/16")).toBe(addressBlockOf({ name: "qwen" }, "10.42.0.0/16"));
        expect(addressBlockOf({ name: "qwen", aws: { addressBlock: 7 } }, "10.42.0.0/16")).toBe(7);
        expect(addressBlockOf({ name: "qwen" }, "10.42.0.0/16")).toBeLessThan(254);
    });
});

describe("enclave network arithmetic", () => {
    it("cuts the VPC into 16 subnets: serving per zone, endpoints per zone, staging and egress", () => {
        expect(subnetLayout("10.42.0.0/16", 2)).toEqual({
            serving: ["10.42.0.0/20", "10.42.16.0/20"], endpoints: ["10.42.96.0/20", "10.42.112.0/20"],
            staging: "10.42.224.0/20", egress: "10.42.240.0/20",
        });
        expect(subnetCidr("192.168.0.0/20", 15)).toBe("192.168.15.0/24");
    });
    it("places replicas round-robin over the zones at fixed addresses of the server's block", () => {
        expect([0, 1, 2, 3].map((r) => replicaPlacement(r, 2))).toEqual([{ zone: 0, slot: 0 }, { zone: 1, slot: 0 }, { zone: 0, slot: 1 }, { zone: 1, slot: 1 }]);
        expect(hostAddressInBlock("10.42.0.0/20", 0, 0)).toBe("10.42.0.16");
        expect(hostAddressInBlock("10.42.16.0/20", 2, 3)).toBe("10.42.16.51");
        expect(addressBlocks("10.42.0.0/16")).toBe(254);
        expect(addressBlocks("10.42.0.0/20")).toBe(14);
        expect(hostAddressInBlock("10.42.0.0/24", 13, 15)).toBe("10.42.0.239");
        expect(() => hostAddressInBlock("10.42.0.0/24", 14, 15)).toThrow("address block 14 slot 15 is outside 10.42.0.0/24");
    });
    it.each([["10.0.0.0/8", true], ["172.31.0.0/16", true], ["192.168.1.0/24", true], ["100.64.0.0/10", true], ["172.32.0.0/16", false], ["0.0.0.0/0", false], ["8.8.8.0/24", false]])(
        "isPrivateCidr(%s) is %s", (c, expected) => { expect(isPrivateCidr(c)).toBe(expected); });
});
