/**
 * The AWS platform: turns the validated Deployment into one Enclave (VPC, endpoints, key, registries, secrets), one
 * ModelStore (the S3 bucket and phase 1) and the InferenceServers that target aws, all through one explicit AWS
 * provider in `airlock:aws.region`. The account and partition come from two read-only data sources, so every ARN
 * and policy document is known before any resource exists (and at preview).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STACK_LABEL } from "@airlock/baseline";
import { addressBlockOf } from "../../src/config/aws";
import type { Deployment } from "../../src/config/load";
import { subnetLayout } from "../../src/config/network";
import { childName } from "../shared/naming";
import type { PlatformComponent, ServerEndpoint } from "../shared/platform";
import { throwIfInvalid } from "../shared/validation";
import { Enclave } from "./enclave";
import { InferenceServer } from "./inference-server";
import { ModelStore } from "./model-store";

/** Arguments for {@link AwsPlatform}. */
export interface AwsPlatformArgs {
    readonly deployment: Deployment;
}

/** `host/path[:tag]@digest` → the registry host and repository path. */
function splitImage(ref: string): { host: string; repository: string } {
    const name = ref.split("@")[0]!;
    const slash = name.indexOf("/");
    const path = name.slice(slash + 1);
    const colon = path.lastIndexOf(":");
    return { host: name.slice(0, slash), repository: colon < 0 ? path : path.slice(0, colon) };
}

export class AwsPlatform extends pulumi.ComponentResource implements PlatformComponent {
    public static readonly TYPE = "airlock:aws:Platform";

    public readonly provider: aws.Provider;
    public readonly enclave: Enclave;
    public readonly store: ModelStore;
    public readonly servers: ReadonlyMap<string, InferenceServer>;

