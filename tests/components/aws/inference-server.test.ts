/**
 * InferenceServer (AWS) under mocks: the security group rules (the port from the gateway only, HTTPS to the
 * endpoints only), the instance profile's policy statement by statement (no `*` on `*`), the launch template's and
 * every instance's hardened settings, the fixed addresses per replica and the user data.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAllResources, isServiceWildcard, parsePolicyDocument } from "../../../policies/lib/iam-document";
import { inferenceUserData } from "../../../components/aws/user-data";
import { installMocks, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/aws");
beforeAll(async () => { await installMocks(); m = await import("../../../components/aws"); });
beforeEach(() => { registrations.length = 0; });

const BUCKET = "airlock-test-models-123456789012-eu-west-1";
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/vllm:v0.11.0@sha256:${"a".repeat(64)}`;
const KEY = "arn:aws:kms:eu-west-1:123456789012:key/k";
const base = {
    server: { name: "qwen", replicas: 1, gpus: 1, port: 8000, resources: { cpus: 4, memoryMiB: 12288, shmSizeMiB: 2048 }, aws: { instanceType: "g6.xlarge", rootVolumeGiB: 100, modelVolumeGiB: 150 } },
    model: { name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: "cdbee75f17c01a7cc42f958dc650907174af0554", trustRemoteCode: false, serving: { maxModelLen: 8192 } },
    image: IMAGE, registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "airlock/vllm", amiId: "ami-0a1b2c3d4e5f60718",
    enclave: {
        vpcId: pulumi.output("vpc-1"), servingSubnets: [{ id: pulumi.output("subnet-a"), cidr: "10.42.0.0/20", zone: "eu-west-1a" }, { id: pulumi.output("subnet-b"), cidr: "10.42.16.0/20", zone: "eu-west-1b" }],
        endpointSecurityGroupId: pulumi.output("sg-endpoints"), s3PrefixListId: pulumi.output("pl-6da54004"), keyArn: pulumi.output(KEY), keyAlias: "alias/airlock-test",
        apiKeySecretName: "airlock-test/qwen/api-key",
    },
    store: { bucketName: pulumi.output(BUCKET), stagingInstances: [] },
    gateway: { cidrs: ["10.10.0.0/16"], securityGroupIds: ["sg-0123456789abcdef0"] },
    addressBlock: 3, waitHours: 6, logRetentionDays: 365,
    account: { accountId: pulumi.output("123456789012"), partition: pulumi.output("aws"), region: "eu-west-1" },
    namePrefix: "airlock-test", stack: "test",
};
const byName = (name: string) => registrations.find((r) => r.name === name && r.custom)!;
const METADATA = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" };

describe("InferenceServer (aws)", () => {
    it("admits the port from the gateway only and lets the host reach the VPC endpoints only", async () => {
        const s = new m.InferenceServer("qwen", base);
        await settle(s);
        expect(only("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs)).toEqual([
            { securityGroupId: "qwen-sg-id", ipProtocol: "tcp", fromPort: 8000, toPort: 8000, cidrIpv4: "10.10.0.0/16", description: "vLLM from the gateway" },
            { securityGroupId: "qwen-sg-id", ipProtocol: "tcp", fromPort: 8000, toPort: 8000, referencedSecurityGroupId: "sg-0123456789abcdef0", description: "vLLM from the gateway" },
        ]);
        expect(only("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs)).toEqual([
            { securityGroupId: "qwen-sg-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: "sg-endpoints", description: "HTTPS to the interface endpoints" },
            { securityGroupId: "qwen-sg-id", ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: "pl-6da54004", description: "HTTPS to S3 through the gateway endpoint" },
        ]);
        expect(byName("qwen-sg").inputs).toMatchObject({ vpcId: "vpc-1" });
        expect(byName("qwen-sg").inputs.egress).toBeUndefined(); // the provider then removes AWS's default allow-all egress
    });

    it("grants the instance profile exactly its repository, its API key, its model prefix, the key through S3 and Secrets Manager, its logs", async () => {
        const s = new m.InferenceServer("qwen", base);
        await settle(s);
        const prefix = "models/Qwen--Qwen3-4B-Instruct-2507/cdbee75f17c01a7cc42f958dc650907174af0554/";
        const policy = byName("qwen-policy").inputs.policy as string;
        expect(JSON.parse(policy).Statement).toEqual([
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Sid: "EcrPull", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: ["arn:aws:ecr:eu-west-1:123456789012:repository/airlock/vllm"] },
            { Sid: "ReadItsApiKey", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:airlock-test/qwen/api-key-??????"] },
            { Sid: "ListItsModel", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
            { Sid: "ReadItsModel", Effect: "Allow", Action: "s3:GetObject", Resource: [`arn:aws:s3:::${BUCKET}/${prefix}*`] },
            {
                Sid: "EnclaveKeyViaS3AndSecretsManager", Effect: "Allow", Action: ["kms:Decrypt"], Resource: "arn:aws:kms:eu-west-1:123456789012:key/*",
                Condition: { "StringEquals": { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"] }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/airlock-test" } },
            },
            { Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "arn:aws:logs:eu-west-1:123456789012:log-group:/airlock-test/qwen:*" },
        ]);
        // Statement by statement: no wildcard action on every resource, except the account-wide ECR login IAM requires.
        const parsed = parsePolicyDocument(policy);
        if ("problem" in parsed) throw new Error(parsed.problem);
        for (const st of parsed.statements) {
            expect(st.effect).toBe("Allow");
            expect(st.notActions, st.sid).toBeUndefined();
            expect((st.actions ?? []).some(isServiceWildcard) && (st.resources ?? []).some(isAllResources), st.sid).toBe(false);
            if ((st.resources ?? []).some(isAllResources)) expect(st.actions).toEqual(["ecr:GetAuthorizationToken"]);
        }
        expect(byName("qwen-ssm").inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        expect(JSON.parse(byName("qwen-role").inputs.assumeRolePolicy).Statement).toEqual([
            { Sid: "AssumeByService", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
    });

    it("puts the hardened launch spec in the template: IMDSv2 with one hop, encrypted root and model volumes", async () => {
        const s = new m.InferenceServer("qwen", base);
        await settle(s);
        expect(byName("qwen-lt").inputs).toMatchObject({
            name: "airlock-test-qwen", imageId: "ami-0a1b2c3d4e5f60718", instanceType: "g6.xlarge", metadataOptions: METADATA,
            vpcSecurityGroupIds: ["qwen-sg-id"], monitoring: { enabled: true }, updateDefaultVersion: true,
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: 100, encrypted: "true", kmsKeyId: KEY, deleteOnTermination: "true" } },
                { deviceName: "/dev/sdf", ebs: { volumeType: "gp3", volumeSize: 150, encrypted: "true", kmsKeyId: KEY, deleteOnTermination: "true" } },
            ],
        });
        expect(byName("qwen-lt").inputs.networkInterfaces).toBeUndefined();
        expect(byName("qwen-lt").inputs.userData).toBeUndefined();
    });

    it("places replicas at fixed addresses of the server's block, zone by zone, each stating its security settings", async () => {
        const s = new m.InferenceServer("qwen", { ...base, server: { ...base.server, replicas: 3 } });
        await settle(s);
        const instances = only("aws:ec2/instance:Instance");
        expect(instances.map((i) => [i.name, i.inputs.subnetId, i.inputs.privateIp])).toEqual([
            ["qwen-0", "subnet-a", "10.42.0.64"], ["qwen-1", "subnet-b", "10.42.16.64"], ["qwen-2", "subnet-a", "10.42.0.65"],
        ]);
        for (const i of instances) {
            expect(i.inputs).toMatchObject({
                associatePublicIpAddress: false, metadataOptions: METADATA, vpcSecurityGroupIds: ["qwen-sg-id"], instanceType: "g6.xlarge", monitoring: true,
                rootBlockDevice: { volumeType: "gp3", volumeSize: 100, encrypted: true, kmsKeyId: KEY, deleteOnTermination: true },
                ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeType: "gp3", volumeSize: 150, encrypted: true, kmsKeyId: KEY, deleteOnTermination: true }],
                userDataReplaceOnChange: true, instanceInitiatedShutdownBehavior: "stop", launchTemplate: { id: "qwen-lt-id" },
            });
        }
        expect(instances[2]!.inputs.userData).toBe(inferenceUserData({
            stack: "test", serverName: "qwen", replica: 2, modelName: "qwen3-4b", region: "eu-west-1", registryHost: base.registryHost, image: IMAGE,
            bucket: BUCKET, repos: [{ hubId: base.model.hubId, revision: base.model.revision }], apiKeySecretId: "airlock-test/qwen/api-key",
            bindIp: "10.42.0.65", port: 8000, gpus: 1, resources: base.server.resources, logGroup: "/airlock-test/qwen", waitHours: 6,
            vllmArgv: ["vllm", "serve", "/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000", "--max-model-len", "8192"],
        }));
        expect(await unwrap(s.url)).toBe("http://10.42.0.64:8000/v1");
        expect(await Promise.all(s.urls.map((u) => unwrap(u)))).toEqual(["http://10.42.0.64:8000/v1", "http://10.42.16.64:8000/v1", "http://10.42.0.65:8000/v1"]);
    });

    it("copies a separate tokenizer too and passes it as a local path", async () => {
        const tok = { hubId: "Qwen/Qwen3-4B", revision: "3baad182cc87c65a1861f0c30357d3467e978172" };
        const s = new m.InferenceServer("qwen", { ...base, model: { ...base.model, tokenizer: tok } });
        await settle(s);
        const userData = only("aws:ec2/instance:Instance")[0]!.inputs.userData as string;
        expect(userData).toContain("--volume '/opt/airlock/models/Qwen--Qwen3-4B:/models/Qwen--Qwen3-4B:ro'");
        expect(userData).toContain("'--tokenizer' \\\n    '/models/Qwen--Qwen3-4B'");
        expect(JSON.parse(byName("qwen-policy").inputs.policy).Statement[4].Resource).toEqual([
            `arn:aws:s3:::${BUCKET}/models/Qwen--Qwen3-4B-Instruct-2507/cdbee75f17c01a7cc42f958dc650907174af0554/*`,
            `arn:aws:s3:::${BUCKET}/models/Qwen--Qwen3-4B/3baad182cc87c65a1861f0c30357d3467e978172/*`,
        ]);
    });

    it("rejects a CPU type, too many GPUs and an internet-wide gateway with the property paths", () => {
        expect(() => new m.InferenceServer("bad", { ...base, server: { ...base.server, gpus: 2, aws: { ...base.server.aws, instanceType: "m7i.xlarge" } }, gateway: { cidrs: ["0.0.0.0/0"], securityGroupIds: [] } }))
            .toThrow(/server\.aws\.instanceType: "m7i\.xlarge" is not in the baseline GPU table\n {2}- gateway\.cidrs\[0\]: must not admit the whole internet/);
        expect(() => new m.InferenceServer("bad", { ...base, server: { ...base.server, gpus: 2 } })).toThrow(/server\.gpus: must be a whole number 1–1, got 2/);
    });
});
// Not proven here: the script on a real GPU AMI (Docker, the NVIDIA toolkit, /dev/sdf) and AWS-side IAM evaluation.
