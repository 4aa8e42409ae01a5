import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { ingressProblems, portRange } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

interface Rule { cidrBlocks?: unknown[]; ipv6CidrBlocks?: unknown[]; protocol?: unknown; fromPort?: unknown; toPort?: unknown }

/** Inline ingress rules admit no internet-wide source and never SSH. */
export const ec2SecurityGroupDisallowPublicIngress: AirlockResourcePolicy = {
    name: "aws-ec2-security-group-disallow-public-ingress",
    group: "aws",
    resourceType: AWS_TYPES.securityGroup,
    description: "Checks that no inline ingress rule of a security group admits 0.0.0.0/0, ::/0 or another internet-wide range, and that none opens port 22.",
    rationale: "An ingress rule from the internet exposes the model API (whose API key protects only the /v1 routes) and anything else " +
        "listening on the host. Session Manager replaces SSH, so port 22 stays closed to every source. Ranges shorter than /8 " +
        "(IPv6: /16) count as internet-wide: 0.0.0.0/1 and 128.0.0.0/1 together are 0.0.0.0/0.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Admit the inference port from the gateway's CIDR or security group only; remove port 22 and use SSM Session Manager.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.securityGroup, (_p, args, report) => {
        ((args.props as { ingress?: Rule[] }).ingress ?? []).forEach((r, i) => {
            const sources = [
                ...(r.cidrBlocks ?? []).map((c, k) => [`ingress[${i}].cidrBlocks[${k}]`, c] as const),
                ...(r.ipv6CidrBlocks ?? []).map((c, k) => [`ingress[${i}].ipv6CidrBlocks[${k}]`, c] as const),
            ];
            for (const m of ingressProblems(`ingress[${i}]`, sources, portRange(r.protocol, r.fromPort, r.toPort))) report(m);
        });
    })),
};
