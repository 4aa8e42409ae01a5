/**
 * InferenceServer (AWS): phase 2 of the airlock on GPU instances. One launch template (the hardened launch spec:
 * AMI, GPU type, instance profile, IMDSv2 with one hop, encrypted root and model volumes, the server's security
 * group) and one instance per replica at a fixed address of the server's block in a serving subnet (spread over
 * the zones). The security group admits the inference port from the gateway only and lets the instance reach the
 * VPC endpoints only (HTTPS to the endpoints' group and the S3 prefix list). The instance profile may pull from its
 * repository, read its API key, read its model's prefixes, use the enclave key through S3 and Secrets Manager,
 * write its log group, and talk to Session Manager — nothing on `*`. The user data (see user-data.ts) serves the
 * local copy of the staged model with the baseline argv and offline env, bound to the instance's address.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_LABEL, RESOURCE_NAME, ROLE_LABEL, STACK_LABEL, buildVllmArgv, gpuInstanceType } from "@airlock/baseline";
import type { AwsServerConfig } from "../../src/config/aws";
import { hostAddressInBlock, replicaPlacement } from "../../src/config/network";
import type { InferenceServerSpec, ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { AwsAccount } from "./iam";
import { METADATA_OPTIONS, ROOT_DEVICE, ecrPullStatements, instanceRole, keyUseStatement, rootVolume, secretReadStatement } from "./instance";
import { MODEL_VOLUME_DEVICE, type StagedRepo, inferenceUserData, modelPrefix } from "./user-data";

/** A serving subnet: its id, CIDR and zone. */
export interface ServingSubnet {
    readonly id: pulumi.Input<string>;
    readonly cidr: string;
    readonly zone: string;
}

/** Arguments for {@link InferenceServer}. */
export interface InferenceServerArgs {
    readonly server: Pick<InferenceServerSpec, "name" | "replicas" | "gpus" | "port" | "resources"> & { readonly aws: AwsServerConfig };
    readonly model: Pick<ModelSpec, "name" | "hubId" | "revision" | "trustRemoteCode" | "serving" | "tokenizer">;
    /** The vLLM image by digest, its registry host and repository. */
    readonly image: string;
    readonly registryHost: string;
    readonly repository: string;
    readonly amiId: pulumi.Input<string>;
    readonly enclave: {
        readonly vpcId: pulumi.Input<string>;
        readonly servingSubnets: readonly ServingSubnet[];
        readonly endpointSecurityGroupId: pulumi.Input<string>;
        readonly s3PrefixListId: pulumi.Input<string>;
        readonly keyArn: pulumi.Input<string>;
        readonly keyAlias: string;
        /** The Secrets Manager secret holding this server's API key (its name). */
        readonly apiKeySecretName: string;
    };
    readonly store: { readonly bucketName: pulumi.Input<string>; readonly stagingInstances: readonly pulumi.Resource[] };
    /** Who may reach the port: the gateway's CIDRs and security groups. */
    readonly gateway: { readonly cidrs: readonly string[]; readonly securityGroupIds: readonly string[] };
    /** The server's address block in every serving subnet. */
    readonly addressBlock: number;
    readonly waitHours: number;
    readonly logRetentionDays: number;
    readonly account: AwsAccount;
    readonly namePrefix: string;
    readonly stack: string;
}

