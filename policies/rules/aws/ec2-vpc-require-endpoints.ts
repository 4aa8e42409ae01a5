import type { PolicyResource } from "@pulumi/policy";
import { AWS_TYPES, presence } from "../../lib/aws";
import { StackIndex, hostSubnets, nameOf } from "../../lib/aws-stack";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import type { AirlockStackPolicy } from "../../lib/types";
import { readUserData } from "../../lib/user-data";

/** The endpoints a sealed VPC needs per AWS service it uses: [service suffix, endpoint type]. */
const NEEDS = {
    ecr: [["ecr.api", "Interface"], ["ecr.dkr", "Interface"], ["s3", "Gateway"]],
    secretsmanager: [["secretsmanager", "Interface"]],
} as const;

const SERVICE_NAME = /^(?:[a-z]+\.)*com\.amazonaws\.[a-z0-9-]+\.(.+)$/;

/** What an endpoint provides: its service suffix, type and private DNS, or why it cannot be read. */
function endpointOf(e: PolicyResource): { service?: string; type: string; privateDns: boolean } {
    const p = e.props as { serviceName?: unknown; vpcEndpointType?: unknown; privateDnsEnabled?: unknown };
    const m = SERVICE_NAME.exec(String(p.serviceName ?? ""));
    return { ...(m ? { service: m[1]! } : {}), type: String(p.vpcEndpointType ?? "Gateway"), privateDns: p.privateDnsEnabled === true };
}

/** Hosts' VPCs have the endpoints the services they use need (ECR, Secrets Manager), with private DNS. */
export const ec2VpcRequireEndpoints: AirlockStackPolicy = {
    name: "aws-ec2-vpc-require-endpoints",
    group: "aws",
    resourceType: AWS_TYPES.vpcEndpoint,
    description: "Checks that when the stack uses ECR or Secrets Manager (declares a repository or secret, or a host's user data calls them), every VPC that hosts an EC2 instance, launch template or auto scaling group has interface endpoints for ecr.api, ecr.dkr (and a gateway endpoint for s3) or secretsmanager, interface endpoints with private DNS.",
    rationale: "Without a route out, instances reach ECR (and the S3 bucket that stores its layers) and Secrets Manager only through VPC " +
        "endpoints; with private DNS the services' usual names resolve to the endpoints. A missing endpoint either breaks the boot or " +
        "tempts someone into adding a NAT route. Endpoints are matched to VPCs through the engine's property dependencies (vpcId).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Create aws.ec2.VpcEndpoint resources in the hosts' VPC: com.amazonaws.<region>.ecr.api and .ecr.dkr and " +
        ".secretsmanager (Interface, privateDnsEnabled: true, in private subnets) and .s3 (Gateway, on the hosts' route tables).",
    validateStack: failClosedStack((args, report) => {
        const ix = new StackIndex(args.resources);
        const hosts = ix.hosts();
        if (hosts.length === 0) return;
        const userData = (r: PolicyResource): string => {
            const ud = readUserData(r.props as Record<string, unknown>, r.type === AWS_TYPES.launchTemplate ? [["userData", "base64"]] : [["userData", "plain"], ["userDataBase64", "base64"]]);
            return ud.kind === "text" ? ud.text : "";
        };
        const texts = hosts.map((h) => userData(h.resource)).join("\n");
        const used = {
            ecr: ix.byType(AWS_TYPES.ecrRepository).length > 0 || /\.dkr\.ecr\.|\baws\s+ecr\b/.test(texts),
            secretsmanager: ix.byType(AWS_TYPES.secret).length > 0 || /\baws\s+secretsmanager\b/.test(texts),
        };
        if (!used.ecr && !used.secretsmanager) return;
        const vpcs = new Map<string, PolicyResource>();
        for (const h of hosts) {
            for (const s of hostSubnets(ix, h).subnets) for (const v of ix.deps(s, "vpcId", AWS_TYPES.vpc)) vpcs.set(v.urn, v);
        }
        checkEach([...vpcs.values()], report, (vpc, rep) => {
            const endpoints = ix.referencing(AWS_TYPES.vpcEndpoint, "vpcId", vpc).map((e) => ({ e, ...endpointOf(e) }));
            for (const [service, needs] of Object.entries(NEEDS) as [keyof typeof NEEDS, typeof NEEDS[keyof typeof NEEDS]][]) {
                if (!used[service]) continue;
                for (const [suffix, type] of needs) {
                    const found = endpoints.filter((x) => x.service === suffix);
                    if (found.length === 0) {
                        rep(`${nameOf(vpc)} hosts instances that use ${service === "ecr" ? "ECR" : "Secrets Manager"} but has no VPC endpoint for ${suffix}: create one (${type}${type === "Interface" ? ", privateDnsEnabled: true" : ", on the hosts' route tables"}).`);
                        continue;
                    }
                    if (type === "Interface" && !found.some((x) => x.type === "Interface" && x.privateDns)) {
                        rep(`${nameOf(found[0]!.e)} (${suffix}) is not an Interface endpoint with privateDnsEnabled: true, so ${suffix}'s usual name does not resolve to it: set vpcEndpointType "Interface" and privateDnsEnabled: true.`);
                    }
                }
            }
            for (const x of endpoints) if (x.service === undefined && presence(x.e.props, "serviceName").kind === "known") {
                rep(`${nameOf(x.e)} serviceName ${JSON.stringify((x.e.props as { serviceName?: unknown }).serviceName)} is not an AWS service endpoint name (com.amazonaws.<region>.<service>), so it cannot be matched.`);
            }
        });
    }),
};
