/**
 * Enclave (AWS): a VPC whose serving subnets have no route out at all (only the VPC's local route), interface
 * endpoints for ECR (API and registry), Secrets Manager, KMS, CloudWatch Logs and Session Manager (ssm,
 * ssmmessages, ec2messages) in their own subnets, and an S3 gateway endpoint whose policy admits the model bucket
 * and ECR's layer bucket only. No port 22 anywhere: Session Manager replaces SSH. VPC flow logs (all traffic) go to
 * an encrypted log group. One KMS key (rotation on) encrypts the logs, the registries, the secrets, the model
 * bucket and the instances' volumes. ECR repositories are immutable, scanned on push, KMS-encrypted and expire
 * untagged images. The vLLM API keys and the HF token become Secrets Manager secrets under that key.
 *
 * Phase 1 (staging enabled): a staging subnet (tagged `airlock.dev/role=model-staging`) whose only route out is a
 * NAT gateway in a public egress subnet; only the one-shot staging instances run there.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ROLE_LABEL, STACK_LABEL } from "@airlock/baseline";
import { subnetLayout } from "../../src/config/network";
import { childName } from "../shared/naming";
import { collect, matches, throwIfInvalid } from "../shared/validation";
import { type AwsAccount, documentFor, serviceTrustPolicy } from "./iam";

/** Interface endpoints every enclave gets (ECR, secrets, keys, logs, Session Manager). */
export const INTERFACE_ENDPOINTS = ["ecr.api", "ecr.dkr", "secretsmanager", "kms", "logs", "ssm", "ssmmessages", "ec2messages"] as const;

/** The tag value of the staging subnet (the policy pack verifies what runs there). */
export const STAGING_ROLE = "model-staging";

/** Arguments for {@link Enclave}. */
export interface EnclaveArgs {
    /** Prefix of physical names, e.g. `airlock-staging`. */
    readonly namePrefix: string;
    readonly stack: string;
    readonly account: AwsAccount & { readonly reverseDnsPrefix: pulumi.Input<string> };
    readonly vpcCidr: string;
    readonly availabilityZones: readonly string[];
    /** Build the phase-1 network (staging subnet, NAT, internet gateway). */
    readonly staging: boolean;
    readonly flowLogRetentionDays: number;
    /** ECR repository names for the images (e.g. `airlock/vllm`). */
    readonly repositories: readonly string[];
    /** Secrets to create, by key (the secret is named `<namePrefix>/<key>`); values are Pulumi secrets. */
    readonly secrets: readonly { readonly key: string; readonly value: pulumi.Input<string> }[];
    /** The model bucket's name: the S3 endpoint admits it and ECR's layer bucket only. */
    readonly modelBucket: pulumi.Input<string>;
}

