/**
 * A secure AWS enclave as analyzer fixtures, in the shape a first `pulumi preview` sends: references between
 * resources are unknown values with property dependencies naming the resource they come from. Each call returns
 * fresh objects, so a test can change one field and compare. The user data is what the Airlock components generate.
 */
import { AWS_TYPES } from "../../policies/lib/aws";
import { inferenceRunOptions, inferenceUserData, stagingUserData } from "../../components/aws/user-data";
import { type FixtureResource, UNKNOWN, urnOf } from "./harness";

export const ACCOUNT = "123456789012";
export const REGION = "eu-west-1";
export const ECR_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
export const IMAGE = `${ECR_HOST}/airlock/vllm:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c`;
export const BUCKET = `airlock-test-models-${ACCOUNT}-${REGION}`;
export const MODEL = { hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: "cdbee75f17c01a7cc42f958dc650907174af0554" };
export const SERVER_IP = "10.42.0.16";

/** Fixture names. */
export const A = {
    vpc: "vpc", serving: "serving", servingRt: "serving-rt", servingAssoc: "serving-assoc",
    staging: "staging", stagingRt: "staging-rt", stagingRoute: "staging-default", stagingAssoc: "staging-assoc",
    egress: "egress", egressRt: "egress-rt", egressRoute: "egress-default", egressAssoc: "egress-assoc", igw: "igw", eip: "nat-ip", nat: "nat",
    endpointsSg: "endpoints-sg", endpointsHttps: "endpoints-https", ecrApi: "vpce-ecr-api", ecrDkr: "vpce-ecr-dkr", secretsVpce: "vpce-secretsmanager", s3Vpce: "vpce-s3",
    key: "key", secret: "api-key", repo: "vllm-repo",
    serverSg: "server-sg", fromGateway: "from-gateway", toEndpoints: "to-endpoints", toS3: "to-s3",
    role: "server-role", policy: "server-policy", ssm: "server-ssm", lt: "server-lt", server: "server-0",
    stagingSg: "staging-sg", stagingHttps: "staging-https", stage: "stage-qwen",
} as const;

type Name = (typeof A)[keyof typeof A];
const TYPE: Record<Name, string> = {
    vpc: AWS_TYPES.vpc, serving: AWS_TYPES.subnet, "serving-rt": AWS_TYPES.routeTable, "serving-assoc": AWS_TYPES.routeTableAssociation,
    staging: AWS_TYPES.subnet, "staging-rt": AWS_TYPES.routeTable, "staging-default": AWS_TYPES.route, "staging-assoc": AWS_TYPES.routeTableAssociation,
    egress: AWS_TYPES.subnet, "egress-rt": AWS_TYPES.routeTable, "egress-default": AWS_TYPES.route, "egress-assoc": AWS_TYPES.routeTableAssociation,
    igw: AWS_TYPES.internetGateway, "nat-ip": AWS_TYPES.eip, nat: AWS_TYPES.natGateway,
    "endpoints-sg": AWS_TYPES.securityGroup, "endpoints-https": AWS_TYPES.securityGroupIngressRule,
    "vpce-ecr-api": AWS_TYPES.vpcEndpoint, "vpce-ecr-dkr": AWS_TYPES.vpcEndpoint, "vpce-secretsmanager": AWS_TYPES.vpcEndpoint, "vpce-s3": AWS_TYPES.vpcEndpoint,
    key: AWS_TYPES.kmsKey, "api-key": AWS_TYPES.secret, "vllm-repo": AWS_TYPES.ecrRepository,
    "server-sg": AWS_TYPES.securityGroup, "from-gateway": AWS_TYPES.securityGroupIngressRule, "to-endpoints": AWS_TYPES.securityGroupEgressRule, "to-s3": AWS_TYPES.securityGroupEgressRule,
    "server-role": AWS_TYPES.iamRole, "server-policy": AWS_TYPES.iamRolePolicy, "server-ssm": AWS_TYPES.iamRolePolicyAttachment,
    "server-lt": AWS_TYPES.launchTemplate, "server-0": AWS_TYPES.instance,
    "staging-sg": AWS_TYPES.securityGroup, "staging-https": AWS_TYPES.securityGroupEgressRule, "stage-qwen": AWS_TYPES.instance,
};

/** The URN of fixture `name`. */
export const urn = (name: Name): string => urnOf({ type: TYPE[name], name });

const U = UNKNOWN.string;
/** A reference: unknown at preview, with the dependency that says where it comes from. */
type Refs = Record<string, Name[]>;
const res = (name: Name, props: Record<string, unknown>, refs: Refs = {}): FixtureResource => ({
    type: TYPE[name], name, props,
    propertyDependencies: Object.fromEntries(Object.entries(refs).map(([k, ns]) => [k, ns.map(urn)])),
});

