/**
 * The AWS rules, table-driven like rules.test.ts: for every aws- policy at least one mutation per check with the EXACT
 * messages, the missing-property case (absent = what AWS applies), and the unknown-at-preview case (a MANDATORY
 * violation naming the field; for references a rule only needs to be set, an unknown value is accepted and the case
 * says so). Each case starts from the secure enclave (aws-fixtures.ts) and changes one thing. Config: staging.json.
 */
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { AWS_TYPES } from "../../policies/lib/aws";
import { AWSGUARD_COMPARISON } from "../../policies/lib/awsguard-comparison";
import { type PolicyPackConfigFile, loadEnvironmentConfig, reconcilePolicyConfig } from "../../policies/lib/pack-config";
import { A, BUCKET, IMAGE, KEY_POLICY, METADATA, awsMutated, awsReplaced, extra, secureAwsStack, serverUserData, stagingScript, urn } from "./aws-fixtures";
import { type FixtureResource, UNKNOWN, analyzeResources, urnOf } from "./harness";

type Kind = "check" | "missing" | "unknown" | "scope" | "config" | "reference";
interface Case {
    readonly kind: Kind;
    readonly title: string;
    readonly resources: () => FixtureResource[];
    readonly expect: readonly string[];
    readonly config?: PolicyPackConfigFile;
    /** Fixture every expected violation is reported on. */
    readonly on?: string;
}