export class Enclave extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:aws:Enclave";

    public readonly vpc: aws.ec2.Vpc;
    public readonly servingSubnets: aws.ec2.Subnet[];
    public readonly endpointSecurityGroup: aws.ec2.SecurityGroup;
    public readonly s3Endpoint: aws.ec2.VpcEndpoint;
    public readonly key: aws.kms.Key;
    /** `alias/<namePrefix>`: IAM policies scope key use to it (the key id is unknown until it exists). */
    public readonly keyAlias: string;
    public readonly repositories: ReadonlyMap<string, aws.ecr.Repository>;
    public readonly secrets: ReadonlyMap<string, aws.secretsmanager.Secret>;
    /** Present when phase 1 runs in the enclave. */
    public readonly stagingSubnet?: aws.ec2.Subnet;
    public readonly stagingSecurityGroup?: aws.ec2.SecurityGroup;
    private readonly namePrefix: string;

    constructor(name: string, args: EnclaveArgs, opts?: pulumi.ComponentResourceOptions) {
        super(Enclave.TYPE, name, {}, opts);
        throwIfInvalid(this, "Invalid arguments for Enclave", collect(
            matches("namePrefix", args.namePrefix, /^[a-z0-9][a-z0-9-]{0,30}$/, "1–31 lowercase letters, digits and '-'"),
            args.availabilityZones.length < 1 || args.availabilityZones.length > 6
                ? { propertyPath: "availabilityZones", reason: `must name 1–6 zones, got ${args.availabilityZones.length}` } : undefined,
            ...args.repositories.map((r, i) => matches(`repositories[${i}]`, r, /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, "an ECR repository name")),
            ...args.secrets.map((s, i) => matches(`secrets[${i}].key`, s.key, /^[a-z0-9][a-z0-9/-]{0,100}$/, "lowercase letters, digits, '/' and '-'")),
        ));
        const p = args.namePrefix;
        this.namePrefix = p;
        const region = args.account.region;
        const layout = subnetLayout(args.vpcCidr, args.availabilityZones.length);
        const tags = (suffix: string, extra: Record<string, string> = {}) => ({ Name: `${p}-${suffix}`, [STACK_LABEL]: args.stack, ...extra });
        const child = { parent: this };
        const logGroupPrefix = `/${p}/`;

        // One customer-managed key for everything the enclave stores. The key policy keeps the account in control
        // (so IAM policies can grant use) and lets CloudWatch Logs use it for this stack's log groups only.
        this.keyAlias = `alias/${p}`;
        this.key = new aws.kms.Key(childName(name, "key"), {
            description: `Airlock ${args.stack}: logs, registries, secrets, model store and instance volumes`,
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: documentFor(args.account, ({ accountId, partition }) => [
                { Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "CloudWatchLogsForThisStack", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:${logGroupPrefix}*` } },
                },
            ]),
            tags: tags("key"),
        }, child);
        new aws.kms.Alias(childName(name, "key-alias"), { name: this.keyAlias, targetKeyId: this.key.keyId }, child);

        this.vpc = new aws.ec2.Vpc(childName(name), {
            cidrBlock: args.vpcCidr,
            enableDnsSupport: true,
            enableDnsHostnames: true, // interface endpoints answer on the services' own names (private DNS)
            tags: tags("vpc"),
        }, child);
        // The VPC's default security group admits nothing, so an instance launched without a group is cut off.
        new aws.ec2.DefaultSecurityGroup(childName(name, "default-sg"), { vpcId: this.vpc.id, tags: tags("default-closed") }, child);

        // Serving and endpoint subnets share one route table with no routes: only the VPC's local route exists.
        const servingRoutes = new aws.ec2.RouteTable(childName(name, "serving-rt"), { vpcId: this.vpc.id, tags: tags("serving") }, child);
        const subnet = (role: string, cidr: string, zone: string, i: number | undefined, extraTags: Record<string, string>) => {
            const suffix = i === undefined ? role : `${role}-${i}`;
            return new aws.ec2.Subnet(childName(name, suffix), {
                vpcId: this.vpc.id, cidrBlock: cidr, availabilityZone: zone, mapPublicIpOnLaunch: false,
                assignIpv6AddressOnCreation: false, tags: tags(suffix, extraTags),
            }, child);
        };
        this.servingSubnets = layout.serving.map((cidr, i) => subnet("serving", cidr, args.availabilityZones[i]!, i, { "airlock.dev/subnet": "serving" }));
        const endpointSubnets = layout.endpoints.map((cidr, i) => subnet("endpoints", cidr, args.availabilityZones[i]!, i, { "airlock.dev/subnet": "endpoints" }));
        [...this.servingSubnets, ...endpointSubnets].forEach((s, i) => new aws.ec2.RouteTableAssociation(
            childName(name, i < this.servingSubnets.length ? `serving-${i}` : `endpoints-${i - this.servingSubnets.length}`),
            { subnetId: s.id, routeTableId: servingRoutes.id }, child));

        // Interface endpoints: reachable on 443 from inside the VPC only; used with this account's credentials only.
        this.endpointSecurityGroup = new aws.ec2.SecurityGroup(childName(name, "endpoints-sg"), {
            vpcId: this.vpc.id, description: "Airlock VPC endpoints: HTTPS from inside the VPC", tags: tags("endpoints"),
        }, child);
        new aws.vpc.SecurityGroupIngressRule(childName(name, "endpoints-https"), {
            securityGroupId: this.endpointSecurityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: args.vpcCidr,
            description: "HTTPS from the enclave",
        }, child);
        const accountOnly = documentFor(args.account, ({ accountId }) => [{
            Sid: "ThisAccountOnly", Effect: "Allow", Principal: "*", Action: "*", Resource: "*",
            Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
        }]);
        for (const svc of INTERFACE_ENDPOINTS) {
            new aws.ec2.VpcEndpoint(childName(name, svc.replace(".", "-")), {
                vpcId: this.vpc.id,
                serviceName: pulumi.interpolate`${args.account.reverseDnsPrefix}.${region}.${svc}`,
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: endpointSubnets.map((s) => s.id),
                securityGroupIds: [this.endpointSecurityGroup.id],
                policy: accountOnly,
                tags: tags(`vpce-${svc}`),
            }, child);
        }

        // Phase 1: a staging subnet routed through a NAT gateway (in a public egress subnet); nothing else uses it.
        const routeTables = [servingRoutes];
        if (args.staging) {
            const igw = new aws.ec2.InternetGateway(childName(name, "igw"), { vpcId: this.vpc.id, tags: tags("igw") }, child);
            const egressSubnet = subnet("egress", layout.egress, args.availabilityZones[0]!, undefined, { [ROLE_LABEL]: "egress" });
            const egressRoutes = new aws.ec2.RouteTable(childName(name, "egress-rt"), { vpcId: this.vpc.id, tags: tags("egress") }, child);
            new aws.ec2.Route(childName(name, "egress-default"), { routeTableId: egressRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, child);
            new aws.ec2.RouteTableAssociation(childName(name, "egress"), { subnetId: egressSubnet.id, routeTableId: egressRoutes.id }, child);
            const eip = new aws.ec2.Eip(childName(name, "nat-ip"), { domain: "vpc", tags: tags("nat") }, child);
            const nat = new aws.ec2.NatGateway(childName(name, "nat"), { allocationId: eip.allocationId, subnetId: egressSubnet.id, tags: tags("nat") },
                { parent: this, dependsOn: [igw] });
            this.stagingSubnet = subnet("staging", layout.staging, args.availabilityZones[0]!, undefined, { [ROLE_LABEL]: STAGING_ROLE });
            const stagingRoutes = new aws.ec2.RouteTable(childName(name, "staging-rt"), { vpcId: this.vpc.id, tags: tags("staging") }, child);
            new aws.ec2.Route(childName(name, "staging-default"), { routeTableId: stagingRoutes.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, child);
            new aws.ec2.RouteTableAssociation(childName(name, "staging"), { subnetId: this.stagingSubnet.id, routeTableId: stagingRoutes.id }, child);
            routeTables.push(stagingRoutes);
            this.stagingSecurityGroup = new aws.ec2.SecurityGroup(childName(name, "staging-sg"), {
                vpcId: this.vpc.id, description: "Airlock model staging: HTTPS out (hub downloads through the NAT), nothing in",
                tags: tags("staging", { [ROLE_LABEL]: STAGING_ROLE }),
            }, child);
            new aws.vpc.SecurityGroupEgressRule(childName(name, "staging-https"), {
                securityGroupId: this.stagingSecurityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0",
                description: "HTTPS to the model hub (through the NAT) and the VPC endpoints",
            }, child);
        }

        // S3 through the gateway endpoint: the model bucket and ECR's layer bucket, nothing else (no exfiltration to
        // another bucket, even one with a public write policy).
        this.s3Endpoint = new aws.ec2.VpcEndpoint(childName(name, "s3"), {
            vpcId: this.vpc.id,
            serviceName: pulumi.interpolate`${args.account.reverseDnsPrefix}.${region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: routeTables.map((t) => t.id),
            policy: pulumi.all([args.modelBucket, args.account.partition, args.account.accountId]).apply(([bucket, partition, accountId]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "ModelBucket", Effect: "Allow", Principal: "*", Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "s3:GetBucketLocation"],
                        Resource: [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/*`],
                        Condition: { StringEquals: { "aws:PrincipalAccount": accountId } },
                    },
                    { Sid: "EcrImageLayers", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*` },
                ],
            })),
            tags: tags("vpce-s3"),
        }, child);

        // Flow logs: every accepted and rejected flow, to an encrypted log group.
        const flowLogGroupName = `${logGroupPrefix}vpc-flow-logs`;
        const flowLogGroup = new aws.cloudwatch.LogGroup(childName(name, "flow-logs"), {
            name: flowLogGroupName, retentionInDays: args.flowLogRetentionDays, kmsKeyId: this.key.arn, tags: tags("flow-logs"),
        }, child);
        const flowLogRole = new aws.iam.Role(childName(name, "flow-logs-role"), {
            name: `${p}-flow-logs`, assumeRolePolicy: serviceTrustPolicy(args.account, "vpc-flow-logs.amazonaws.com"), tags: tags("flow-logs"),
        }, child);
        new aws.iam.RolePolicy(childName(name, "flow-logs-policy"), {
            role: flowLogRole.name,
            policy: documentFor(args.account, ({ accountId, partition }) => [{
                Sid: "WriteFlowLogs", Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: [`arn:${partition}:logs:${region}:${accountId}:log-group:${flowLogGroupName}`, `arn:${partition}:logs:${region}:${accountId}:log-group:${flowLogGroupName}:*`],
            }]),
        }, child);
        new aws.ec2.FlowLog(childName(name, "flow-log"), {
            vpcId: this.vpc.id, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: flowLogGroup.arn,
            iamRoleArn: flowLogRole.arn, maxAggregationInterval: 60, tags: tags("flow-log"),
        }, child);

        // Registries: immutable tags, scanned on push, encrypted with the key; untagged images expire after 30 days
        // (push images with their tag: the digest pinned in config stays tagged).
        const repositories = new Map<string, aws.ecr.Repository>();
        for (const repo of [...new Set(args.repositories)]) {
            const repoName = childName(name, `ecr-${repo.replace(/[^a-z0-9-]/g, "-")}`);
            const r = new aws.ecr.Repository(repoName, {
                name: repo,
                imageTagMutability: "IMMUTABLE",
                imageScanningConfiguration: { scanOnPush: true },
                encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: this.key.arn }],
                forceDelete: false,
                tags: tags(`ecr-${repo.replace(/\//g, "-")}`),
            }, child);
            new aws.ecr.LifecyclePolicy(`${repoName}-lifecycle`, {
                repository: r.name,
                policy: JSON.stringify({
                    rules: [{
                        rulePriority: 1, description: "Expire untagged images after 30 days",
                        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 30 },
                        action: { type: "expire" },
                    }],
                }),
            }, child);
            repositories.set(repo, r);
        }

        // Secrets: encrypted with the key; the value comes from Pulumi secret config and stays a secret in state.
        const secrets = new Map<string, aws.secretsmanager.Secret>();
        for (const s of args.secrets) {
            const secretName = childName(name, `secret-${s.key.replace(/\//g, "-")}`);
            const secret = new aws.secretsmanager.Secret(secretName, {
                name: `${p}/${s.key}`, kmsKeyId: this.key.arn, recoveryWindowInDays: 7,
                description: `Airlock ${args.stack}: ${s.key} (from Pulumi secret config)`, tags: tags(`secret-${s.key.replace(/\//g, "-")}`),
            }, child);
            new aws.secretsmanager.SecretVersion(`${secretName}-value`, { secretId: secret.id, secretString: pulumi.secret(s.value) }, child);
            secrets.set(s.key, secret);
        }

        this.repositories = repositories;
        this.secrets = secrets;
        this.registerOutputs({ vpcId: this.vpc.id, keyArn: this.key.arn });
    }

    /** The physical name of a secret this enclave created (what the instances read at boot). */
    public secretName(key: string): string {
        if (!this.secrets.has(key)) throw new pulumi.ResourceError(`Enclave has no secret "${key}"`, this, true);
        return `${this.namePrefix}/${key}`;
    }
}