    constructor(name: string, args: AwsPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(AwsPlatform.TYPE, name, {}, opts);
        const d = args.deployment;
        const cfg = d.config;
        const a = cfg.aws;
        if (a === undefined) throw new pulumi.ResourceError("airlock:aws is not set (the config schema requires it for platform aws)", this, true);
        const namePrefix = `${d.project}-${d.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-").slice(0, 31).replace(/-+$/, "");
        const bucketLength = namePrefix.length + "-models-".length + 12 + 1 + a.region.length;
        throwIfInvalid(this, "Invalid arguments for the AWS platform", bucketLength > 63
            ? [{ propertyPath: "deployment", reason: `the model bucket's name "${namePrefix}-models-<account>-${a.region}" would be ${bucketLength} characters (S3 allows 63); use a shorter stack name` }] : []);

        this.provider = new aws.Provider(childName(name, "provider"), {
            region: a.region,
            defaultTags: { tags: { [STACK_LABEL]: d.stack, "airlock.dev/project": d.project } },
        }, { parent: this });
        const invoke = { parent: this, provider: this.provider };
        const child = { parent: this, providers: [this.provider] };
        const identity = aws.getCallerIdentityOutput({}, invoke);
        const partition = aws.getPartitionOutput({}, invoke);
        const account = { accountId: identity.accountId, partition: partition.partition, region: a.region, reverseDnsPrefix: partition.reverseDnsPrefix };
        const bucketName = pulumi.interpolate`${namePrefix}-models-${identity.accountId}-${a.region}`;
        const amiId: pulumi.Input<string> = "id" in a.ami ? a.ami.id
            : aws.ec2.getAmiOutput({ owners: [a.ami.owner], filters: [{ name: "name", values: [a.ami.name] }], mostRecent: false }, invoke).id;

        const servers = cfg.inferenceServers.filter((s) => s.platform === "aws");
        const models = cfg.models.filter((m) => servers.some((s) => s.model === m.name));
        const vllm = splitImage(d.images.vllm);
        const staging = splitImage(d.images.staging);
        const hfToken = a.staging.enabled && d.secrets.hfToken !== undefined ? d.secrets.hfToken : undefined;
        const secrets = [
            ...servers.map((s) => {
                const value = d.secrets.apiKeys.get(s.apiKeySecret);
                if (value === undefined) throw new pulumi.ResourceError(`No API key loaded for "${s.apiKeySecret}" (server ${s.name})`, this, true);
                return { key: `${s.name}/api-key`, value };
            }),
            ...(hfToken !== undefined ? [{ key: "hf-token", value: hfToken }] : []),
        ];

        this.enclave = new Enclave(`${name}-enclave`, {
            namePrefix, stack: d.stack, account, vpcCidr: a.vpcCidr, availabilityZones: a.availabilityZones, staging: a.staging.enabled,
            flowLogRetentionDays: a.flowLogRetentionDays,
            repositories: [vllm.repository, ...(a.staging.enabled && models.length > 0 ? [staging.repository] : [])],
            secrets, modelBucket: bucketName,
        }, child);
        const e = this.enclave;
        this.store = new ModelStore(`${name}-models`, {
            namePrefix, stack: d.stack, account, bucketName, keyArn: e.key.arn, keyAlias: e.keyAlias, s3EndpointId: e.s3Endpoint.id, models,
            ...(a.staging.enabled && e.stagingSubnet && e.stagingSecurityGroup ? {
                staging: {
                    subnetId: e.stagingSubnet.id, securityGroupId: e.stagingSecurityGroup.id, instanceType: a.staging.instanceType,
                    volumeGiB: a.staging.volumeGiB, amiId, image: d.images.staging, registryHost: staging.host, repository: staging.repository,
                    ...(hfToken !== undefined ? { hfTokenSecretName: e.secretName("hf-token") } : {}),
                },
            } : {}),
        }, child);

        const layout = subnetLayout(a.vpcCidr, a.availabilityZones.length);
        const servingSubnets = e.servingSubnets.map((s, i) => ({ id: s.id, cidr: layout.serving[i]!, zone: a.availabilityZones[i]! }));
        const serverMap = new Map<string, InferenceServer>();
        for (const s of servers) {
            const model = cfg.models.find((m) => m.name === s.model)!;
            const staged = this.store.stagingInstances.get(model.name);
            serverMap.set(s.name, new InferenceServer(s.name, {
                server: { ...s, aws: s.aws! }, model, image: d.images.vllm, registryHost: vllm.host, repository: vllm.repository, amiId,
                enclave: {
                    vpcId: e.vpc.id, servingSubnets, endpointSecurityGroupId: e.endpointSecurityGroup.id, s3PrefixListId: e.s3Endpoint.prefixListId,
                    keyArn: e.key.arn, keyAlias: e.keyAlias, apiKeySecretName: e.secretName(`${s.name}/api-key`),
                },
                store: { bucketName, stagingInstances: staged ? [staged] : [] },
                gateway: a.gateway, addressBlock: addressBlockOf(s, a.vpcCidr), waitHours: a.staging.waitHours,
                logRetentionDays: a.flowLogRetentionDays, account, namePrefix, stack: d.stack,
            }, child));
        }
        this.servers = serverMap;
        this.registerOutputs({ vpcId: e.vpc.id, modelBucket: this.store.bucketName });
    }

    /** Stack-output view of the servers: their addresses inside the enclave. */
    public endpoints(): Record<string, ServerEndpoint> {
        return Object.fromEntries([...this.servers].map(([n, s]) => [n, { platform: "aws" as const, url: s.url, urls: s.urls, servedModelName: s.servedModelName }]));
    }

    /** What other stacks need to place a gateway next to the servers. */
    public enclaveOutputs(): Record<string, pulumi.Input<unknown>> {
        return {
            vpcId: this.enclave.vpc.id,
            servingSubnetIds: this.enclave.servingSubnets.map((s) => s.id),
            endpointSecurityGroupId: this.enclave.endpointSecurityGroup.id,
            modelBucket: this.store.bucketName,
            kmsKeyAlias: pulumi.output(this.enclave.keyAlias),
        };
    }
}
