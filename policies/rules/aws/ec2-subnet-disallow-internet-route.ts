import { ROLE_LABEL } from "@airlock/baseline";
import { AWS_TYPES } from "../../lib/aws";
import { STAGING_ROLE, StackIndex, hostSubnets, isStagingSubnet, nameOf, outboundRoutes, stagingClaimProblems } from "../../lib/aws-stack";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import type { AirlockStackPolicy } from "../../lib/types";

/** No EC2 host runs in a subnet with a route out, except a verified one-shot staging instance in the staging subnet. */
export const ec2SubnetDisallowInternetRoute: AirlockStackPolicy = {
    name: "aws-ec2-subnet-disallow-internet-route",
    group: "aws",
    resourceType: AWS_TYPES.subnet,
    description: `Checks that no EC2 instance, launch template or auto scaling group runs in a subnet whose route tables lead out of the VPC (an internet gateway, a NAT gateway, an egress-only gateway, an appliance interface, or a default route to a transit gateway or peering), unless the subnet is tagged ${ROLE_LABEL}=${STAGING_ROLE} and the host is a verified one-shot staging instance.`,
    rationale: "GPU hosts that serve models must have no path to the internet at all: no way to download unreviewed weights or code " +
        "and no way to send prompts, outputs or credentials out. The rule follows the engine's property dependencies from each host " +
        "to its subnet, the subnet's route table association (or its VPC's main route table) and every route of that table, inline or " +
        "separate. Phase 1 needs egress: a subnet tagged for staging may route through a NAT, but the tag is a claim the rule verifies: " +
        "only instances (not templates or groups) tagged as staging, of a CPU type, terminated on shutdown, whose user data only " +
        "downloads pinned revisions and powers off may run there. A subnet, route table or gateway the stack does not declare cannot be verified.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Launch serving instances into private subnets whose route tables have only the local route (reach AWS services " +
        "through VPC endpoints); keep the NAT for the staging subnet and run only the one-shot staging instances there.",
    validateStack: failClosedStack((args, report) => {
        const ix = new StackIndex(args.resources);
        const hosts = ix.hosts().map((h) => ({ ...h, urn: h.resource.urn }));
        checkEach(hosts, report, (host, rep) => {
            const { subnets, problems } = hostSubnets(ix, host);
            for (const p of problems) rep(`${p}: launch it into a private subnet declared in this stack.`);
            for (const subnet of subnets) {
                const out = outboundRoutes(ix, subnet);
                for (const p of out.problems) rep(`it runs in ${nameOf(subnet)}: ${p}.`);
                if (out.routes.length === 0) continue;
                const routes = out.routes.map((r) => r.description).join("; ");
                if (isStagingSubnet(subnet)) {
                    const claim = stagingClaimProblems(ix, host);
                    if (claim.length > 0) {
                        rep(`it runs in ${nameOf(subnet)}, tagged ${ROLE_LABEL}=${STAGING_ROLE}, which routes out (${routes}), but it is not a verified ` +
                            `one-shot staging host: ${claim.join("; ")}: serve from a subnet without internet routes.`);
                    }
                } else {
                    rep(`it runs in ${nameOf(subnet)}, which routes out of the VPC (${routes}): launch it into a subnet whose route tables ` +
                        `have no route out (reach AWS services through VPC endpoints).`);
                }
            }
        });
    }),
};
