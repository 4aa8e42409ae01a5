/**
 * Enclave (AWS) under mocks: the exact network (subnets, route tables and every route), the endpoints and their
 * policies, the security group rules (no port 22, nothing from outside the VPC), flow logs, the key and its
 * policy statement by statement, the registries and the secrets.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMocks, isSecretInput, only, registrations, settle, unsecret } from "../../support/mocks";

let m: typeof import("../../../components/aws");
beforeAll(async () => { await installMocks(); m = await import("../../../components/aws"); });
beforeEach(() => { registrations.length = 0; });

const account = { accountId: pulumi.output("123456789012"), partition: pulumi.output("aws"), region: "eu-west-1", reverseDnsPrefix: pulumi.output("com.amazonaws") };
const base = {
    namePrefix: "airlock-test", stack: "test", account, vpcCidr: "10.42.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"], staging: true,
    flowLogRetentionDays: 365, repositories: ["airlock/vllm", "airlock/vllm"], secrets: [{ key: "qwen/api-key", value: pulumi.secret("sentinel-api-key") }],
    modelBucket: pulumi.output("airlock-test-models-123456789012-eu-west-1"),
};
const byName = (name: string) => registrations.find((r) => r.name === name)!;
const doc = (v: unknown) => JSON.parse(unsecret<string>(v)) as { Statement: Record<string, any>[] };

describe("Enclave (aws)", () => {
    it("builds the VPC with private serving and endpoint subnets, one per zone, none mapping public addresses", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        expect(only("aws:ec2/vpc:Vpc").map((v) => v.inputs)).toEqual([{ cidrBlock: "10.42.0.0/16", enableDnsSupport: true, enableDnsHostnames: true, tags: { Name: "airlock-test-vpc", "airlock.dev/stack": "test" } }]);
        const subnets = only("aws:ec2/subnet:Subnet").map((s) => [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch, s.inputs.tags["airlock.dev/role"] ?? s.inputs.tags["airlock.dev/subnet"]]);
        expect(subnets).toEqual([
            ["enclave-serving-0", "10.42.0.0/20", "eu-west-1a", false, "serving"],
            ["enclave-serving-1", "10.42.16.0/20", "eu-west-1b", false, "serving"],
            ["enclave-endpoints-0", "10.42.96.0/20", "eu-west-1a", false, "endpoints"],
            ["enclave-endpoints-1", "10.42.112.0/20", "eu-west-1b", false, "endpoints"],
            ["enclave-egress", "10.42.240.0/20", "eu-west-1a", false, "egress"],
            ["enclave-staging", "10.42.224.0/20", "eu-west-1a", false, "model-staging"],
        ]);
        expect(only("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").map((s) => [s.inputs.ingress, s.inputs.egress])).toEqual([[undefined, undefined]]);
    });

    it("routes: the serving table has no route at all; only the staging table reaches a NAT, only the egress table the internet gateway", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        expect(only("aws:ec2/routeTable:RouteTable").map((t) => [t.name, t.inputs.routes])).toEqual([
            ["enclave-serving-rt", undefined], ["enclave-egress-rt", undefined], ["enclave-staging-rt", undefined],
        ]);
        expect(only("aws:ec2/route:Route").map((r) => [r.name, r.inputs.routeTableId, r.inputs.destinationCidrBlock, r.inputs.gatewayId, r.inputs.natGatewayId])).toEqual([
            ["enclave-egress-default", "enclave-egress-rt-id", "0.0.0.0/0", "enclave-igw-id", undefined],
            ["enclave-staging-default", "enclave-staging-rt-id", "0.0.0.0/0", undefined, "enclave-nat-id"],
        ]);
        expect(only("aws:ec2/routeTableAssociation:RouteTableAssociation").map((a) => [a.inputs.subnetId, a.inputs.routeTableId])).toEqual([
            ["enclave-serving-0-id", "enclave-serving-rt-id"], ["enclave-serving-1-id", "enclave-serving-rt-id"],
            ["enclave-endpoints-0-id", "enclave-serving-rt-id"], ["enclave-endpoints-1-id", "enclave-serving-rt-id"],
            ["enclave-egress-id", "enclave-egress-rt-id"], ["enclave-staging-id", "enclave-staging-rt-id"],
        ]);
        expect(only("aws:ec2/natGateway:NatGateway")[0]!.inputs).toMatchObject({ subnetId: "enclave-egress-id" });
    });

    it("creates the eight interface endpoints with private DNS in the endpoint subnets, usable by this account only", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        const interfaces = only("aws:ec2/vpcEndpoint:VpcEndpoint").filter((x) => x.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((x) => x.inputs.serviceName)).toEqual(m.INTERFACE_ENDPOINTS.map((s) => `com.amazonaws.eu-west-1.${s}`));
        for (const x of interfaces) {
            expect(x.inputs).toMatchObject({ privateDnsEnabled: true, subnetIds: ["enclave-endpoints-0-id", "enclave-endpoints-1-id"], securityGroupIds: ["enclave-endpoints-sg-id"] });
            expect(doc(x.inputs.policy).Statement).toEqual([{
                Sid: "ThisAccountOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
            }]);
        }
    });

    it("limits the S3 gateway endpoint to the model bucket and ECR's layer bucket", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        const s3 = byName("enclave-s3");
        expect(s3.inputs).toMatchObject({ serviceName: "com.amazonaws.eu-west-1.s3", vpcEndpointType: "Gateway", routeTableIds: ["enclave-serving-rt-id", "enclave-staging-rt-id"] });
        const [bucket, layers] = doc(s3.inputs.policy).Statement;
        expect(bucket).toEqual({
            Sid: "ModelBucket", Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"],
            Resource: ["arn:aws:s3:::airlock-test-models-123456789012-eu-west-1", "arn:aws:s3:::airlock-test-models-123456789012-eu-west-1/*"],
            Condition: { StringEquals: { "aws:PrincipalAccount": "123456789012" } },
        });
        expect(layers).toEqual({ Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/*" });
    });

    it("security groups: HTTPS into the endpoints from the VPC; the staging group HTTPS out; no port 22 anywhere", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        expect(only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs)).toEqual([
            { securityGroupId: "enclave-endpoints-sg-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.42.0.0/16", description: "HTTPS from the enclave" },
        ]);
        expect(only("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs)).toEqual([
            { securityGroupId: "enclave-staging-sg-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS to the model hub (through the NAT) and the VPC endpoints" },
        ]);
        for (const sg of only("aws:ec2/securityGroup:SecurityGroup")) expect([sg.inputs.ingress, sg.inputs.egress]).toEqual([undefined, undefined]);
    });

    it("encrypts with one rotating key whose policy keeps the account in control and admits CloudWatch Logs for this stack only", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        const key = byName("enclave-key").inputs;
        expect(key).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(doc(key.policy).Statement).toEqual([
            { Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchLogsForThisStack", Effect: "Allow", Principal: { Service: "logs.eu-west-1.amazonaws.com" },
                Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/airlock-test/*" } },
            },
        ]);
        expect(byName("enclave-key-alias").inputs.name).toBe("alias/airlock-test");
    });

    it("logs every flow to an encrypted log group through a role that may write only there", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        expect(only("aws:ec2/flowLog:FlowLog")[0]!.inputs).toMatchObject({ vpcId: "enclave-id", trafficType: "ALL", logDestinationType: "cloud-watch-logs", maxAggregationInterval: 60 });
        expect(byName("enclave-flow-logs").inputs).toMatchObject({ name: "/airlock-test/vpc-flow-logs", retentionInDays: 365 });
        expect(doc(byName("enclave-flow-logs-role").inputs.assumeRolePolicy).Statement).toEqual([{
            Sid: "AssumeByService", Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        }]);
        expect(doc(byName("enclave-flow-logs-policy").inputs.policy).Statement).toEqual([{
            Sid: "WriteFlowLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: ["arn:aws:logs:eu-west-1:123456789012:log-group:/airlock-test/vpc-flow-logs", "arn:aws:logs:eu-west-1:123456789012:log-group:/airlock-test/vpc-flow-logs:*"],
        }]);
    });

    it("creates each repository once: immutable, scanned, KMS-encrypted, expiring untagged images", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        const repos = only("aws:ecr/repository:Repository");
        expect(repos.map((r) => r.inputs)).toEqual([{
            name: "airlock/vllm", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true },
            encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: undefined }], forceDelete: false,
            tags: { Name: "airlock-test-ecr-airlock-vllm", "airlock.dev/stack": "test" },
        }]);
        expect(JSON.parse(only("aws:ecr/lifecyclePolicy:LifecyclePolicy")[0]!.inputs.policy)).toEqual({ rules: [{
            rulePriority: 1, description: "Expire untagged images after 30 days",
            selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 }, action: { type: "expire" },
        }] });
    });

    it("keeps the API key a secret under the enclave's key", async () => {
        const e = new m.Enclave("enclave", base);
        await settle(e);
        expect(byName("enclave-secret-qwen-api-key").inputs).toMatchObject({ name: "airlock-test/qwen/api-key", recoveryWindowInDays: 7 });
        const version = byName("enclave-secret-qwen-api-key-value").inputs;
        expect(isSecretInput(version.secretString)).toBe(true);
        expect(unsecret(version.secretString)).toBe("sentinel-api-key");
        expect(e.secretName("qwen/api-key")).toBe("airlock-test/qwen/api-key");
    });

    it("without phase 1: no internet gateway, NAT, staging subnet or staging group", async () => {
        const e = new m.Enclave("enclave", { ...base, staging: false });
        await settle(e);
        for (const t of ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/route:Route", "aws:ec2/eip:Eip", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"]) {
            expect(only(t), t).toEqual([]);
        }
        expect(only("aws:ec2/subnet:Subnet")).toHaveLength(4);
        expect(byName("enclave-s3").inputs.routeTableIds).toEqual(["enclave-serving-rt-id"]);
        expect(e.stagingSubnet).toBeUndefined();
    });

    it("rejects an unsafe name prefix and zone count with the property paths", () => {
        expect(() => new m.Enclave("bad", { ...base, namePrefix: "Airlock Test", availabilityZones: [] }))
            .toThrow(/namePrefix: must be 1–31 lowercase letters, digits and '-', got "Airlock Test"\n {2}- availabilityZones: must name 1–6 zones, got 0/);
    });
});
// Not proven here: AWS acceptance (endpoint DNS, NAT behaviour) — the mocks echo inputs; ids are `<name>-id`.