const staging = loadEnvironmentConfig("staging");
const m = awsMutated;
const unknownMsg = (path: string) => `${path} is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
const b64 = (s: string) => Buffer.from(s).toString("base64");
const ud = (p: Record<string, any>, from: string, to: string) => {
    if (!String(p.userData).includes(from)) throw new Error(`fixture user data has no ${JSON.stringify(from)}`);
    p.userData = String(p.userData).replace(from, to);
};
const DOCKER_LINE = 43; // the `docker run` line of the generated inference script
const VLLM = `line ${DOCKER_LINE}: docker run (vLLM server)`;
const PUBLISH_FIX = "publish the port on the instance's own address only (--publish <address>:<port>:<port>), which its security group guards.";
const ROUTE_FIX = "launch it into a subnet whose route tables have no route out (reach AWS services through VPC endpoints).";
const EGRESS_FIX = "allow HTTPS to the VPC endpoints only (their security group and the S3 gateway endpoint's prefix list).";
const SM = 'read it at boot from Secrets Manager instead: NAME="$(aws secretsmanager get-secret-value --secret-id <name> --query SecretString --output text)"';
const HUB = 'huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)';
const U = UNKNOWN.string;
/** Points a reference of `name` at other fixtures. */
const relink = (name: Parameters<typeof awsReplaced>[0], key: string, to: string[]) =>
    awsReplaced(name, (r) => ({ ...r, propertyDependencies: { ...r.propertyDependencies, [key]: to } }));
const sgUrn = (n: string) => urnOf({ type: AWS_TYPES.securityGroup, name: n });
const sg = (name: string, props: Record<string, unknown>) => extra(AWS_TYPES.securityGroup, name, { vpcId: U, ...props }, { vpcId: [urn(A.vpc)] });

const CASES: Record<string, Case[]> = {
    "aws-ec2-instance-require-imdsv2": [
        { kind: "check", title: "httpTokens optional (IMDSv1 on)", on: A.server, resources: () => m(A.server, (p) => { p.metadataOptions.httpTokens = "optional"; }),
            expect: ['metadataOptions.httpTokens is "optional", which leaves IMDSv1 on: an SSRF in the model server can read the instance role\'s credentials: set httpTokens: "required".'] },
        { kind: "check", title: "hop limit 2 (containers reach IMDS)", on: A.server, resources: () => m(A.server, (p) => { p.metadataOptions.httpPutResponseHopLimit = 2; }),
            expect: ["metadataOptions.httpPutResponseHopLimit is 2, so IMDS tokens travel past the host into containers: set httpPutResponseHopLimit: 1."] },
        { kind: "scope", title: "the metadata endpoint disabled", resources: () => m(A.server, (p) => { p.metadataOptions = { httpEndpoint: "disabled" }; }), expect: [] },
        { kind: "missing", title: "metadataOptions unset (the AMI decides)", on: A.server, resources: () => m(A.server, (p) => { delete p.metadataOptions; }),
            expect: ["metadataOptions is unset, so the AMI's defaults apply to the instance: IMDSv1 stays on unless the AMI declares ImdsSupport v2.0, and such AMIs set a hop limit of 2, which lets containers reach the instance role's credentials: set metadataOptions { httpTokens: \"required\", httpPutResponseHopLimit: 1 }."] },
        { kind: "missing", title: "httpTokens and hop limit unset", on: A.server, resources: () => m(A.server, (p) => { p.metadataOptions = { httpEndpoint: "enabled" }; }),
            expect: [
                'metadataOptions.httpTokens is unset, so the instance may answer IMDSv1 requests (no session token; the AMI and account defaults decide): set httpTokens: "required".',
                "metadataOptions.httpPutResponseHopLimit is unset, so the AMI's default applies (2 for ImdsSupport v2.0 AMIs) and a container on the instance can fetch IMDS tokens: set httpPutResponseHopLimit: 1.",
            ] },
        { kind: "unknown", title: "httpTokens unknown", on: A.server, resources: () => m(A.server, (p) => { p.metadataOptions.httpTokens = U; }), expect: [unknownMsg("metadataOptions.httpTokens")] },
    ],
    "aws-ec2-launch-template-require-imdsv2": [
        { kind: "check", title: "IMDSv1 and two hops", on: A.lt, resources: () => m(A.lt, (p) => { p.metadataOptions = { httpTokens: "optional", httpPutResponseHopLimit: 2 }; }),
            expect: [
                'metadataOptions.httpTokens is "optional", which leaves IMDSv1 on: an SSRF in the model server can read the instance role\'s credentials: set httpTokens: "required".',
                "metadataOptions.httpPutResponseHopLimit is 2, so IMDS tokens travel past the host into containers: set httpPutResponseHopLimit: 1.",
            ] },
        { kind: "missing", title: "metadataOptions unset", on: A.lt, resources: () => m(A.lt, (p) => { delete p.metadataOptions; }),
            expect: ["metadataOptions is unset, so the AMI's defaults apply to instances launched from it: IMDSv1 stays on unless the AMI declares ImdsSupport v2.0, and such AMIs set a hop limit of 2, which lets containers reach the instance role's credentials: set metadataOptions { httpTokens: \"required\", httpPutResponseHopLimit: 1 }."] },
        { kind: "unknown", title: "metadataOptions unknown", on: A.lt, resources: () => m(A.lt, (p) => { p.metadataOptions = UNKNOWN.object; }), expect: [unknownMsg("metadataOptions")] },
    ],
    "aws-ec2-instance-disallow-public-ip": [
        { kind: "check", title: "associatePublicIpAddress true", on: A.server, resources: () => m(A.server, (p) => { p.associatePublicIpAddress = true; }),
            expect: ["associatePublicIpAddress is true, which gives the instance a public address reachable from the internet: set it to false."] },
        { kind: "check", title: "network interfaces attached without an explicit choice", on: A.server, resources: () => m(A.server, (p) => { delete p.associatePublicIpAddress; p.networkInterfaces = [{ deviceIndex: 0, networkInterfaceId: U }]; }),
            expect: ["associatePublicIpAddress is unset and the instance attaches network interfaces, whose public addresses (Elastic IPs, the subnet's mapping) cannot be verified from the instance: launch into a subnet with associatePublicIpAddress: false instead."] },
        { kind: "missing", title: "associatePublicIpAddress unset (the subnet decides)", on: A.stage, resources: () => m(A.stage, (p) => { delete p.associatePublicIpAddress; }),
            expect: ["associatePublicIpAddress is unset, so the subnet decides whether the instance has a public address (its mapPublicIpOnLaunch; default subnets map them): set it to false explicitly."] },
        { kind: "unknown", title: "associatePublicIpAddress unknown", on: A.server, resources: () => m(A.server, (p) => { p.associatePublicIpAddress = UNKNOWN.boolean; }), expect: [unknownMsg("associatePublicIpAddress")] },
    ],
    "aws-ec2-launch-template-disallow-public-ip": [
        { kind: "check", title: "an interface asking for a public address", on: A.lt, resources: () => m(A.lt, (p) => { p.networkInterfaces = [{ deviceIndex: 0, associatePublicIpAddress: "true" }]; }),
            expect: ['networkInterfaces[0].associatePublicIpAddress is "true", which gives each instance launched from the template a public address reachable from the internet: set it to false.'] },
        { kind: "check", title: "an explicit \"false\" passes", resources: () => m(A.lt, (p) => { p.networkInterfaces = [{ deviceIndex: 0, associatePublicIpAddress: "false" }]; }), expect: [] },
        { kind: "missing", title: "an interface without the setting", on: A.lt, resources: () => m(A.lt, (p) => { p.networkInterfaces = [{ deviceIndex: 0, securityGroups: [U] }]; }),
            expect: ["networkInterfaces[0].associatePublicIpAddress is unset, so the subnet decides whether each instance launched from the template has a public address (its mapPublicIpOnLaunch; default subnets map them): set it to false explicitly."] },
        { kind: "scope", title: "no interfaces: the launcher decides (checked on the instance and the subnet)", resources: () => secureAwsStack(), expect: [] },
        { kind: "unknown", title: "the interface setting unknown", on: A.lt, resources: () => m(A.lt, (p) => { p.networkInterfaces = [{ deviceIndex: 0, associatePublicIpAddress: U }]; }),
            expect: [unknownMsg("networkInterfaces[0].associatePublicIpAddress")] },
    ],
    "aws-ec2-instance-require-encrypted-volumes": [
        { kind: "check", title: "root volume unencrypted", on: A.server, resources: () => m(A.server, (p) => { p.rootBlockDevice.encrypted = false; }),
            expect: ["rootBlockDevice.encrypted is false: the root volume is stored unencrypted: set it to true (with the enclave's KMS key)."] },
        { kind: "check", title: "the model volume without encryption", on: A.server, resources: () => m(A.server, (p) => { delete p.ebsBlockDevices[0].encrypted; }),
            expect: ["ebsBlockDevices[0].encrypted is unset, so volume /dev/sdf is created unencrypted unless its snapshot is encrypted or the account encrypts EBS by default: set it to true (with the enclave's KMS key)."] },
        { kind: "missing", title: "rootBlockDevice unset (the AMI's snapshot decides)", on: A.stage, resources: () => m(A.stage, (p) => { delete p.rootBlockDevice; }),
            expect: ["rootBlockDevice is unset, so the root volume is created from the AMI's snapshot, unencrypted unless the snapshot is encrypted or the account encrypts EBS by default: set rootBlockDevice { encrypted: true, kmsKeyId }."] },
        { kind: "unknown", title: "encrypted unknown", on: A.server, resources: () => m(A.server, (p) => { p.rootBlockDevice.encrypted = UNKNOWN.boolean; }), expect: [unknownMsg("rootBlockDevice.encrypted")] },
    ],
    "aws-ec2-launch-template-require-encrypted-volumes": [
        { kind: "check", title: "a mapping with encrypted \"false\"", on: A.lt, resources: () => m(A.lt, (p) => { p.blockDeviceMappings[1].ebs.encrypted = "false"; }),
            expect: ['blockDeviceMappings[1].ebs.encrypted is "false": volume /dev/sdf is stored unencrypted: set it to true (with the enclave\'s KMS key).'] },
        { kind: "scope", title: "an instance-store mapping has no EBS encryption", resources: () => m(A.lt, (p) => { p.blockDeviceMappings.push({ deviceName: "/dev/sdb", virtualName: "ephemeral0" }); }), expect: [] },
        { kind: "missing", title: "no mappings (the AMI's volumes as they are)", on: A.lt, resources: () => m(A.lt, (p) => { delete p.blockDeviceMappings; }),
            expect: ['blockDeviceMappings is unset, so instances get the AMI\'s volumes as its snapshots are, unencrypted unless they are encrypted or the account encrypts EBS by default: map the root device with ebs.encrypted "true".'] },
        { kind: "unknown", title: "mappings unknown", on: A.lt, resources: () => m(A.lt, (p) => { p.blockDeviceMappings = UNKNOWN.array; }), expect: [unknownMsg("blockDeviceMappings")] },
    ],
    "aws-ebs-volume-require-encryption": [
        { kind: "check", title: "encrypted false", on: "data", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ebsVolume, "data", { availabilityZone: "eu-west-1a", size: 100, encrypted: false })],
            expect: ["encrypted is false: the volume is stored unencrypted: set it to true (with the enclave's KMS key)."] },
        { kind: "missing", title: "encrypted unset", on: "data", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ebsVolume, "data", { availabilityZone: "eu-west-1a", size: 100 })],
            expect: ["encrypted is unset, so the volume is created unencrypted unless its snapshot is encrypted or the account encrypts EBS by default: set it to true (with the enclave's KMS key)."] },
        { kind: "unknown", title: "encrypted unknown", on: "data", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ebsVolume, "data", { size: 100, encrypted: UNKNOWN.boolean })], expect: [unknownMsg("encrypted")] },
    ],
    "aws-ec2-subnet-disallow-auto-public-ip": [
        { kind: "check", title: "mapPublicIpOnLaunch", on: A.serving, resources: () => m(A.serving, (p) => { p.mapPublicIpOnLaunch = true; }),
            expect: ["mapPublicIpOnLaunch is true, so instances launched here get a public IPv4 address unless they opt out: set it to false."] },
        { kind: "check", title: "IPv6 addresses on creation", on: A.serving, resources: () => m(A.serving, (p) => { p.assignIpv6AddressOnCreation = true; }),
            expect: ["assignIpv6AddressOnCreation is true, so instances launched here get a globally routable IPv6 address: set it to false."] },
        { kind: "missing", title: "unset is false", resources: () => m(A.serving, (p) => { delete p.mapPublicIpOnLaunch; }), expect: [] },
        { kind: "unknown", title: "mapPublicIpOnLaunch unknown", on: A.serving, resources: () => m(A.serving, (p) => { p.mapPublicIpOnLaunch = UNKNOWN.boolean; }), expect: [unknownMsg("mapPublicIpOnLaunch")] },
    ],
    "aws-ec2-security-group-disallow-public-ingress": [
        { kind: "check", title: "HTTPS from 0.0.0.0/0", on: "web", resources: () => [...secureAwsStack(), sg("web", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }] })],
            expect: ['ingress[0].cidrBlocks[0] "0.0.0.0/0" admits the whole IPv4 internet: admit the gateway\'s CIDR or security group only.'] },
        { kind: "check", title: "::/0 and the /1 halves of the internet", on: "web", resources: () => [...secureAwsStack(), sg("web", { ingress: [{ protocol: "tcp", fromPort: 8000, toPort: 8000, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"], ipv6CidrBlocks: ["::/0"] }] })],
            expect: [
                'ingress[0].cidrBlocks[0] "0.0.0.0/1" admits a large part of the internet (/1): admit the gateway\'s CIDR or security group only.',
                'ingress[0].cidrBlocks[1] "128.0.0.0/1" admits a large part of the internet (/1): admit the gateway\'s CIDR or security group only.',
                'ingress[0].ipv6CidrBlocks[0] "::/0" admits the whole IPv6 internet: admit the gateway\'s CIDR or security group only.',
            ] },
        { kind: "check", title: "SSH from a private range", on: "ssh", resources: () => [...secureAwsStack(), sg("ssh", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] })],
            expect: ["ingress[0] opens port 22 (SSH): admit the service port only and reach instances through SSM Session Manager."] },
        { kind: "check", title: "all traffic from the VPC includes SSH", on: "all", resources: () => [...secureAwsStack(), sg("all", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }] })],
            expect: ["ingress[0] opens port 22 (SSH, with every other port): admit the service port only and reach instances through SSM Session Manager."] },
        { kind: "missing", title: "no inline ingress", resources: () => [...secureAwsStack(), sg("quiet", {})], expect: [] },
        { kind: "unknown", title: "a source CIDR unknown", on: "web", resources: () => [...secureAwsStack(), sg("web", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [U] }] })],
            expect: [unknownMsg("ingress[0].cidrBlocks[0]")] },
    ],
    "aws-ec2-security-group-rule-disallow-public-ingress": [
        { kind: "check", title: "an ingress rule from the internet", on: "open", resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupRule, "open", { type: "ingress", protocol: "tcp", fromPort: 8000, toPort: 8000, cidrBlocks: ["0.0.0.0/0"], securityGroupId: U })],
            expect: ['cidrBlocks[0] "0.0.0.0/0" admits the whole IPv4 internet: admit the gateway\'s CIDR or security group only.'] },
        { kind: "check", title: "SSH from a security group", on: "ssh", resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupRule, "ssh", { type: "ingress", protocol: "tcp", fromPort: 20, toPort: 25, sourceSecurityGroupId: U, securityGroupId: U })],
            expect: ["the rule opens port 22 (SSH): admit the service port only and reach instances through SSM Session Manager."] },
        { kind: "scope", title: "an egress rule is not ingress", resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupRule, "out", { type: "egress", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.42.0.0/16"], securityGroupId: U })], expect: [] },
        { kind: "missing", title: "no CIDR (a security group source)", resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupRule, "sg", { type: "ingress", protocol: "tcp", fromPort: 8000, toPort: 8000, sourceSecurityGroupId: U, securityGroupId: U })], expect: [] },
        { kind: "unknown", title: "type unknown", on: "r", resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupRule, "r", { type: U, protocol: "tcp", fromPort: 8000, toPort: 8000, securityGroupId: U })], expect: [unknownMsg("type")] },
    ],
    "aws-vpc-security-group-ingress-rule-disallow-public-ingress": [
        { kind: "check", title: "the gateway rule opened to the internet", on: A.fromGateway, resources: () => m(A.fromGateway, (p) => { p.cidrIpv4 = "0.0.0.0/0"; }),
            expect: ['cidrIpv4 "0.0.0.0/0" admits the whole IPv4 internet: admit the gateway\'s CIDR or security group only.'] },
        { kind: "check", title: "all protocols (every port, SSH included)", on: A.fromGateway, resources: () => m(A.fromGateway, (p) => { p.ipProtocol = "-1"; delete p.fromPort; delete p.toPort; }),
            expect: ["the rule opens port 22 (SSH, with every other port): admit the service port only and reach instances through SSM Session Manager."] },
        { kind: "check", title: "a value that is not a CIDR", on: A.fromGateway, resources: () => m(A.fromGateway, (p) => { p.cidrIpv4 = "anywhere"; }),
            expect: ['cidrIpv4 "anywhere" admits something that is not a CIDR, so it cannot be verified: admit the gateway\'s CIDR or security group only.'] },
        { kind: "missing", title: "a security-group source has no CIDR", resources: () => m(A.fromGateway, (p) => { delete p.cidrIpv4; p.referencedSecurityGroupId = "sg-0123456789abcdef0"; }), expect: [] },
        { kind: "unknown", title: "cidrIpv4 unknown", on: A.fromGateway, resources: () => m(A.fromGateway, (p) => { p.cidrIpv4 = U; }), expect: [unknownMsg("cidrIpv4")] },
    ],
    "aws-ec2-instance-disallow-open-egress": [
        { kind: "check", title: "an egress rule to 0.0.0.0/0 on the server's group (reported for the instance and its template)",
            resources: () => [...secureAwsStack(), extra(AWS_TYPES.securityGroupEgressRule, "all-out", { securityGroupId: U, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }, { securityGroupId: [urn(A.serverSg)] })],
            expect: [
                `SecurityGroupEgressRule "all-out" allows traffic from SecurityGroup "server-sg" to "0.0.0.0/0" (the whole IPv4 internet): ${EGRESS_FIX}`,
                `SecurityGroupEgressRule "all-out" allows traffic from SecurityGroup "server-sg" to "0.0.0.0/0" (the whole IPv4 internet): ${EGRESS_FIX}`,
            ] },
        { kind: "check", title: "inline egress to ::/0", on: A.server, resources: () => relink(A.server, "vpcSecurityGroupIds", [sgUrn("v6")]).concat(sg("v6", { egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] }] })),
            expect: [`SecurityGroup "v6" egress[0].ipv6CidrBlocks[0] allows traffic to "::/0" (the whole IPv6 internet): ${EGRESS_FIX}`] },
        { kind: "check", title: "a prefix list that is no gateway endpoint's", resources: () => relink(A.toS3, "prefixListId", []).map((r) => (r.name === A.toS3 ? { ...r, props: { ...r.props, prefixListId: "pl-6da54004" } } : r)),
            expect: [
                `SecurityGroupEgressRule "to-s3" prefixListId names a prefix list that is not a gateway endpoint's of this stack, so what it admits cannot be verified: ${EGRESS_FIX}`,
                `SecurityGroupEgressRule "to-s3" prefixListId names a prefix list that is not a gateway endpoint's of this stack, so what it admits cannot be verified: ${EGRESS_FIX}`,
            ] },
        { kind: "check", title: "a security group the stack does not declare", on: A.server, resources: () => awsReplaced(A.server, (r) => ({ ...r, props: { ...r.props, vpcSecurityGroupIds: ["sg-0123456789abcdef0"] }, propertyDependencies: { ...r.propertyDependencies, vpcSecurityGroupIds: [] } })),
            expect: ['vpcSecurityGroupIds ["sg-0123456789abcdef0"] names a security group this stack does not declare, so it cannot be verified: give it a security group of this stack whose egress reaches the VPC endpoints only.'] },
        { kind: "check", title: "a staging instance whose claim fails loses the exception", on: A.stage, resources: () => m(A.stage, (p) => { p.instanceType = "g5.xlarge"; }),
            expect: [`SecurityGroupEgressRule "staging-https" allows traffic from SecurityGroup "staging-sg" to "0.0.0.0/0" (the whole IPv4 internet): ${EGRESS_FIX}`] },
        { kind: "scope", title: "the verified staging instance may reach the hub", resources: () => secureAwsStack(), expect: [] },
        { kind: "missing", title: "no security group and no launch template (the VPC's default group)", on: A.server,
            resources: () => awsReplaced(A.server, (r) => { const { vpcSecurityGroupIds: _s, launchTemplate: _l, ...props } = r.props; return { ...r, props, propertyDependencies: { subnetId: [urn(A.serving)] } }; }),
            expect: ["it names no security group, so the VPC's default security group applies, which allows all egress unless the stack manages it: give it a security group of this stack whose egress reaches the VPC endpoints only."] },
        { kind: "unknown", title: "an egress CIDR unknown", resources: () => m(A.toEndpoints, (p) => { p.cidrIpv4 = U; }), expect: [unknownMsg("cidrIpv4"), unknownMsg("cidrIpv4")] },
    ],
    "aws-ec2-subnet-disallow-internet-route": [
        { kind: "check", title: "the serving subnet associated with the internet gateway's table", on: A.server, resources: () => relink(A.servingAssoc, "routeTableId", [urn(A.egressRt)]),
            expect: [`it runs in Subnet "serving", which routes out of the VPC (Route "egress-default" in RouteTable "egress-rt": 0.0.0.0/0 → an internet gateway): ${ROUTE_FIX}`] },
        { kind: "check", title: "an inline NAT route in the serving table", on: A.server, resources: () => m(A.servingRt, (p) => { p.routes = [{ cidrBlock: "0.0.0.0/0", natGatewayId: U }]; }),
            expect: [`it runs in Subnet "serving", which routes out of the VPC (RouteTable "serving-rt" routes[0]: 0.0.0.0/0 → a NAT gateway): ${ROUTE_FIX}`] },
        { kind: "check", title: "a default route to a transit gateway (an egress VPC)", on: A.server,
            resources: () => [...secureAwsStack(), extra(AWS_TYPES.route, "tgw", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", transitGatewayId: "tgw-0123456789abcdef0" }, { routeTableId: [urn(A.servingRt)] })],
            expect: [`it runs in Subnet "serving", which routes out of the VPC (Route "tgw" in RouteTable "serving-rt": 0.0.0.0/0 → a transit gateway as a route to everywhere (it may lead to an egress network)): ${ROUTE_FIX}`] },
        { kind: "scope", title: "a route to the gateway's network through a transit gateway", resources: () => [...secureAwsStack(), extra(AWS_TYPES.route, "tgw", { routeTableId: U, destinationCidrBlock: "10.10.0.0/16", transitGatewayId: "tgw-0123456789abcdef0" }, { routeTableId: [urn(A.servingRt)] })], expect: [] },
        { kind: "check", title: "the GPU server in the staging subnet (the claim does not hold)", on: A.server, resources: () => relink(A.server, "subnetId", [urn(A.staging)]),
            expect: [`it runs in Subnet "staging", tagged airlock.dev/role=model-staging, which routes out (Route "staging-default" in RouteTable "staging-rt": 0.0.0.0/0 → a NAT gateway), but it is not a verified one-shot staging host: it is not tagged airlock.dev/role=model-staging; it is a GPU instance (g6.xlarge); instanceInitiatedShutdownBehavior is not "terminate"; its user data: line ${DOCKER_LINE}: docker run (vLLM server) is not a model download; its user data: it never powers the instance off (shutdown -h now), so it is not one-shot: serve from a subnet without internet routes.`] },
        { kind: "check", title: "a staging instance that also serves", on: A.stage, resources: () => m(A.stage, (p) => { p.userData = `${stagingScript()}docker run --rm ${IMAGE} --model /models/x\n`; }),
            expect: [`it runs in Subnet "staging", tagged airlock.dev/role=model-staging, which routes out (Route "staging-default" in RouteTable "staging-rt": 0.0.0.0/0 → a NAT gateway), but it is not a verified one-shot staging host: its user data: line 58: docker run (vLLM server) is not a model download: serve from a subnet without internet routes.`] },
        { kind: "check", title: "a subnet the stack does not declare", on: A.server, resources: () => awsReplaced(A.server, (r) => ({ ...r, props: { ...r.props, subnetId: "subnet-0123456789abcdef0" }, propertyDependencies: { ...r.propertyDependencies, subnetId: [] } })),
            expect: ['subnetId "subnet-0123456789abcdef0" names a subnet this stack does not declare, so it cannot be verified: launch it into a private subnet declared in this stack.'] },
        { kind: "check", title: "no association: the main route table of the VPC, with a route to the internet gateway", on: A.server,
            resources: () => [...secureAwsStack().filter((r) => r.name !== A.servingAssoc), extra(AWS_TYPES.route, "main-default", { routeTableId: U, destinationCidrBlock: "0.0.0.0/0", gatewayId: U }, { routeTableId: [urn(A.vpc)], gatewayId: [urn(A.igw)] })],
            expect: [`it runs in Subnet "serving", which routes out of the VPC (Route "main-default" in Vpc "vpc": 0.0.0.0/0 → an internet gateway): ${ROUTE_FIX}`] },
        { kind: "scope", title: "the verified staging instance behind the NAT", resources: () => secureAwsStack(), expect: [] },
        { kind: "missing", title: "no subnet: the default VPC", on: A.server, resources: () => awsReplaced(A.server, (r) => { const { subnetId: _s, ...props } = r.props; return { ...r, props }; }),
            expect: ["subnetId is unset, so it launches into a default subnet of the default VPC, which routes to the internet: launch it into a private subnet declared in this stack."] },
        { kind: "unknown", title: "the staging subnet's tags unknown", on: A.stage, resources: () => m(A.staging, (p) => { p.tags = UNKNOWN.object; }), expect: [unknownMsg("tags")] },
    ],
    "aws-ec2-vpc-require-endpoints": [
        { kind: "check", title: "no ecr.dkr endpoint", on: A.vpc, resources: () => secureAwsStack().filter((r) => r.name !== A.ecrDkr),
            expect: ['Vpc "vpc" hosts instances that use ECR but has no VPC endpoint for ecr.dkr: create one (Interface, privateDnsEnabled: true).'] },
        { kind: "check", title: "Secrets Manager endpoint without private DNS", on: A.vpc, resources: () => m(A.secretsVpce, (p) => { p.privateDnsEnabled = false; }),
            expect: ['VpcEndpoint "vpce-secretsmanager" (secretsmanager) is not an Interface endpoint with privateDnsEnabled: true, so secretsmanager\'s usual name does not resolve to it: set vpcEndpointType "Interface" and privateDnsEnabled: true.'] },
        { kind: "missing", title: "no endpoints at all", on: A.vpc, resources: () => secureAwsStack().filter((r) => r.type !== AWS_TYPES.vpcEndpoint),
            expect: [
                'Vpc "vpc" hosts instances that use ECR but has no VPC endpoint for ecr.api: create one (Interface, privateDnsEnabled: true).',
                'Vpc "vpc" hosts instances that use ECR but has no VPC endpoint for ecr.dkr: create one (Interface, privateDnsEnabled: true).',
                'Vpc "vpc" hosts instances that use ECR but has no VPC endpoint for s3: create one (Gateway, on the hosts\' route tables).',
                'Vpc "vpc" hosts instances that use Secrets Manager but has no VPC endpoint for secretsmanager: create one (Interface, privateDnsEnabled: true).',
            ] },
        { kind: "scope", title: "no instance: nothing needs endpoints", resources: () => secureAwsStack().filter((r) => r.type !== AWS_TYPES.vpcEndpoint && r.type !== AWS_TYPES.instance && r.type !== AWS_TYPES.launchTemplate), expect: [] },
        { kind: "unknown", title: "an endpoint's service name unknown", on: A.vpc, resources: () => m(A.ecrApi, (p) => { p.serviceName = U; }), expect: [unknownMsg("serviceName")] },
    ],
    "aws-ecr-repository-require-immutable-tags": [
        { kind: "check", title: "MUTABLE", on: A.repo, resources: () => m(A.repo, (p) => { p.imageTagMutability = "MUTABLE"; }),
            expect: ['imageTagMutability is "MUTABLE", so some tags can be moved to another image: set imageTagMutability: "IMMUTABLE".'] },
        { kind: "check", title: "immutable with exclusions", on: A.repo, resources: () => m(A.repo, (p) => { p.imageTagMutability = "IMMUTABLE_WITH_EXCLUSION"; }),
            expect: ['imageTagMutability is "IMMUTABLE_WITH_EXCLUSION", so some tags can be moved to another image: set imageTagMutability: "IMMUTABLE".'] },
        { kind: "missing", title: "unset is MUTABLE", on: A.repo, resources: () => m(A.repo, (p) => { delete p.imageTagMutability; }),
            expect: ['imageTagMutability is unset, so tags are MUTABLE: anyone with push access can replace the image behind a tag: set imageTagMutability: "IMMUTABLE".'] },
        { kind: "unknown", title: "imageTagMutability unknown", on: A.repo, resources: () => m(A.repo, (p) => { p.imageTagMutability = U; }), expect: [unknownMsg("imageTagMutability")] },
    ],
    "aws-ecr-repository-require-scan-on-push": [
        { kind: "check", title: "scanOnPush false", on: A.repo, resources: () => m(A.repo, (p) => { p.imageScanningConfiguration.scanOnPush = false; }),
            expect: ["imageScanningConfiguration.scanOnPush is false, so pushed images are not scanned: set it to true."] },
        { kind: "missing", title: "no scanning configuration", on: A.repo, resources: () => m(A.repo, (p) => { delete p.imageScanningConfiguration; }),
            expect: ["imageScanningConfiguration is unset, so pushed images are not scanned: set imageScanningConfiguration: { scanOnPush: true }."] },
        { kind: "unknown", title: "scanOnPush unknown", on: A.repo, resources: () => m(A.repo, (p) => { p.imageScanningConfiguration.scanOnPush = UNKNOWN.boolean; }), expect: [unknownMsg("imageScanningConfiguration.scanOnPush")] },
    ],
    "aws-ecr-repository-require-kms-encryption": [
        { kind: "check", title: "AES256", on: A.repo, resources: () => m(A.repo, (p) => { p.encryptionConfigurations = [{ encryptionType: "AES256" }]; }),
            expect: ['encryptionConfigurations[0].encryptionType is "AES256", not "KMS": set "KMS" with a customer-managed kmsKey.'] },
        { kind: "check", title: "KMS with the AWS managed key", on: A.repo, resources: () => m(A.repo, (p) => { p.encryptionConfigurations = [{ encryptionType: "KMS" }]; }),
            expect: ["encryptionConfigurations[0].kmsKey is unset, so ECR uses the AWS managed key aws/ecr: name a customer-managed key."] },
        { kind: "missing", title: "no encryption configuration", on: A.repo, resources: () => m(A.repo, (p) => { delete p.encryptionConfigurations; }),
            expect: ['encryptionConfigurations is unset, so images are encrypted with AES256 under AWS-owned keys: set [{ encryptionType: "KMS", kmsKey: <customer-managed key ARN> }].'] },
        { kind: "reference", title: "kmsKey unknown (the enclave key's ARN) counts as set", resources: () => secureAwsStack(), expect: [] },
        { kind: "unknown", title: "encryptionType unknown", on: A.repo, resources: () => m(A.repo, (p) => { p.encryptionConfigurations[0].encryptionType = U; }), expect: [unknownMsg("encryptionConfigurations[0].encryptionType")] },
    ],
    "aws-ecr-repository-policy-disallow-public-access": [
        { kind: "check", title: "pull for everyone", on: "public",
            resources: () => [...secureAwsStack(), extra(AWS_TYPES.ecrRepositoryPolicy, "public", { repository: U, policy: JSON.stringify({ Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] }] }) })],
            expect: ['policy Statement[0] ("Everyone") allows ecr:BatchGetImage to Principal "*" without a Condition, which any AWS account can use: name the principals that may pull.'] },
        { kind: "check", title: "AWS: \"*\" in an object principal", on: "public",
            resources: () => [...secureAwsStack(), extra(AWS_TYPES.ecrRepositoryPolicy, "public", { repository: U, policy: { Statement: { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "ecr:*" } } })],
            expect: ['policy Statement[0] allows ecr:* to Principal "*" without a Condition, which any AWS account can use: name the principals that may pull.'] },
        { kind: "scope", title: "everyone in the organization (a condition)", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ecrRepositoryPolicy, "org", { repository: U, policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }] }) })], expect: [] },
        { kind: "missing", title: "a document without statements", on: "empty", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ecrRepositoryPolicy, "empty", { repository: U, policy: "{}" })],
            expect: ["policy has no Statement: write it as a JSON policy document."] },
        { kind: "unknown", title: "policy unknown", on: "p", resources: () => [...secureAwsStack(), extra(AWS_TYPES.ecrRepositoryPolicy, "p", { repository: U, policy: U })], expect: [unknownMsg("policy")] },
    ],
    "aws-secretsmanager-secret-require-customer-managed-key": [
        { kind: "check", title: "the AWS managed key by alias", on: A.secret, resources: () => m(A.secret, (p) => { p.kmsKeyId = "alias/aws/secretsmanager"; }),
            expect: ['kmsKeyId "alias/aws/secretsmanager" is an AWS managed key: set kmsKeyId to a customer-managed key.'] },
        { kind: "missing", title: "kmsKeyId unset", on: A.secret, resources: () => m(A.secret, (p) => { delete p.kmsKeyId; }),
            expect: ["kmsKeyId is unset, so the secret is encrypted with the AWS managed key aws/secretsmanager: set kmsKeyId to a customer-managed key."] },
        { kind: "reference", title: "kmsKeyId unknown (the enclave key's ARN) counts as customer-managed", resources: () => secureAwsStack(), expect: [] },
        { kind: "unknown", title: "a known customer key ARN passes", resources: () => m(A.secret, (p) => { p.kmsKeyId = "arn:aws:kms:eu-west-1:123456789012:key/0b1c2d3e-0000-4000-8000-000000000000"; }), expect: [] },
    ],
    "aws-kms-key-require-rotation": [
        { kind: "check", title: "rotation off", on: A.key, resources: () => m(A.key, (p) => { p.enableKeyRotation = false; }), expect: ["enableKeyRotation is false: set enableKeyRotation: true."] },
        { kind: "check", title: "lockout check bypassed", on: A.key, resources: () => m(A.key, (p) => { p.bypassPolicyLockoutSafetyCheck = true; }),
            expect: ["bypassPolicyLockoutSafetyCheck is true, so a key policy can lock the account out of its own key: remove it."] },
        { kind: "check", title: "a key policy for everyone", on: A.key, resources: () => m(A.key, (p) => { p.policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }] }); }),
            expect: ['policy Statement[0] allows Principal "*" without a Condition, which hands the key to any AWS account: name the principals.'] },
        { kind: "scope", title: "an asymmetric signing key cannot rotate", resources: () => m(A.key, (p) => { delete p.enableKeyRotation; p.customerMasterKeySpec = "RSA_2048"; p.keyUsage = "SIGN_VERIFY"; }), expect: [] },
        { kind: "missing", title: "rotation unset", on: A.key, resources: () => m(A.key, (p) => { delete p.enableKeyRotation; }), expect: ["enableKeyRotation is unset (rotation is off): set enableKeyRotation: true."] },
        { kind: "unknown", title: "enableKeyRotation unknown", on: A.key, resources: () => m(A.key, (p) => { p.enableKeyRotation = UNKNOWN.boolean; }), expect: [unknownMsg("enableKeyRotation")] },
    ],
    "aws-iam-policy-disallow-wildcard-admin": [
        { kind: "check", title: "* on *", on: A.policy, resources: () => m(A.policy, (p) => { p.policy = JSON.stringify({ Statement: { Effect: "Allow", Action: "*", Resource: "*" } }); }),
            expect: ['policy Statement[0] allows * on "*": grant the actions it needs on the resources it uses.'] },
        { kind: "check", title: "s3:* on * (a service wildcard)", on: A.policy, resources: () => m(A.policy, (p) => { p.policy = JSON.stringify({ Statement: [{ Sid: "All", Effect: "Allow", Action: ["s3:GetObject", "s3:*"], Resource: ["*"] }] }); }),
            expect: ['policy Statement[0] ("All") allows s3:* on "*": grant the actions it needs on the resources it uses.'] },
        { kind: "check", title: "NotAction in an Allow", on: A.policy, resources: () => m(A.policy, (p) => { p.policy = JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }); }),
            expect: ["policy Statement[0] allows every action except iam:* (NotAction): list the actions it needs."] },
        { kind: "check", title: "a role anyone can assume", on: A.role, resources: () => m(A.role, (p) => { p.assumeRolePolicy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }); }),
            expect: ['assumeRolePolicy Statement[0] lets Principal "*" assume the role without a Condition, so any AWS account can use its permissions: name the service or role that assumes it.'] },
        { kind: "check", title: "AdministratorAccess attached", on: A.ssm, resources: () => m(A.ssm, (p) => { p.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess"; }),
            expect: ["policyArn attaches the AWS managed policy AdministratorAccess, which grants nearly every action on every resource: attach a least-privilege policy."] },
        { kind: "check", title: "an inline policy of a role", on: A.role, resources: () => m(A.role, (p) => { p.inlinePolicies = [{ name: "all", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "ec2:*", NotResource: "arn:aws:ec2:*:*:instance/x" }] }) }]; }),
            expect: ['inlinePolicies[0].policy Statement[0] allows ec2:* on every resource except some (NotResource): grant the actions it needs on the resources it uses.'] },
        { kind: "check", title: "a customer-managed policy the stack does not declare", on: A.ssm, resources: () => m(A.ssm, (p) => { p.policyArn = "arn:aws:iam::123456789012:policy/ops"; }),
            expect: ['policyArn "arn:aws:iam::123456789012:policy/ops" names a customer-managed policy this stack does not declare, so its permissions cannot be verified: declare the policy in the stack.'] },
        { kind: "scope", title: "the secure enclave (ecr:GetAuthorizationToken needs \"*\")", resources: () => secureAwsStack(), expect: [] },
        { kind: "missing", title: "a document without statements", on: A.policy, resources: () => m(A.policy, (p) => { p.policy = JSON.stringify({ Version: "2012-10-17" }); }),
            expect: ["policy has no Statement: write it as a JSON policy document."] },
        { kind: "unknown", title: "the document unknown at preview (built from an output)", on: A.policy, resources: () => m(A.policy, (p) => { p.policy = U; }), expect: [unknownMsg("policy")] },
    ],
    "aws-ec2-instance-disallow-user-data-secrets": [
        { kind: "check", title: "a Hugging Face token in the script (never echoed)", on: A.stage, resources: () => m(A.stage, (p) => { ud(p, "set -euo pipefail", `set -euo pipefail\nexport HF_TOKEN=hf_${"a".repeat(34)}`); }),
            expect: [
                `userData contains a credential (Hugging Face token): user data is readable by anyone who can describe the instance and is stored in the Pulumi state; remove it, rotate it, and ${SM}.`,
                `userData line 5: HF_TOKEN is assigned a literal value, so the secret is stored in the user data and the Pulumi state: ${SM.replace("NAME=", "HF_TOKEN=")}.`,
            ] },
        { kind: "check", title: "the API key assigned literally (not token-shaped)", on: A.server, resources: () => m(A.server, (p) => { ud(p, 'VLLM_API_KEY="$(aws secretsmanager get-secret-value --secret-id \'airlock-test/qwen/api-key\' --query SecretString --output text)"', "VLLM_API_KEY='team-shared-key'"); }),
            expect: [`userData line 38: VLLM_API_KEY is assigned a literal value, so the secret is stored in the user data and the Pulumi state: ${SM.replace("NAME=", "VLLM_API_KEY=")}.`] },
        { kind: "check", title: "a literal secret passed to docker run --env", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--env 'VLLM_API_KEY' \\", "--env 'VLLM_API_KEY=team-shared-key' \\"); }),
            expect: [`userData line ${DOCKER_LINE}: docker run --env VLLM_API_KEY=… passes a literal secret: pass --env VLLM_API_KEY (from the environment) and ${SM.replace("NAME=", "VLLM_API_KEY=")}.`] },
        { kind: "check", title: "docker login --password", on: A.server, resources: () => m(A.server, (p) => { ud(p, "| docker login --username AWS --password-stdin", "; docker login --username AWS --password s3cr3tvalue"); }),
            expect: [`userData line 30: --password is given a literal value, which is visible in the user data, the Pulumi state and the process list: pass it through the environment and ${SM}.`] },
        { kind: "check", title: "base64 (userDataBase64) is read too", on: A.stage, resources: () => m(A.stage, (p) => { p.userDataBase64 = b64(`#!/bin/bash\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY\n`); delete p.userData; }),
            expect: [`userData line 2: AWS_SECRET_ACCESS_KEY is assigned a literal value, so the secret is stored in the user data and the Pulumi state: ${SM.replace("NAME=", "AWS_SECRET_ACCESS_KEY=")}.`] },
        { kind: "scope", title: "reading secrets at boot is the intended channel", resources: () => secureAwsStack(), expect: [] },
        { kind: "missing", title: "no user data", resources: () => m(A.server, (p) => { delete p.userData; }), expect: [] },
        { kind: "unknown", title: "userData unknown", on: A.server, resources: () => m(A.server, (p) => { p.userData = U; }), expect: [unknownMsg("userData")] },
    ],
    "aws-ec2-launch-template-disallow-user-data-secrets": [
        { kind: "check", title: "an AWS access key in gzip-compressed base64 user data", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = gzipSync(Buffer.from(`#!/bin/bash\naws configure set aws_access_key_id AKIAABCDEFGHIJKLMNOP\n`)).toString("base64"); }),
            expect: [`userData contains a credential (AWS access key id): user data is readable by anyone who can describe the instance and is stored in the Pulumi state; remove it, rotate it, and ${SM}.`] },
        { kind: "check", title: "a launch template's user data is base64: plain text is unreadable", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = "#!/bin/bash\necho hi\n"; }),
            expect: ["userData is not base64 of UTF-8 text (or of gzip-compressed text), so it cannot be checked for credentials: pass a shell script or #cloud-config."] },
        { kind: "missing", title: "no user data", resources: () => secureAwsStack(), expect: [] },
        { kind: "unknown", title: "userData unknown", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = U; }), expect: [unknownMsg("userData")] },
    ],
    "aws-ec2-instance-require-sealed-user-data": [
        { kind: "check", title: "-p 8000:8000 (every interface)", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--publish '10.42.0.16:8000:8000'", "-p 8000:8000"); }),
            expect: [`${VLLM}: --publish 8000:8000 binds container port 8000 on every interface (no host address): ${PUBLISH_FIX}`] },
        { kind: "check", title: "--publish on 0.0.0.0 and -P", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--publish '10.42.0.16:8000:8000'", "--publish=0.0.0.0:8000:8000 -P"); }),
            expect: [
                `${VLLM}: --publish-all publishes every exposed port on all interfaces: ${PUBLISH_FIX}`,
                `${VLLM}: --publish 0.0.0.0:8000:8000 binds container port 8000 on every interface (0.0.0.0): ${PUBLISH_FIX}`,
            ] },
        { kind: "check", title: "a publish address computed at run time", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--publish '10.42.0.16:8000:8000'", '--publish "$IP:8000:8000"'); }),
            expect: [`${VLLM}: --publish "$IP:8000:8000" is computed at run time (parameter expansion $IP), so where the port is bound cannot be verified: ${PUBLISH_FIX}`] },
        { kind: "check", title: "HF_HUB_OFFLINE=0 (spelled in quotes, read as the shell reads it)", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--env 'HF_HUB_OFFLINE=1'", "--env HF_HUB_OFF\"LINE=0\""); }),
            expect: [`${VLLM}: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB}), so the vLLM server could call a model hub: set --env HF_HUB_OFFLINE=1.`] },
        { kind: "check", title: "VLLM_NO_USAGE_STATS=true (vLLM compares with \"1\")", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--env 'VLLM_NO_USAGE_STATS=1'", "--env=VLLM_NO_USAGE_STATS=true"); }),
            expect: [`${VLLM}: VLLM_NO_USAGE_STATS="true" is off for vLLM (vLLM reads it as on only for the exact string "1"), so the vLLM server could send telemetry: set --env VLLM_NO_USAGE_STATS=1.`] },
        { kind: "check", title: "the offline switch from an env file", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--env 'HF_HUB_OFFLINE=1' \\", "--env-file /etc/airlock.env \\"); }),
            expect: [
                // An env file can set any variable: the switches it could override are unverifiable.
                `${VLLM}: --env-file /etc/airlock.env is read at run time, which the pack cannot verify, so the vLLM server could call a model hub: set --env HF_HUB_OFFLINE=1 literally.`,
                `${VLLM}: --env-file /etc/airlock.env is read at run time, which the pack cannot verify, so the vLLM server could call a model hub: set --env VLLM_USE_MODELSCOPE=False literally.`,
                `${VLLM}: --env-file /etc/airlock.env is read at run time, which the pack cannot verify, so the vLLM server could send telemetry: set --env DO_NOT_TRACK=1 literally.`,
            ] },
        { kind: "check", title: "a hub id without a revision", on: A.server, resources: () => m(A.server, (p) => { ud(p, "'/models/Qwen--Qwen3-4B-Instruct-2507' \\\n    '--served-model-name'", "'Qwen/Qwen3-4B-Instruct-2507' \\\n    '--served-model-name'"); }),
            expect: [`${VLLM}: serves hub model "Qwen/Qwen3-4B-Instruct-2507" without --revision: serve the local copy of the staged model (or pin a 40-hex commit).`] },
        { kind: "check", title: "--trust_remote_code (vLLM's spelling rules)", on: A.server, resources: () => m(A.server, (p) => { ud(p, "'--port' \\\n    '8000'", "'--port' \\\n    '8000' --trust_remote_code"); }),
            expect: [`${VLLM}: --trust-remote-code is set for "/models/Qwen--Qwen3-4B-Instruct-2507", which is not on trustRemoteCodeAllowlist at its reviewed revision: remove it, or add {model, revision} to trustRemoteCodeAllowlist after reviewing the code.`] },
        { kind: "config", title: "an allow-listed model may trust its code", config: { all: "mandatory", "aws-ec2-instance-require-sealed-user-data": { trustRemoteCodeAllowlist: [{ model: "Qwen/Qwen3-4B-Instruct-2507", revision: "cdbee75f17c01a7cc42f958dc650907174af0554" }] } },
            resources: () => m(A.server, (p) => { ud(p, "'--port' \\\n    '8000'", "'--port' \\\n    '8000' --trust-remote-code"); }), expect: [] },
        { kind: "check", title: "the API key in argv (an abbreviation vLLM accepts)", on: A.server, resources: () => m(A.server, (p) => { ud(p, "'--port' \\\n    '8000'", "'--port' \\\n    '8000' --api-k \"$VLLM_API_KEY\""); }),
            expect: [`${VLLM}: arguments are computed at run time ("$VLLM_API_KEY" (parameter expansion $VLLM_API_KEY)), so what it serves cannot be verified: write them literally.`] },
        { kind: "check", title: "the API key in argv, literally", on: A.server, resources: () => m(A.server, (p) => { ud(p, "'--port' \\\n    '8000'", "'--port' \\\n    '8000' --api-key=fixed"); }),
            expect: [`${VLLM}: passes --api-key in argv, which exposes the key through ps and docker inspect: remove it and pass VLLM_API_KEY from Secrets Manager through the environment.`] },
        { kind: "check", title: "no API key at all", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--env 'VLLM_API_KEY' \\\n", ""); }),
            expect: [`${VLLM}: VLLM_API_KEY is not set, so the server accepts unauthenticated requests: read the key from Secrets Manager at boot and pass --env VLLM_API_KEY.`] },
        { kind: "check", title: "an image from Docker Hub, by tag", on: A.server, resources: () => m(A.server, (p) => { ud(p, `    '${IMAGE}' \\\n    'serve'`, "    vllm/vllm-openai:v0.11.0 \\\n    'serve'"); }),
            expect: [
                `${VLLM}: image "vllm/vllm-openai:v0.11.0" is not pinned by digest: append "@sha256:<64 hex>" with the digest of the reviewed image (docker buildx imagetools inspect <image>).`,
                `${VLLM}: image "vllm/vllm-openai:v0.11.0" comes from registry "docker.io", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`,
            ] },
        { kind: "check", title: "vLLM on the host network without --host", on: A.server, resources: () => m(A.server, (p) => { ud(p, "--publish '10.42.0.16:8000:8000'", "--network host"); ud(p, "    '--host' \\\n    '0.0.0.0' \\\n", ""); }),
            expect: [`${VLLM}: --network host: vLLM has no --host, so it listens on every interface: ${PUBLISH_FIX}`] },
        { kind: "check", title: "a launch hidden in a here-document", on: A.stage, resources: () => m(A.stage, (p) => { p.userData = `${stagingScript()}cat > /run/x.sh <<'EOF'\ndocker run -p 80:80 img\nEOF\nsh /run/x.sh\n`; }),
            expect: ["userData: the here-document at line 58 starts containers or model servers as text the pack cannot read as commands; run them as command lines of the script."] },
        { kind: "check", title: "eval and a command computed at run time", on: A.stage, resources: () => m(A.stage, (p) => { p.userData = `${stagingScript()}eval "$CMD"\n"$DOCKER" run img\n`; }),
            expect: ["userData: eval at line 58 runs text the pack cannot read.", "userData: the command at line 59 is computed at run time (parameter expansion $DOCKER), so what it runs cannot be verified."] },
        { kind: "check", title: "vLLM started on the host by cloud-config, online", on: A.stage, resources: () => m(A.stage, (p) => { p.userData = "#cloud-config\nruncmd:\n  - [vllm, serve, /models/x, --host, 10.42.0.16, --api-key, k]\n"; }),
            expect: [
                "runcmd[0]: vLLM server on the host: HF_HUB_OFFLINE is not set, so the vLLM server could call a model hub: set --env HF_HUB_OFFLINE=1.",
                "runcmd[0]: vLLM server on the host: TRANSFORMERS_OFFLINE is not set, so the vLLM server could call a model hub: set --env TRANSFORMERS_OFFLINE=1.",
                "runcmd[0]: vLLM server on the host: HF_DATASETS_OFFLINE is not set, so the vLLM server could call a model hub: set --env HF_DATASETS_OFFLINE=1.",
                "runcmd[0]: vLLM server on the host: HF_HUB_DISABLE_TELEMETRY is not set, so the vLLM server could send telemetry: set --env HF_HUB_DISABLE_TELEMETRY=1.",
                "runcmd[0]: vLLM server on the host: VLLM_NO_USAGE_STATS is not set, so the vLLM server could send telemetry: set --env VLLM_NO_USAGE_STATS=1.",
                "runcmd[0]: vLLM server on the host: DO_NOT_TRACK is not set, so the vLLM server could send telemetry: set --env DO_NOT_TRACK=1.",
                "runcmd[0]: vLLM server on the host: passes --api-key in argv, which exposes the key through ps and docker inspect: remove it and pass VLLM_API_KEY from Secrets Manager through the environment.",
                "runcmd[0]: vLLM server on the host: VLLM_API_KEY is not set, so the server accepts unauthenticated requests: read the key from Secrets Manager at boot and pass --env VLLM_API_KEY.",
            ] },
        { kind: "config", title: "allowedModelRoots override", on: A.server, config: { all: "mandatory", "aws-ec2-instance-require-sealed-user-data": { allowedModelRoots: ["/weights"] } }, resources: () => secureAwsStack(),
            expect: [`${VLLM}: serves "/models/Qwen--Qwen3-4B-Instruct-2507", which is not under an allowed model root (/weights): serve the local copy of the staged model.`] },
        { kind: "scope", title: "the staging download may use the hub and powers off", resources: () => secureAwsStack(), expect: [] },
        { kind: "missing", title: "no user data", resources: () => m(A.server, (p) => { delete p.userData; }), expect: [] },
        { kind: "unknown", title: "userData unknown", on: A.server, resources: () => m(A.server, (p) => { p.userData = U; }), expect: [unknownMsg("userData")] },
    ],
    "aws-ec2-launch-template-require-sealed-user-data": [
        { kind: "check", title: "the server's script in a template, published on every interface", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = b64(serverUserData().replace("--publish '10.42.0.16:8000:8000'", "--publish '8000:8000'")); }),
            expect: [`${VLLM}: --publish 8000:8000 binds container port 8000 on every interface (no host address): ${PUBLISH_FIX}`] },
        { kind: "check", title: "a python script (not read) that starts vLLM", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = b64("#!/usr/bin/env python3\nimport os\nos.system('vllm serve /models/x')\n"); }),
            expect: ["userData: the user data is a python3 script, which the pack does not read, and it mentions starting containers or model servers."] },
        { kind: "config", title: "an allowed registry by prefix", config: { all: "mandatory", "aws-ec2-launch-template-require-sealed-user-data": { allowedRegistries: ["registry.internal:5000/mirror"], allowedRegistryPatterns: [] } },
            on: A.lt, resources: () => m(A.lt, (p) => { p.userData = b64(serverUserData()); }),
            expect: [`${VLLM}: image "${IMAGE}" comes from registry "${IMAGE.split("/")[0]}", which is not allowed (allowed: "registry.internal:5000/mirror"): mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`] },
        { kind: "missing", title: "no user data", resources: () => secureAwsStack(), expect: [] },
        { kind: "unknown", title: "userData unknown", on: A.lt, resources: () => m(A.lt, (p) => { p.userData = U; }), expect: [unknownMsg("userData")] },
    ],
    "aws-stack-require-visible-components": [
        { kind: "check", title: "an awsx VPC without children (a plan without its plugin)", on: "vpc-x", resources: () => [...secureAwsStack(), extra("awsx:ec2:Vpc", "vpc-x", { cidrBlock: "10.0.0.0/16" })],
            expect: ['awsx:ec2:Vpc "vpc-x" is a multi-language component with no children in this view of the stack, so the resources it creates cannot be checked: run `pulumi preview --policy-pack policies` (its provider plugin registers them) or declare the resources directly.'] },
        { kind: "scope", title: "with its children (a real preview)", resources: () => [...secureAwsStack(), extra("awsx:ec2:Vpc", "vpc-x", {}), { ...extra(AWS_TYPES.vpc, "vpc-x", { cidrBlock: "10.0.0.0/16" }), parent: urnOf({ type: "awsx:ec2:Vpc", name: "vpc-x" }) }], expect: [] },
        { kind: "config", title: "remoteComponentPackages override", config: { all: "mandatory", "aws-stack-require-visible-components": { remoteComponentPackages: ["mycomponents"] } }, on: "c",
            resources: () => [...secureAwsStack(), extra("awsx:ec2:Vpc", "vpc-x", {}), extra("mycomponents:index:Cluster", "c", {})],
            expect: ['mycomponents:index:Cluster "c" is a multi-language component with no children in this view of the stack, so the resources it creates cannot be checked: run `pulumi preview --policy-pack policies` (its provider plugin registers them) or declare the resources directly.'] },
        { kind: "missing", title: "no remote component", resources: () => secureAwsStack(), expect: [] },
        { kind: "reference", title: "a component's inputs unknown at preview do not matter", on: "vpc-x", resources: () => [...secureAwsStack(), extra("awsx:ec2:Vpc", "vpc-x", { cidrBlock: U })],
            expect: ['awsx:ec2:Vpc "vpc-x" is a multi-language component with no children in this view of the stack, so the resources it creates cannot be checked: run `pulumi preview --policy-pack policies` (its provider plugin registers them) or declare the resources directly.'] },
    ],
};

