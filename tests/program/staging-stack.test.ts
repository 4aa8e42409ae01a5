/**
 * The staging stack (Pulumi.staging.yaml, the aws platform) end to end, in-process: the program under the offline
 * plan's recording monitor (data sources answered with placeholders), then every registration — with its property
 * dependencies, as the engine sends them to stack policies — through the pack's policies per environment.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { AIRLOCK_PROJECT_YAML, ROOT } from "../support/cli";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { addressBlockOf } from "../../src/config/aws";
import { hostAddressInBlock } from "../../src/config/network";
import { plan } from "../../src/cli/main";
import { readable } from "../../src/cli/encoding";
import type { PlanResult } from "../../src/cli/render";
import type { RecordedResource } from "../../src/cli/run-program";
import { type FixtureResource, analyzeResources, urnOf } from "../policies/harness";

let result: PlanResult;
beforeAll(async () => { result = await plan({ stack: "staging", format: "json", noPolicy: true }); }, 120_000);

const ofType = (t: string) => result.resources.filter((r) => r.type === t);
const input = (r: RecordedResource) => readable(r.inputs) as Record<string, any>;

/** Recorded registrations as analyzer fixtures (URNs re-keyed the way the harness names them). */
function fixtures(rs: readonly RecordedResource[]): FixtureResource[] {
    const key = new Map(rs.map((r) => [r.urn, urnOf(r)]));
    return rs.map((r) => ({
        type: r.type, name: r.name, props: r.inputs,
        ...(r.parent && key.has(r.parent) ? { parent: key.get(r.parent)! } : {}),
        dependencies: r.dependencies.map((d) => key.get(d)).filter((d): d is string => d !== undefined),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([k, us]) => [k, us.map((u) => key.get(u)).filter((u): u is string => u !== undefined)])),
        opts: { additionalSecretOutputs: r.options.additionalSecretOutputs, protect: r.options.protect },
    }));
}

describe("staging stack (Pulumi.staging.yaml) under the offline plan", () => {
    it("creates the enclave, the model store with one staging instance, and one GPU instance", () => {
        const count = (t: string) => ofType(t).length;
        expect(count("airlock:aws:Platform")).toBe(1);
        expect(count("aws:ec2/vpc:Vpc")).toBe(1);
        expect(count("aws:ec2/subnet:Subnet")).toBe(6);
        expect(count("aws:ec2/vpcEndpoint:VpcEndpoint")).toBe(9);
        expect(count("aws:ecr/repository:Repository")).toBe(1);
        expect(count("aws:secretsmanager/secret:Secret")).toBe(1);
        expect(count("aws:s3/bucket:Bucket")).toBe(1);
        expect(ofType("aws:ec2/instance:Instance").map((i) => [i.name, input(i).instanceType, input(i).tags["airlock.dev/role"]])).toEqual([
            ["aws-models-stage-qwen3-4b", "m7i.xlarge", "model-staging"], ["qwen-0", "g6.xlarge", "inference"],
        ]);
        expect(ofType("pulumi:providers:aws").map((p) => input(p).region)).toEqual(["eu-west-1"]);
    });

    it("answers the account and partition lookups with placeholders, and says so", () => {
        expect((result.invokes ?? []).map((i) => [i.token, i.source])).toEqual([
            ["aws:index/getCallerIdentity:getCallerIdentity", "placeholder"], ["aws:index/getPartition:getPartition", "placeholder"],
        ]);
    });

    it("exports the server's address in the enclave and the enclave's identifiers", () => {
        const out = readable(result.outputs) as Record<string, any>;
        // Replica 0: zone a, slot 0 of the block derived from the name "qwen" (block 70 → 10.42.0.0 + 16 + 70 × 16).
        const address = hostAddressInBlock("10.42.0.0/20", addressBlockOf({ name: "qwen" }, "10.42.0.0/16"), 0);
        expect(address).toBe("10.42.4.112");
        expect(out.inferenceServers).toEqual({ qwen: { platform: "aws", url: `http://${address}:8000/v1`, urls: [`http://${address}:8000/v1`], servedModelName: "qwen3-4b" } });
        expect(out.enclaves.aws).toEqual({
            vpcId: "[unknown]", servingSubnetIds: ["[unknown]", "[unknown]"], endpointSecurityGroupId: "[unknown]",
            modelBucket: "airlock-staging-models-123456789012-eu-west-1", kmsKeyAlias: "alias/airlock-staging",
        });
        expect(out.environment).toBe("staging");
    });

    it("knows every policy document and boot script at preview (the pack reads them)", () => {
        for (const r of [...ofType("aws:iam/rolePolicy:RolePolicy"), ...ofType("aws:kms/key:Key"), ...ofType("aws:ec2/vpcEndpoint:VpcEndpoint")]) {
            expect(input(r).policy, r.name).toMatch(/^\{"Version":"2012-10-17"/);
        }
        for (const i of ofType("aws:ec2/instance:Instance")) expect(input(i).userData, i.name).toMatch(/^#!\/bin\/bash\n/);
    });

    it.each(["dev", "staging", "prod"] as const)("complies with the pack under the %s config", async (env) => {
        expect(await analyzeResources(fixtures(result.resources), loadEnvironmentConfig(env))).toEqual([]);
    });

    it("fails the pack when the stack is made insecure (the rules see these resources)", async () => {
        const rs = fixtures(result.resources).map((r) => (r.name === "qwen-0" ? { ...r, props: { ...r.props, associatePublicIpAddress: true } } : r));
        const vs = await analyzeResources(rs, loadEnvironmentConfig("staging"));
        expect(vs.map((v) => v.policy)).toEqual(["aws-ec2-instance-disallow-public-ip"]);
    });
});
describe("the staging stack with a pinned AMI lookup", () => {
    const write = () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-staging-ami-"));
        const stack = fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")
            .replace("      id: ami-0a1b2c3d4e5f60718", "      owner: amazon\n      name: Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20250101");
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), AIRLOCK_PROJECT_YAML);
        fs.writeFileSync(path.join(dir, "Pulumi.staging.yaml"), stack);
        fs.writeFileSync(path.join(dir, "invokes.json"), JSON.stringify({ "aws:ec2/getAmi:getAmi": { id: "ami-0fedcba9876543210", name: "Deep Learning Base OSS Nvidia Driver GPU AMI (Amazon Linux 2023) 20250101" } }));
        return dir;
    };
    it("looks the AMI up by owner and exact name, answered from --invoke-fixtures", async () => {
        const dir = write();
        const r = await plan({ stack: "staging", program: dir, format: "json", noPolicy: true, invokeFixtures: path.join(dir, "invokes.json") });
        expect((r.invokes ?? []).filter((i) => i.source === "fixture").map((i) => i.token)).toEqual(["aws:ec2/getAmi:getAmi"]);
        const amis = r.resources.filter((x) => x.type === "aws:ec2/instance:Instance").map((x) => (readable(x.inputs) as { ami: string }).ami);
        expect(amis).toEqual(["ami-0fedcba9876543210", "ami-0fedcba9876543210"]);
    }, 120_000);
    it("without the fixture, stops with one line naming the lookup and the flag", async () => {
        const dir = write();
        await expect(plan({ stack: "staging", program: dir, format: "json", noPolicy: true })).rejects.toThrow(
            /^the program calls the data source "aws:ec2\/getAmi:getAmi", which airlock plan cannot answer offline: pass its result with --invoke-fixtures FILE/);
    }, 120_000);
});
// Not proven here: `pulumi up` on AWS (see the README's staging section); the placeholders stand in for the account.
