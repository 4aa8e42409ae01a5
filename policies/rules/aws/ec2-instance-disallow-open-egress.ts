import type { PolicyResource } from "@pulumi/policy";
import { AWS_TYPES, internetWideReason, presence } from "../../lib/aws";
import { StackIndex, hostSubnets, isStagingSubnet, nameOf, resolveReference, stagingClaimProblems } from "../../lib/aws-stack";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import type { AirlockStackPolicy } from "../../lib/types";

const SG_TYPES = [AWS_TYPES.securityGroup, AWS_TYPES.defaultSecurityGroup];

/** The security groups a host uses, or why they cannot be known. */
function groupsOf(ix: StackIndex, r: PolicyResource, kind: string): { groups: PolicyResource[]; problems: string[] } {
    const groups: PolicyResource[] = [];
    const problems: string[] = [];
    const keys = kind === "instance" ? ["vpcSecurityGroupIds", "securityGroups"] : ["vpcSecurityGroupIds"];
    let declared = false;
    for (const key of keys) {
        if (presence(r.props, key).kind === "absent") continue;
        declared = true;
        const found = ix.deps(r, key).filter((d) => SG_TYPES.includes(d.type));
        if (found.length === 0) {
            const ref = resolveReference(ix, r, key, AWS_TYPES.securityGroup, "security group");
            problems.push(ref.problem ?? `${key} names no security group of this stack, so its egress cannot be verified`);
        }
        groups.push(...found);
    }
    if (kind === "launchTemplate") {
        const viaNis = ix.deps(r, "networkInterfaces").filter((d) => SG_TYPES.includes(d.type));
        if (viaNis.length > 0) { declared = true; groups.push(...viaNis); }
    }
    if (!declared && kind === "instance") {
        const lts = ix.deps(r, "launchTemplate", AWS_TYPES.launchTemplate);
        if (lts.length > 0) return groupsOf(ix, lts[0]!, "launchTemplate");
        problems.push("it names no security group, so the VPC's default security group applies, which allows all egress unless the stack manages it");
    }
    return { groups, problems };
}

/** Why a prefix list destination is acceptable (an S3/DynamoDB gateway endpoint's list) or not. */
function prefixListProblem(ix: StackIndex, rule: PolicyResource, key: string, field: string): string | undefined {
    if (ix.deps(rule, key, AWS_TYPES.vpcEndpoint).length > 0) return undefined;
    return `${field} names a prefix list that is not a gateway endpoint's of this stack, so what it admits cannot be verified`;
}

function egressProblems(ix: StackIndex, sg: PolicyResource): string[] {
    const out: string[] = [];
    const inline = (sg.props as { egress?: Record<string, unknown>[] }).egress ?? [];
    inline.forEach((e, i) => {
        for (const [k, list] of [["cidrBlocks", e.cidrBlocks], ["ipv6CidrBlocks", e.ipv6CidrBlocks]] as const) {
            ((list as unknown[] | undefined) ?? []).forEach((c, j) => {
                const w = internetWideReason(String(c));
                if (w) out.push(`${nameOf(sg)} egress[${i}].${k}[${j}] allows traffic to ${JSON.stringify(String(c))} (${w})`);
            });
        }
        if (((e.prefixListIds as unknown[] | undefined) ?? []).length > 0) {
            const p = prefixListProblem(ix, sg, "egress", `${nameOf(sg)} egress[${i}].prefixListIds`);
            if (p) out.push(p);
        }
    });
    for (const rule of ix.referencing(AWS_TYPES.securityGroupRule, "securityGroupId", sg)) {
        const r = rule.props as { type?: unknown; cidrBlocks?: unknown[]; ipv6CidrBlocks?: unknown[]; prefixListIds?: unknown[] };
        if (r.type !== "egress") continue;
        for (const c of [...(r.cidrBlocks ?? []), ...(r.ipv6CidrBlocks ?? [])]) {
            const w = internetWideReason(String(c));
            if (w) out.push(`${nameOf(rule)} allows traffic from ${nameOf(sg)} to ${JSON.stringify(String(c))} (${w})`);
        }
        if ((r.prefixListIds ?? []).length > 0) {
            const p = prefixListProblem(ix, rule, "prefixListIds", `${nameOf(rule)} prefixListIds`);
            if (p) out.push(p);
        }
    }
    for (const rule of ix.referencing(AWS_TYPES.securityGroupEgressRule, "securityGroupId", sg)) {
        const r = rule.props as { cidrIpv4?: unknown; cidrIpv6?: unknown };
        for (const c of [r.cidrIpv4, r.cidrIpv6]) {
            if (c === undefined) continue;
            const w = internetWideReason(String(c));
            if (w) out.push(`${nameOf(rule)} allows traffic from ${nameOf(sg)} to ${JSON.stringify(String(c))} (${w})`);
        }
        if (presence(rule.props, "prefixListId").kind !== "absent") {
            const p = prefixListProblem(ix, rule, "prefixListId", `${nameOf(rule)} prefixListId`);
            if (p) out.push(p);
        }
    }
    return out;
}

/** Hosts' security groups allow no egress to the internet (only a verified staging instance may). */
export const ec2InstanceDisallowOpenEgress: AirlockStackPolicy = {
    name: "aws-ec2-instance-disallow-open-egress",
    group: "aws",
    resourceType: AWS_TYPES.instance,
    description: "Checks that no security group of an EC2 instance or launch template allows egress to 0.0.0.0/0, ::/0 or another internet-wide range, or to a prefix list other than a gateway endpoint's, except for a verified one-shot staging instance in the staging subnet.",
    rationale: "Routes are one wall, security groups the second: a GPU host should reach nothing but the VPC endpoints (HTTPS to the " +
        "endpoints' security group, S3 through the gateway endpoint's prefix list). Egress rules are collected from inline egress " +
        "blocks and from separate SecurityGroupRule and SecurityGroupEgressRule resources, through the engine's property " +
        "dependencies; a host without a security group gets the VPC's default group (all egress), and a group the stack does not " +
        "declare cannot be verified. Only a staging instance whose claim holds (see aws-ec2-subnet-disallow-internet-route) may reach the hub.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Replace open egress with HTTPS to the VPC endpoints' security group (referencedSecurityGroupId) and to the S3 gateway endpoint's prefix list.",
    validateStack: failClosedStack((args, report) => {
        const ix = new StackIndex(args.resources);
        const hosts = ix.hosts().filter((h) => h.kind !== "autoscalingGroup").map((h) => ({ ...h, urn: h.resource.urn }));
        checkEach(hosts, report, (host, rep) => {
            if (host.kind === "instance") {
                const { subnets } = hostSubnets(ix, host);
                if (subnets.length > 0 && subnets.every(isStagingSubnet) && stagingClaimProblems(ix, host).length === 0) return;
            }
            const { groups, problems } = groupsOf(ix, host.resource, host.kind);
            for (const p of problems) rep(`${p}: give it a security group of this stack whose egress reaches the VPC endpoints only.`);
            for (const sg of groups) {
                for (const p of egressProblems(ix, sg)) rep(`${p}: allow HTTPS to the VPC endpoints only (their security group and the S3 gateway endpoint's prefix list).`);
            }
        });
    }),
};
