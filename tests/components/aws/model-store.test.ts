/**
 * ModelStore (AWS) under mocks: the bucket's protections, its policy statement by statement, and phase 1 — one
 * hardened, one-shot staging instance per model with a least-privilege profile.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMocks, only, registrations, settle } from "../../support/mocks";
import { stagingUserData } from "../../../components/aws/user-data";

let m: typeof import("../../../components/aws");
beforeAll(async () => { await installMocks(); m = await import("../../../components/aws"); });
beforeEach(() => { registrations.length = 0; });

const BUCKET = "airlock-test-models-123456789012-eu-west-1";
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/vllm:v0.11.0@sha256:${"a".repeat(64)}`;
const QWEN = { name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: "cdbee75f17c01a7cc42f958dc650907174af0554" };
const base = {
    namePrefix: "airlock-test", stack: "test",
    account: { accountId: pulumi.output("123456789012"), partition: pulumi.output("aws"), region: "eu-west-1" },
    bucketName: pulumi.output(BUCKET), keyArn: pulumi.output("arn:aws:kms:eu-west-1:123456789012:key/k"), keyAlias: "alias/airlock-test",
    s3EndpointId: pulumi.output("vpce-0123"), models: [QWEN],
};
const staging = {
    subnetId: pulumi.output("subnet-staging"), securityGroupId: pulumi.output("sg-staging"), instanceType: "m7i.xlarge", volumeGiB: 200,
    amiId: "ami-0a1b2c3d4e5f60718", image: IMAGE, registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", repository: "airlock/vllm",
};
const byName = (name: string) => registrations.find((r) => r.name === name && r.custom)!;
const statements = (name: string) => (JSON.parse(byName(name).inputs.policy) as { Statement: unknown[] }).Statement;

describe("ModelStore (aws)", () => {
    it("keeps the bucket versioned, KMS-encrypted, private, TLS-only and reachable through the enclave's endpoint only", async () => {
        const s = new m.ModelStore("models", base);
        await settle(s);
        expect(byName("models").inputs).toMatchObject({ bucket: BUCKET, forceDestroy: false });
        expect(byName("models-ownership").inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
        expect(byName("models-public-access").inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
        expect(byName("models-versioning").inputs.versioningConfiguration).toEqual({ status: "Enabled" });
        expect(byName("models-encryption").inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k" }, bucketKeyEnabled: true }]);
        expect(statements("models-policy")).toEqual([
            { Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } },
            {
                Sid: "ObjectsOnlyThroughTheEnclaveEndpoint", Effect: "Deny", Principal: "*",
                Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:ListBucket", "s3:ListBucketVersions"],
                Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-0123" } },
            },
        ]);
        expect(only("aws:ec2/instance:Instance")).toEqual([]);
        expect(s.stagingInstances.size).toBe(0);
    });

    it("stages each model on a hardened one-shot CPU instance in the staging subnet", async () => {
        const s = new m.ModelStore("models", { ...base, staging });
        await settle(s);
        const [i] = only("aws:ec2/instance:Instance");
        expect(i!.name).toBe("models-stage-qwen3-4b");
        expect(i!.inputs).toMatchObject({
            ami: "ami-0a1b2c3d4e5f60718", instanceType: "m7i.xlarge", subnetId: "subnet-staging", vpcSecurityGroupIds: ["sg-staging"],
            associatePublicIpAddress: false, instanceInitiatedShutdownBehavior: "terminate", monitoring: true, userDataReplaceOnChange: true,
            metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
            rootBlockDevice: { volumeType: "gp3", volumeSize: 200, encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:123456789012:key/k", deleteOnTermination: true },
            tags: { Name: "airlock-test-stage-qwen3-4b", "airlock.dev/stack": "test", "airlock.dev/role": "model-staging", "airlock.dev/model": "qwen3-4b" },
        });
        expect(i!.inputs.userData).toBe(stagingUserData({
            stack: "test", modelName: "qwen3-4b", region: "eu-west-1", registryHost: staging.registryHost, image: IMAGE, bucket: BUCKET,
            repos: [{ hubId: QWEN.hubId, revision: QWEN.revision }],
        }));
    });

    it("gives the staging instance exactly what it needs: pull its image, write its model's prefix, use the key through S3", async () => {
        const s = new m.ModelStore("models", { ...base, staging });
        await settle(s);
        const prefix = "models/Qwen--Qwen3-4B-Instruct-2507/cdbee75f17c01a7cc42f958dc650907174af0554/";
        expect(statements("models-stage-qwen3-4b-policy")).toEqual([
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            { Sid: "EcrPull", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: ["arn:aws:ecr:eu-west-1:123456789012:repository/airlock/vllm"] },
            { Sid: "ListItsModelPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${BUCKET}`, Condition: { StringLike: { "s3:prefix": [`${prefix}*`] } } },
            { Sid: "WriteItsModelPrefixes", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: [`arn:aws:s3:::${BUCKET}/${prefix}*`] },
            {
                Sid: "EnclaveKeyViaS3AndSecretsManager", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "arn:aws:kms:eu-west-1:123456789012:key/*",
                Condition: { "StringEquals": { "kms:ViaService": ["s3.eu-west-1.amazonaws.com", "secretsmanager.eu-west-1.amazonaws.com"] }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": "alias/airlock-test" } },
            },
        ]);
        expect(JSON.parse(byName("models-stage-qwen3-4b-role").inputs.assumeRolePolicy).Statement).toEqual([
            { Sid: "AssumeByService", Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        ]);
        expect(byName("models-stage-qwen3-4b-ssm").inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    });

    it("reads the HF token only when one is configured", async () => {
        const s = new m.ModelStore("models", { ...base, staging: { ...staging, hfTokenSecretName: "airlock-test/hf-token" } });
        await settle(s);
        expect(statements("models-stage-qwen3-4b-policy")[2]).toEqual({
            Sid: "ReadHfToken", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:airlock-test/hf-token-??????"],
        });
        expect(only("aws:ec2/instance:Instance")[0]!.inputs.userData).toContain("--secret-id 'airlock-test/hf-token'");
    });

    it("rejects a branch as revision with the property path", () => {
        expect(() => new m.ModelStore("bad", { ...base, models: [{ ...QWEN, revision: "main" }] })).toThrow(/models\[0\]\.revision: must be a 40-character hex commit SHA, got "main"/);
    });
});
// Not proven here: S3/IAM evaluation on AWS (the policies are asserted as documents, not simulated).
