/**
 * AWS resource types and readers for the AWS rules.
 *
 * References (a subnet id, a key ARN) are usually another resource's output, unknown at preview in a first
 * deployment. A rule that only needs to know that a reference is set reads it with {@link presence}, which never
 * trips the SDK's unknown-checking proxy; rules that need the value read it normally and fail closed.
 */
import type { ResourceValidation, ResourceValidationArgs, ReportViolation } from "@pulumi/policy";
import * as proxy from "@pulumi/policy/proxy";

/**
 * Type tokens of the AWS resources the rules read. Written out rather than taken from `@pulumi/aws` classes: the
 * pack is type-checked by ts-node when it starts (as the Pulumi CLI runs packs), and the provider's typings add
 * tens of seconds to that. tests/policies/aws-types.test.ts proves every token equals its class's `__pulumiType`.
 */
export const AWS_TYPES = {
    instance: "aws:ec2/instance:Instance",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    autoscalingGroup: "aws:autoscaling/group:Group",
    ebsVolume: "aws:ebs/volume:Volume",
    eip: "aws:ec2/eip:Eip",
    subnet: "aws:ec2/subnet:Subnet",
    vpc: "aws:ec2/vpc:Vpc",
    routeTable: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    mainRouteTableAssociation: "aws:ec2/mainRouteTableAssociation:MainRouteTableAssociation",
    defaultRouteTable: "aws:ec2/defaultRouteTable:DefaultRouteTable",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    egressOnlyInternetGateway: "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway",
    natGateway: "aws:ec2/natGateway:NatGateway",
    vpnGateway: "aws:ec2/vpnGateway:VpnGateway",
    networkInterface: "aws:ec2/networkInterface:NetworkInterface",
    vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    securityGroupEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    ecrRepository: "aws:ecr/repository:Repository",
    ecrRepositoryPolicy: "aws:ecr/repositoryPolicy:RepositoryPolicy",
    kmsKey: "aws:kms/key:Key",
    secret: "aws:secretsmanager/secret:Secret",
    iamPolicy: "aws:iam/policy:Policy",
    iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
    iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
    iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
    iamRole: "aws:iam/role:Role",
    iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
};

/**
 * `validateResourceOfType` for a type token: runs `validate` on resources of `type` only, with the same
 * `__pulumiType` tag the SDK attaches (the server skips other types without calling the policy).
 */
export function validateAwsResource<P extends object = Record<string, unknown>>(
    type: string, validate: (props: P, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
    const v: ResourceValidation & { __pulumiType?: string } = (args, report) => {
        if (args.type !== type) return;
        return validate(args.props as P, args, report);
    };
    v.__pulumiType = type;
    return v;
}

const SENTINELS = new Set(Object.entries(proxy as unknown as Record<string, unknown>)
    .filter(([k, v]) => /^unknown[A-Z][A-Za-z]*Value$/.test(k) && typeof v === "string").map(([, v]) => v as string));

/** Whether a raw value is one of the engine's unknown sentinels. */
export const isUnknown = (v: unknown): boolean => typeof v === "string" && SENTINELS.has(v);

/** A property as set: absent, set to a value still unknown at preview (another resource's output), or known. */
export type Presence = { readonly kind: "absent" } | { readonly kind: "unknown" } | { readonly kind: "known"; readonly value: unknown };

/** Reads `key` of `obj` without tripping the unknown-checking proxy (the descriptor goes to the target). */
export function presence(obj: unknown, key: string): Presence {
    if (obj === null || typeof obj !== "object") return { kind: "absent" };
    const d = Object.getOwnPropertyDescriptor(obj, key);
    if (d === undefined || d.value === undefined || d.value === null) return { kind: "absent" };
    if (isUnknown(d.value)) return { kind: "unknown" };
    return { kind: "known", value: (obj as Record<string, unknown>)[key] };
}

/** A parsed IP CIDR. */
export interface IpRange {
    readonly family: 4 | 6;
    readonly prefix: number;
}

/** Parses an IPv4 or IPv6 CIDR (or a bare address as a /32 or /128); undefined when it is not one. */
export function parseIpRange(cidr: string): IpRange | undefined {
    const [addr = "", p] = cidr.trim().split("/");
    const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(addr);
    if (v4 && v4.slice(1).every((o) => Number(o) <= 255)) {
        const prefix = p === undefined ? 32 : Number(p);
        return Number.isInteger(prefix) && prefix >= 0 && prefix <= 32 && /^\d+$/.test(p ?? "32") ? { family: 4, prefix } : undefined;
    }
    if (/^[0-9a-fA-F:.]+$/.test(addr) && addr.includes(":")) {
        const prefix = p === undefined ? 128 : Number(p);
        return Number.isInteger(prefix) && prefix >= 0 && prefix <= 128 && /^\d+$/.test(p ?? "128") ? { family: 6, prefix } : undefined;
    }
    return undefined;
}

/**
 * What a source/destination CIDR reaches when that is the internet at large, or undefined: `/0` (0.0.0.0/0, ::/0)
 * and ranges so wide they cover most of it (shorter than /8 for IPv4, /16 for IPv6: `0.0.0.0/1` + `128.0.0.0/1` is
 * the internet). A value that is not a CIDR is unverifiable.
 */
export function internetWideReason(cidr: string): string | undefined {
    const r = parseIpRange(cidr);
    if (r === undefined) return "something that is not a CIDR, so it cannot be verified";
    if (r.prefix === 0) return `the whole ${r.family === 4 ? "IPv4" : "IPv6"} internet`;
    if ((r.family === 4 && r.prefix < 8) || (r.family === 6 && r.prefix < 16)) return `a large part of the internet (/${r.prefix})`;
    return undefined;
}

/** Tags as a plain map (non-string values ignored). */
export function tagsOf(props: { readonly tags?: unknown }): Record<string, string> {
    const t = props.tags;
    if (t === null || typeof t !== "object") return {};
    return Object.fromEntries(Object.entries(t as Record<string, unknown>).filter(([, v]) => typeof v === "string")) as Record<string, string>;
}

/** A Terraform-style boolean: true or the string "true" (launch templates type several booleans as strings). */
export const isTrue = (v: unknown): boolean => v === true || (typeof v === "string" && v.toLowerCase() === "true");
export const isFalse = (v: unknown): boolean => v === false || (typeof v === "string" && v.toLowerCase() === "false");