const awsPolicies = allPolicies.filter((p) => p.name.startsWith("aws-"));

describe("every AWS policy has its cases", () => {
    it.each(awsPolicies.map((p) => p.name))("%s has check, missing and unknown (or reference) cases", (name) => {
        const kinds = new Set((CASES[name] ?? []).map((c) => c.kind));
        expect(kinds.has("check") && kinds.has("missing") && (kinds.has("unknown") || kinds.has("reference")), [...kinds].join(", ")).toBe(true);
    });
    it("the table names no policy the pack lacks", () => {
        expect(Object.keys(CASES).filter((n) => !awsPolicies.some((p) => p.name === n))).toEqual([]);
    });
    it("every AWS policy that reads config has a config case", () => {
        const configurable = awsPolicies.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0).map((p) => p.name);
        const withConfig = Object.entries(CASES).filter(([, cs]) => cs.some((c) => c.config !== undefined)).map(([n]) => n);
        expect(configurable.filter((n) => !withConfig.includes(n))).toEqual([]);
    });
    it("docs/policies.md compares every AWS rule with @pulumi/awsguard", () => {
        expect(Object.keys(AWSGUARD_COMPARISON).sort()).toEqual(awsPolicies.map((p) => p.name).sort());
    });
    it("the secure enclave has no violation at all (Docker rules included)", async () => {
        expect(await analyzeResources(secureAwsStack(), staging)).toEqual([]);
    });
    it("fixtures name the URN of the case's resource", () => {
        expect(urn(A.server)).toBe("urn:pulumi:test::airlock::aws:ec2/instance:Instance::server-0");
        expect(BUCKET).toMatch(/^airlock-test-models-\d{12}-eu-west-1$/);
        expect(METADATA.httpTokens).toBe("required");
        expect(KEY_POLICY).toContain("arn:aws:iam::123456789012:root");
    });
});

