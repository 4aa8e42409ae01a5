import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { ingressProblems, portRange } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** aws.vpc.SecurityGroupIngressRule admits no internet-wide source and never SSH. */
export const vpcSecurityGroupIngressRuleDisallowPublicIngress: AirlockResourcePolicy = {
    name: "aws-vpc-security-group-ingress-rule-disallow-public-ingress",
    group: "aws",
    resourceType: AWS_TYPES.securityGroupIngressRule,
    description: "Checks that a security group ingress rule admits no 0.0.0.0/0, ::/0 or other internet-wide range and does not open port 22.",
    rationale: "The same exposure as an inline ingress rule (aws-ec2-security-group-disallow-public-ingress), in the resource the AWS provider recommends for rules.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Admit the inference port from the gateway's CIDR (cidrIpv4) or security group (referencedSecurityGroupId) only; remove port 22 and use SSM Session Manager.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.securityGroupIngressRule, (_p, args, report) => {
        const r = args.props as { cidrIpv4?: unknown; cidrIpv6?: unknown; ipProtocol?: unknown; fromPort?: unknown; toPort?: unknown };
        const sources = [
            ...(r.cidrIpv4 !== undefined ? [["cidrIpv4", r.cidrIpv4] as const] : []),
            ...(r.cidrIpv6 !== undefined ? [["cidrIpv6", r.cidrIpv6] as const] : []),
        ];
        for (const m of ingressProblems("the rule", sources, portRange(r.ipProtocol, r.fromPort, r.toPort))) report(m);
    })),
};
