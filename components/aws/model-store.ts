/**
 * ModelStore (AWS): the S3 bucket that holds every staged model at `models/<org>--<name>/<revision>/` — versioned,
 * encrypted with the enclave's key (bucket key on), public access blocked, ACLs off, TLS only, and object reads,
 * writes and listings only through the enclave's S3 endpoint — and phase 1 of the airlock: per model, a one-shot
 * CPU instance in the staging subnet (the only subnet with a route out, through a NAT) that downloads
 * `hub id @ revision` with the pinned staging image, copies it to the bucket, writes a marker object and powers off
 * (it terminates on shutdown). Servers wait for the marker at boot.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMMIT_SHA, HUB_ID, RESOURCE_NAME, ROLE_LABEL, STACK_LABEL, MODEL_LABEL } from "@airlock/baseline";
import type { ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { AwsAccount } from "./iam";
import { METADATA_OPTIONS, ecrPullStatements, instanceRole, keyUseStatement, rootVolume, secretReadStatement } from "./instance";
import { type StagedRepo, STAGED_MARKER, modelPrefix, stagingUserData } from "./user-data";

/** Phase 1 inside the enclave. */
export interface StagingArgs {
    readonly subnetId: pulumi.Input<string>;
    readonly securityGroupId: pulumi.Input<string>;
    readonly instanceType: string;
    readonly volumeGiB: number;
    readonly amiId: pulumi.Input<string>;
    /** The staging image by digest, its registry host and repository. */
    readonly image: string;
    readonly registryHost: string;
    readonly repository: string;
    /** The Secrets Manager secret holding the HF token (gated models). */
    readonly hfTokenSecretName?: string;
}

/** Arguments for {@link ModelStore}. */
export interface ModelStoreArgs {
    readonly namePrefix: string;
    readonly stack: string;
    readonly account: AwsAccount;
    readonly bucketName: pulumi.Input<string>;
    readonly keyArn: pulumi.Input<string>;
    readonly keyAlias: string;
    /** The enclave's S3 gateway endpoint: the only way to the objects. */
    readonly s3EndpointId: pulumi.Input<string>;
    readonly models: readonly Pick<ModelSpec, "name" | "hubId" | "revision" | "tokenizer">[];
    /** Absent: phase 1 runs elsewhere (the models are already staged). */
    readonly staging?: StagingArgs;
}

export class ModelStore extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:aws:ModelStore";

    public readonly bucket: aws.s3.Bucket;
    public readonly bucketName: pulumi.Output<string>;
    /** The one-shot staging instance per model (servers are created after them). */
    public readonly stagingInstances: ReadonlyMap<string, aws.ec2.Instance>;

    constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ModelStore.TYPE, name, {}, opts);
        throwIfInvalid(this, "Invalid arguments for ModelStore", collect(
            ...args.models.flatMap((m, i) => [
                matches(`models[${i}].name`, m.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
                matches(`models[${i}].hubId`, m.hubId, HUB_ID, "a Hugging Face repo id 'org/name'"),
                matches(`models[${i}].revision`, m.revision, COMMIT_SHA, "a 40-character hex commit SHA"),
            ]),
            args.staging ? intInRange("staging.volumeGiB", args.staging.volumeGiB, 20, 16_384) : undefined,
        ));
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ Name: `${args.namePrefix}-${suffix}`, [STACK_LABEL]: args.stack, ...extra });
        const child = { parent: this };

        this.bucket = new aws.s3.Bucket(childName(name), { bucket: args.bucketName, forceDestroy: false, tags: tags("models") }, child);
        new aws.s3.BucketOwnershipControls(childName(name, "ownership"), { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, child);
        const publicAccess = new aws.s3.BucketPublicAccessBlock(childName(name, "public-access"), {
            bucket: this.bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketVersioning(childName(name, "versioning"), { bucket: this.bucket.id, versioningConfiguration: { status: "Enabled" } }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(childName(name, "encryption"), {
            bucket: this.bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.keyArn }, bucketKeyEnabled: true }],
        }, child);
        new aws.s3.BucketPolicy(childName(name, "policy"), {
            bucket: this.bucket.id,
            policy: pulumi.all([args.bucketName, args.account.partition, args.s3EndpointId]).apply(([bucket, partition, vpce]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "TlsOnly", Effect: "Deny", Principal: "*", Action: "s3:*",
                        Resource: [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                    {
                        Sid: "ObjectsOnlyThroughTheEnclaveEndpoint", Effect: "Deny", Principal: "*",
                        Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", "s3:ListBucket", "s3:ListBucketVersions"],
                        Resource: [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`],
                        Condition: { StringNotEquals: { "aws:SourceVpce": vpce } },
                    },
                ],
            })),
        }, { parent: this, dependsOn: [publicAccess] });
        this.bucketName = this.bucket.bucket;

        const instances = new Map<string, aws.ec2.Instance>();
        const st = args.staging;
        if (st) {
            for (const m of args.models) {
                const repos: StagedRepo[] = [{ hubId: m.hubId, revision: m.revision }];
                if (m.tokenizer && m.tokenizer.hubId !== m.hubId) repos.push(m.tokenizer);
                const stageName = childName(name, `stage-${m.name}`);
                const prefixes = repos.map((r) => modelPrefix(r.hubId, r.revision));
                const { profile } = instanceRole(this, stageName, args.account, (a) => [
                    ...ecrPullStatements(a, [st.repository]),
                    ...(st.hfTokenSecretName !== undefined ? [secretReadStatement(a, "ReadHfToken", [st.hfTokenSecretName])] : []),
                    {
                        Sid: "ListItsModelPrefixes", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:${a.partition}:s3:::${a.bucket}`,
                        Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
                    },
                    {
                        Sid: "WriteItsModelPrefixes", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"],
                        Resource: prefixes.map((p) => `arn:${a.partition}:s3:::${a.bucket}/${p}*`),
                    },
                    keyUseStatement(a, args.keyAlias, ["kms:Decrypt", "kms:GenerateDataKey"]),
                ], tags(`stage-${m.name}`, { [ROLE_LABEL]: "model-staging" }), args.bucketName);
                instances.set(m.name, new aws.ec2.Instance(stageName, {
                    ami: st.amiId,
                    instanceType: st.instanceType,
                    subnetId: st.subnetId,
                    vpcSecurityGroupIds: [st.securityGroupId],
                    associatePublicIpAddress: false,
                    iamInstanceProfile: profile.name,
                    metadataOptions: { ...METADATA_OPTIONS },
                    rootBlockDevice: rootVolume(st.volumeGiB, args.keyArn),
                    instanceInitiatedShutdownBehavior: "terminate",
                    monitoring: true,
                    userData: pulumi.output(args.bucketName).apply((bucket) => stagingUserData({
                        stack: args.stack, modelName: m.name, region: args.account.region, registryHost: st.registryHost, image: st.image, bucket, repos,
                        ...(st.hfTokenSecretName !== undefined ? { hfTokenSecretId: st.hfTokenSecretName } : {}),
                    })),
                    userDataReplaceOnChange: true,
                    tags: tags(`stage-${m.name}`, { [ROLE_LABEL]: "model-staging", [MODEL_LABEL]: m.name }),
                }, child));
            }
        }
        this.stagingInstances = instances;
        this.registerOutputs({ bucketName: this.bucketName });
    }

    /** The object key of the marker that says `hubId@revision` is completely staged. */
    public static markerKey(hubId: string, revision: string): string {
        return `${modelPrefix(hubId, revision)}${STAGED_MARKER}`;
    }
}