for (const [policy, cases] of Object.entries(CASES)) {
    describe(policy, () => {
        it.each(cases.map((c) => [`${c.kind}: ${c.title}`, c] as const))("%s", async (_title, c) => {
            const config = c.config ?? staging;
            const resources = c.resources();
            const vs = (await analyzeResources(resources, config)).filter((v) => v.policy === policy);
            expect(vs.map((v) => v.message)).toEqual(c.expect);
            for (const v of vs) {
                expect(v.enforcementLevel).toBe(reconcilePolicyConfig(allPolicies, config)[policy]!.enforcementLevel);
                if (c.on) expect(v.urn).toBe(urnOf(resources.find((r) => r.name === c.on)!));
            }
        });
    });
}

describe("unknown values fail closed under the prod config", () => {
    it("every unknown case is a mandatory violation naming the field", async () => {
        const prod = loadEnvironmentConfig("prod");
        for (const [policy, cases] of Object.entries(CASES)) {
            for (const c of cases.filter((x) => x.kind === "unknown" && x.expect.length > 0)) {
                const vs = (await analyzeResources(c.resources(), prod)).filter((v) => v.policy === policy);
                expect(vs.length, `${policy}: ${c.title}`).toBeGreaterThan(0);
                expect(vs.every((v) => v.enforcementLevel === "mandatory" && v.message.includes("is unknown at preview")), `${policy}: ${c.title}`).toBe(true);
            }
        }
    });
});