export const METADATA = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" };
const ARGV = ["vllm", "serve", "/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000"];

export const inferenceInput = () => ({
    stack: "test", serverName: "qwen", replica: 0, modelName: "qwen3-4b", region: REGION, registryHost: ECR_HOST, image: IMAGE,
    bucket: BUCKET, repos: [MODEL], apiKeySecretId: "airlock-test/qwen/api-key", bindIp: SERVER_IP, port: 8000, gpus: 1, vllmArgv: ARGV,
    resources: { cpus: 4, memoryMiB: 12288, shmSizeMiB: 2048 }, logGroup: "/airlock-test/qwen", waitHours: 6,
});
export const serverUserData = (): string => inferenceUserData(inferenceInput());
export const stagingScript = (): string => stagingUserData({
    stack: "test", modelName: "qwen3-4b", region: REGION, registryHost: ECR_HOST, image: IMAGE, bucket: BUCKET, repos: [MODEL],
});
export { inferenceRunOptions };

const ROLE_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        { Sid: "EcrPull", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"], Resource: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/airlock/vllm` },
        { Sid: "ReadItsModel", Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/models/*` },
    ],
});
export const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
export const KEY_POLICY = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
});

/** The secure enclave. */
export function secureAwsStack(): FixtureResource[] {
    const tags = (role?: string) => ({ "airlock.dev/stack": "test", ...(role ? { "airlock.dev/role": role } : {}) });
    const iface = (name: Name, svc: string) => res(name, {
        vpcId: U, serviceName: `com.amazonaws.${REGION}.${svc}`, vpcEndpointType: "Interface", privateDnsEnabled: true,
        subnetIds: [U], securityGroupIds: [U],
    }, { vpcId: [A.vpc], subnetIds: [A.serving], securityGroupIds: [A.endpointsSg] });
    return [
        res(A.vpc, { cidrBlock: "10.42.0.0/16", enableDnsSupport: true, enableDnsHostnames: true }),
        res(A.serving, { vpcId: U, cidrBlock: "10.42.0.0/20", availabilityZone: `${REGION}a`, mapPublicIpOnLaunch: false, tags: tags() }, { vpcId: [A.vpc] }),
        res(A.servingRt, { vpcId: U }, { vpcId: [A.vpc] }),
        res(A.servingAssoc, { subnetId: U, routeTableId: U }, { subnetId: [A.serving], routeTableId: [A.servingRt] }),
        res(A.igw, { vpcId: U }, { vpcId: [A.vpc] }),
        res(A.egress, { vpcId: U, cidrBlock: "10.42.240.0/20", mapPublicIpOnLaunch: false, tags: tags("egress") }, { vpcId: [A.vpc] }),
        res(A.egressRt, { vpcId: U }, { vpcId: [A.vpc] }),
        res(A.egressRoute, { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }, { routeTableId: [A.egressRt], gatewayId: [A.igw] }),
        res(A.egressAssoc, { subnetId: U, routeTableId: U }, { subnetId: [A.egress], routeTableId: [A.egressRt] }),
        res(A.eip, { domain: "vpc" }),
        res(A.nat, { allocationId: U, subnetId: U }, { allocationId: [A.eip], subnetId: [A.egress] }),
        res(A.staging, { vpcId: U, cidrBlock: "10.42.224.0/20", mapPublicIpOnLaunch: false, tags: tags("model-staging") }, { vpcId: [A.vpc] }),
        res(A.stagingRt, { vpcId: U }, { vpcId: [A.vpc] }),
        res(A.stagingRoute, { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", natGatewayId: U }, { routeTableId: [A.stagingRt], natGatewayId: [A.nat] }),
        res(A.stagingAssoc, { subnetId: U, routeTableId: U }, { subnetId: [A.staging], routeTableId: [A.stagingRt] }),
        res(A.endpointsSg, { vpcId: U, description: "endpoints" }, { vpcId: [A.vpc] }),
        res(A.endpointsHttps, { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.42.0.0/16" }, { securityGroupId: [A.endpointsSg] }),
        iface(A.ecrApi, "ecr.api"), iface(A.ecrDkr, "ecr.dkr"), iface(A.secretsVpce, "secretsmanager"),
        res(A.s3Vpce, { vpcId: U, serviceName: `com.amazonaws.${REGION}.s3`, vpcEndpointType: "Gateway", routeTableIds: [U, U] }, { vpcId: [A.vpc], routeTableIds: [A.servingRt, A.stagingRt] }),
        res(A.key, { enableKeyRotation: true, deletionWindowInDays: 30, policy: KEY_POLICY }),
        res(A.secret, { name: "airlock-test/qwen/api-key", kmsKeyId: U, recoveryWindowInDays: 7 }, { kmsKeyId: [A.key] }),
        res(A.repo, { name: "airlock/vllm", imageTagMutability: "IMMUTABLE", imageScanningConfiguration: { scanOnPush: true }, encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: U }] }, { encryptionConfigurations: [A.key] }),
        res(A.serverSg, { vpcId: U, description: "server" }, { vpcId: [A.vpc] }),
        res(A.fromGateway, { securityGroupId: U, ipProtocol: "tcp", fromPort: 8000, toPort: 8000, cidrIpv4: "10.10.0.0/16" }, { securityGroupId: [A.serverSg] }),
        res(A.toEndpoints, { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, referencedSecurityGroupId: U }, { securityGroupId: [A.serverSg], referencedSecurityGroupId: [A.endpointsSg] }),
        res(A.toS3, { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: U }, { securityGroupId: [A.serverSg], prefixListId: [A.s3Vpce] }),
        res(A.role, { assumeRolePolicy: TRUST }),
        res(A.policy, { role: U, policy: ROLE_POLICY }, { role: [A.role] }),
        res(A.ssm, { role: U, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }, { role: [A.role] }),
        res(A.lt, {
            imageId: "ami-0a1b2c3d4e5f60718", instanceType: "g6.xlarge", vpcSecurityGroupIds: [U], metadataOptions: { ...METADATA },
            blockDeviceMappings: [
                { deviceName: "/dev/xvda", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", kmsKeyId: U } },
                { deviceName: "/dev/sdf", ebs: { volumeSize: 100, volumeType: "gp3", encrypted: "true", kmsKeyId: U } },
            ],
        }, { vpcSecurityGroupIds: [A.serverSg], blockDeviceMappings: [A.key] }),
        res(A.server, {
            ami: "ami-0a1b2c3d4e5f60718", instanceType: "g6.xlarge", subnetId: U, privateIp: SERVER_IP, associatePublicIpAddress: false,
            vpcSecurityGroupIds: [U], launchTemplate: { id: U, version: U }, metadataOptions: { ...METADATA },
            rootBlockDevice: { encrypted: true, kmsKeyId: U, volumeSize: 100, volumeType: "gp3" },
            ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, kmsKeyId: U, volumeSize: 100, volumeType: "gp3" }],
            userData: serverUserData(), userDataReplaceOnChange: true, instanceInitiatedShutdownBehavior: "stop", tags: tags("inference"),
        }, { subnetId: [A.serving], vpcSecurityGroupIds: [A.serverSg], launchTemplate: [A.lt], rootBlockDevice: [A.key], ebsBlockDevices: [A.key] }),
        res(A.stagingSg, { vpcId: U, description: "staging" }, { vpcId: [A.vpc] }),
        res(A.stagingHttps, { securityGroupId: U, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [A.stagingSg] }),
        res(A.stage, {
            ami: "ami-0a1b2c3d4e5f60718", instanceType: "m7i.xlarge", subnetId: U, associatePublicIpAddress: false, vpcSecurityGroupIds: [U],
            metadataOptions: { ...METADATA }, rootBlockDevice: { encrypted: true, kmsKeyId: U, volumeSize: 200 },
            instanceInitiatedShutdownBehavior: "terminate", userData: stagingScript(), tags: tags("model-staging"),
        }, { subnetId: [A.staging], vpcSecurityGroupIds: [A.stagingSg], rootBlockDevice: [A.key] }),
    ];
}

/** The secure stack with `mutate` applied to the props of `name`. */
export function awsMutated(name: Name, mutate: (props: Record<string, any>) => void): FixtureResource[] {
    return secureAwsStack().map((r) => {
        if (r.name !== name) return r;
        const props = structuredClone(r.props) as Record<string, any>;
        mutate(props);
        return { ...r, props };
    });
}

/** The secure stack with `replace` applied to resource `name` (props, dependencies). */
export function awsReplaced(name: Name, replace: (r: FixtureResource) => FixtureResource): FixtureResource[] {
    return secureAwsStack().map((r) => (r.name === name ? replace(r) : r));
}

/** Extra resources for a case, as fixtures. */
export const extra = (type: string, name: string, props: Record<string, unknown>, refs: Record<string, string[]> = {}): FixtureResource =>
    ({ type, name, props, propertyDependencies: refs });