export class InferenceServer extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:aws:InferenceServer";

    /** `http://<address>:<port>/v1` of each replica (reachable from the gateway only). */
    public readonly urls: pulumi.Output<string>[];
    public readonly url: pulumi.Output<string>;
    public readonly servedModelName: string;
    public readonly securityGroup: aws.ec2.SecurityGroup;
    public readonly launchTemplate: aws.ec2.LaunchTemplate;
    public readonly instances: aws.ec2.Instance[];

    constructor(name: string, args: InferenceServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(InferenceServer.TYPE, name, {}, opts);
        const s = args.server;
        const type = gpuInstanceType(s.aws.instanceType);
        throwIfInvalid(this, "Invalid arguments for InferenceServer", collect(
            matches("server.name", s.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            intInRange("server.replicas", s.replicas, 1, 16),
            intInRange("server.port", s.port, 1024, 65535),
            type === undefined ? { propertyPath: "server.aws.instanceType", reason: `${JSON.stringify(s.aws.instanceType)} is not in the baseline GPU table` } : undefined,
            type !== undefined ? intInRange("server.gpus", s.gpus, 1, type.gpus) : undefined,
            args.enclave.servingSubnets.length === 0 ? { propertyPath: "enclave.servingSubnets", reason: "must list at least one subnet" } : undefined,
            ...args.gateway.cidrs.map((c, i) => (c.endsWith("/0") ? { propertyPath: `gateway.cidrs[${i}]`, reason: "must not admit the whole internet" } : undefined)),
        ));
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ Name: `${args.namePrefix}-${suffix}`, [STACK_LABEL]: args.stack, ...extra });
        const child = { parent: this };
        this.servedModelName = args.model.name;
        const repos: StagedRepo[] = [{ hubId: args.model.hubId, revision: args.model.revision }];
        if (args.model.tokenizer && args.model.tokenizer.hubId !== args.model.hubId) repos.push(args.model.tokenizer);
        const argv = buildVllmArgv({
            hubId: args.model.hubId, servedModelName: this.servedModelName, tokenizerHubId: args.model.tokenizer?.hubId,
            port: s.port, options: args.model.serving, trustRemoteCode: args.model.trustRemoteCode,
        });

        // The port from the gateway only; out to the VPC endpoints only (HTTPS to their group, S3 by prefix list).
        this.securityGroup = new aws.ec2.SecurityGroup(childName(name, "sg"), {
            vpcId: args.enclave.vpcId, description: `Airlock ${s.name}: port ${s.port} from the gateway, HTTPS to the VPC endpoints`, tags: tags(s.name),
        }, child);
        args.gateway.cidrs.forEach((cidr, i) => new aws.vpc.SecurityGroupIngressRule(childName(name, `from-gateway-${i}`), {
            securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: s.port, toPort: s.port, cidrIpv4: cidr, description: "vLLM from the gateway",
        }, child));
        args.gateway.securityGroupIds.forEach((sg, i) => new aws.vpc.SecurityGroupIngressRule(childName(name, `from-gateway-sg-${i}`), {
            securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: s.port, toPort: s.port, referencedSecurityGroupId: sg, description: "vLLM from the gateway",
        }, child));
        new aws.vpc.SecurityGroupEgressRule(childName(name, "to-endpoints"), {
            securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443,
            referencedSecurityGroupId: args.enclave.endpointSecurityGroupId, description: "HTTPS to the interface endpoints",
        }, child);
        new aws.vpc.SecurityGroupEgressRule(childName(name, "to-s3"), {
            securityGroupId: this.securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443,
            prefixListId: args.enclave.s3PrefixListId, description: "HTTPS to S3 through the gateway endpoint",
        }, child);

        const logGroup = `/${args.namePrefix}/${s.name}`;
        new aws.cloudwatch.LogGroup(childName(name, "logs"), {
            name: logGroup, retentionInDays: args.logRetentionDays, kmsKeyId: args.enclave.keyArn, tags: tags(`${s.name}-logs`),
        }, child);

        const prefixes = repos.map((r) => modelPrefix(r.hubId, r.revision));
        const { profile } = instanceRole(this, name, args.account, (a) => [
            ...ecrPullStatements(a, [args.repository]),
            secretReadStatement(a, "ReadItsApiKey", [args.enclave.apiKeySecretName]),
            {
                Sid: "ListItsModel", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:${a.partition}:s3:::${a.bucket}`,
                Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
            },
            { Sid: "ReadItsModel", Effect: "Allow", Action: "s3:GetObject", Resource: prefixes.map((p) => `arn:${a.partition}:s3:::${a.bucket}/${p}*`) },
            keyUseStatement(a, args.enclave.keyAlias, ["kms:Decrypt"]),
            {
                Sid: "WriteItsLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: `arn:${a.partition}:logs:${a.region}:${a.accountId}:log-group:${logGroup}:*`,
            },
        ], tags(s.name, { [ROLE_LABEL]: "inference" }), args.store.bucketName);

        const modelVolume = { volumeType: "gp3", volumeSize: s.aws.modelVolumeGiB, encrypted: true, kmsKeyId: args.enclave.keyArn, deleteOnTermination: true };
        this.launchTemplate = new aws.ec2.LaunchTemplate(childName(name, "lt"), {
            name: `${args.namePrefix}-${s.name}`,
            description: `Airlock inference server ${s.name}: the hardened launch spec of its replicas`,
            imageId: args.amiId,
            instanceType: s.aws.instanceType,
            iamInstanceProfile: { arn: profile.arn },
            vpcSecurityGroupIds: [this.securityGroup.id],
            metadataOptions: { ...METADATA_OPTIONS },
            blockDeviceMappings: [
                { deviceName: ROOT_DEVICE, ebs: { volumeType: "gp3", volumeSize: s.aws.rootVolumeGiB, encrypted: "true", kmsKeyId: args.enclave.keyArn, deleteOnTermination: "true" } },
                { deviceName: MODEL_VOLUME_DEVICE, ebs: { ...modelVolume, encrypted: "true", deleteOnTermination: "true" } },
            ],
            monitoring: { enabled: true },
            updateDefaultVersion: true,
            tagSpecifications: [
                { resourceType: "instance", tags: tags(s.name, { [ROLE_LABEL]: "inference", [MODEL_LABEL]: args.model.name }) },
                { resourceType: "volume", tags: tags(s.name) },
            ],
            tags: tags(s.name),
        }, child);

        const zones = args.enclave.servingSubnets.length;
        const addresses = Array.from({ length: s.replicas }, (_, r) => {
            const place = replicaPlacement(r, zones);
            return { subnet: args.enclave.servingSubnets[place.zone]!, ip: hostAddressInBlock(args.enclave.servingSubnets[place.zone]!.cidr, args.addressBlock, place.slot) };
        });
        this.instances = addresses.map(({ subnet, ip }, r) => {
            return new aws.ec2.Instance(childName(name, r), {
                // The launch template carries the spec; the instance states the security-relevant settings itself too
                // (instance-level values win, and they are what the policy pack reads).
                launchTemplate: { id: this.launchTemplate.id, version: this.launchTemplate.latestVersion.apply(String) },
                ami: args.amiId,
                instanceType: s.aws.instanceType,
                subnetId: subnet.id,
                privateIp: ip,
                associatePublicIpAddress: false,
                vpcSecurityGroupIds: [this.securityGroup.id],
                iamInstanceProfile: profile.name,
                metadataOptions: { ...METADATA_OPTIONS },
                rootBlockDevice: rootVolume(s.aws.rootVolumeGiB, args.enclave.keyArn),
                ebsBlockDevices: [{ deviceName: MODEL_VOLUME_DEVICE, ...modelVolume }],
                monitoring: true,
                instanceInitiatedShutdownBehavior: "stop",
                userData: pulumi.output(args.store.bucketName).apply((bucket) => inferenceUserData({
                    stack: args.stack, serverName: s.name, replica: r, modelName: args.model.name, region: args.account.region,
                    registryHost: args.registryHost, image: args.image, bucket, repos, apiKeySecretId: args.enclave.apiKeySecretName,
                    bindIp: ip, port: s.port, gpus: s.gpus, vllmArgv: argv, resources: s.resources, logGroup, waitHours: args.waitHours,
                })),
                userDataReplaceOnChange: true,
                tags: tags(`${s.name}-${r}`, { [ROLE_LABEL]: "inference", [MODEL_LABEL]: args.model.name }),
            }, { parent: this, dependsOn: [...args.store.stagingInstances] });
        });
        this.urls = addresses.map(({ ip }) => pulumi.output(`http://${ip}:${s.port}/v1`));
        this.url = this.urls[0]!;
        this.registerOutputs({ url: this.url, urls: this.urls, servedModelName: this.servedModelName });
    }
}
