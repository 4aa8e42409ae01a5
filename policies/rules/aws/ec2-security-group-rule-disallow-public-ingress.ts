import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { ingressProblems, portRange } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** aws.ec2.SecurityGroupRule ingress entries admit no internet-wide source and never SSH. */
export const ec2SecurityGroupRuleDisallowPublicIngress: AirlockResourcePolicy = {
    name: "aws-ec2-security-group-rule-disallow-public-ingress",
    group: "aws",
    resourceType: AWS_TYPES.securityGroupRule,
    description: "Checks that an ingress security group rule admits no 0.0.0.0/0, ::/0 or other internet-wide range and does not open port 22.",
    rationale: "The same exposure as an inline ingress rule (aws-ec2-security-group-disallow-public-ingress), written as its own resource.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Admit the inference port from the gateway's CIDR or security group only; remove port 22 and use SSM Session Manager.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.securityGroupRule, (_p, args, report) => {
        const r = args.props as { type?: unknown; cidrBlocks?: unknown[]; ipv6CidrBlocks?: unknown[]; protocol?: unknown; fromPort?: unknown; toPort?: unknown };
        if (r.type !== "ingress") return;
        const sources = [
            ...(r.cidrBlocks ?? []).map((c, k) => [`cidrBlocks[${k}]`, c] as const),
            ...(r.ipv6CidrBlocks ?? []).map((c, k) => [`ipv6CidrBlocks[${k}]`, c] as const),
        ];
        for (const m of ingressProblems("the rule", sources, portRange(r.protocol, r.fromPort, r.toPort))) report(m);
    })),
};
