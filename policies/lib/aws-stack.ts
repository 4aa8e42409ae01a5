/**
 * The stack-level view the AWS stack rules share: which EC2 hosts (instances, launch templates, auto scaling
 * groups) sit in which subnets, which routes serve a subnet, which security groups a host has, and whether a host
 * is a verified one-shot model-staging host. References are followed through the engine's property dependencies
 * (`subnetId` → the Subnet resource), not through ids, which are unknown in a first preview; a reference to
 * something the stack does not declare cannot be verified and is reported as such (fail closed).
 */
import type { PolicyResource } from "@pulumi/policy";
import { ROLE_LABEL, isAcceleratedInstanceType } from "@airlock/baseline";
import { AWS_TYPES, type Presence, internetWideReason, presence, tagsOf } from "./aws";
import { stagingScriptProblems } from "./user-data-checks";
import { readScript, readUserData } from "./user-data";

/** The tag value that claims a subnet (and its instances) for phase 1. */
export const STAGING_ROLE = "model-staging";

export type HostKind = "instance" | "launchTemplate" | "autoscalingGroup";

export class StackIndex {
    private readonly byTypeMap = new Map<string, PolicyResource[]>();

    constructor(readonly resources: readonly PolicyResource[]) {
        for (const r of resources) {
            const list = this.byTypeMap.get(r.type) ?? [];
            list.push(r);
            this.byTypeMap.set(r.type, list);
        }
    }

    byType(type: string): PolicyResource[] {
        return this.byTypeMap.get(type) ?? [];
    }

    /** The resources `r`'s property `key` was computed from. */
    deps(r: PolicyResource, key: string, type?: string): PolicyResource[] {
        const d = r.propertyDependencies?.[key] ?? [];
        return type === undefined ? [...d] : d.filter((x) => x.type === type);
    }

    /** The resources of `type` whose property `key` depends on `target`. */
    referencing(type: string, key: string, target: PolicyResource): PolicyResource[] {
        return this.byType(type).filter((r) => (r.propertyDependencies?.[key] ?? []).some((d) => d.urn === target.urn));
    }

    hosts(): { resource: PolicyResource; kind: HostKind }[] {
        return [
            ...this.byType(AWS_TYPES.instance).map((resource) => ({ resource, kind: "instance" as const })),
            ...this.byType(AWS_TYPES.launchTemplate).map((resource) => ({ resource, kind: "launchTemplate" as const })),
            ...this.byType(AWS_TYPES.autoscalingGroup).map((resource) => ({ resource, kind: "autoscalingGroup" as const })),
        ];
    }
}

/** `aws.ec2.Instance "qwen-0"` */
export const nameOf = (r: PolicyResource): string => `${r.type.split(":").pop()} "${r.name}"`;

/** Resolves a reference property to declared resources of `type`, or explains why it cannot be verified. */
export function resolveReference(ix: StackIndex, r: PolicyResource, key: string, type: string, what: string): { targets: PolicyResource[]; problem?: string } {
    const p: Presence = presence(r.props, key);
    const targets = ix.deps(r, key, type);
    if (targets.length > 0) return { targets };
    if (p.kind === "absent") return { targets: [] };
    if (p.kind === "unknown") return { targets, problem: `${key} is unknown at preview and comes from no ${what} of this stack, so it cannot be verified` };
    return { targets, problem: `${key} ${JSON.stringify(p.value)} names a ${what} this stack does not declare, so it cannot be verified` };
}

/** The subnets a host launches into, or the problems that prevent knowing them. */
export function hostSubnets(ix: StackIndex, host: { resource: PolicyResource; kind: HostKind }): { subnets: PolicyResource[]; problems: string[] } {
    const r = host.resource;
    const problems: string[] = [];
    if (host.kind === "instance") {
        const nis = presence(r.props, "networkInterfaces");
        if (presence(r.props, "subnetId").kind === "absent" && nis.kind !== "absent") {
            const enis = ix.deps(r, "networkInterfaces", AWS_TYPES.networkInterface);
            if (enis.length === 0) return { subnets: [], problems: ["networkInterfaces attaches interfaces this stack does not declare, so their subnets cannot be verified"] };
            const subnets = enis.flatMap((e) => {
                const ref = resolveReference(ix, e, "subnetId", AWS_TYPES.subnet, "subnet");
                if (ref.problem) problems.push(`${nameOf(e)}: ${ref.problem}`);
                return ref.targets;
            });
            return { subnets, problems };
        }
        const ref = resolveReference(ix, r, "subnetId", AWS_TYPES.subnet, "subnet");
        if (presence(r.props, "subnetId").kind === "absent") return { subnets: [], problems: ["subnetId is unset, so it launches into a default subnet of the default VPC, which routes to the internet"] };
        return { subnets: ref.targets, problems: ref.problem ? [ref.problem] : [] };
    }
    if (host.kind === "launchTemplate") {
        // A template without network interfaces takes its subnet from whoever launches it (checked there).
        return { subnets: ix.deps(r, "networkInterfaces", AWS_TYPES.subnet), problems: [] };
    }
    if (presence(r.props, "vpcZoneIdentifiers").kind === "absent") {
        return { subnets: [], problems: ["vpcZoneIdentifiers is unset, so it launches into default subnets of the default VPC, which route to the internet"] };
    }
    const ref = resolveReference(ix, r, "vpcZoneIdentifiers", AWS_TYPES.subnet, "subnet");
    return { subnets: ref.targets, problems: ref.problem ? [ref.problem] : [] };
}

/** One route out of a subnet that reaches (or may reach) beyond the VPC. */
export interface OutboundRoute {
    readonly description: string;
}


type RouteProps = Record<string, unknown>;

/** Why a route leads out of the VPC, or undefined when it stays inside (local, an endpoint, a VPN to a private range). */
function routeOut(route: RouteProps, targetDeps: readonly PolicyResource[], where: string): string | undefined {
    const dest = ["destinationCidrBlock", "cidrBlock", "destinationIpv6CidrBlock", "ipv6CidrBlock", "destinationPrefixListId"]
        .map((k) => presence(route, k)).find((p) => p.kind !== "absent");
    const destination = dest === undefined ? "(no destination)" : dest.kind === "unknown" ? "(a destination unknown at preview)" : String(dest.value);
    const wide = dest?.kind === "known" && internetWideReason(destination) !== undefined && !destination.startsWith("pl-");
    const set = (k: string) => presence(route, k);
    const depOf = (type: string) => targetDeps.some((d) => d.type === type);
    const out = (what: string) => `${where}: ${destination} → ${what}`;
    if (set("natGatewayId").kind !== "absent") return out("a NAT gateway");
    if (set("egressOnlyGatewayId").kind !== "absent") return out("an egress-only internet gateway");
    if (set("carrierGatewayId").kind !== "absent") return out("a carrier gateway");
    if (set("networkInterfaceId").kind !== "absent" || set("instanceId").kind !== "absent") return out("a network interface (a NAT instance or appliance the pack cannot verify)");
    const gw = set("gatewayId");
    if (gw.kind === "known") {
        const v = String(gw.value);
        if (v === "local") return undefined;
        if (v.startsWith("igw-")) return out(`the internet gateway ${v}`);
        if (v.startsWith("vgw-")) return wide ? out(`the VPN gateway ${v} as the default route`) : undefined;
        if (v.startsWith("vpce-")) return undefined;
        return out(`gateway ${JSON.stringify(v)}, which the pack cannot verify`);
    }
    if (gw.kind === "unknown") {
        if (depOf(AWS_TYPES.internetGateway)) return out("an internet gateway");
        if (depOf(AWS_TYPES.vpcEndpoint)) return undefined;
        if (depOf(AWS_TYPES.vpnGateway)) return wide ? out("a VPN gateway as the default route") : undefined;
        return out("a gateway unknown at preview that is none of this stack's gateways, so it cannot be verified");
    }
    for (const [k, what] of [["transitGatewayId", "a transit gateway"], ["vpcPeeringConnectionId", "a peering connection"], ["localGatewayId", "a local gateway"], ["coreNetworkArn", "a core network"]] as const) {
        if (set(k).kind !== "absent") return wide || dest?.kind !== "known" ? out(`${what} as a route to everywhere (it may lead to an egress network)`) : undefined;
    }
    if (set("vpcEndpointId").kind !== "absent") return undefined;
    return out("no target the pack can read");
}

/** Route tables and the routes of each, resolved for one subnet. */
export function outboundRoutes(ix: StackIndex, subnet: PolicyResource): { routes: OutboundRoute[]; problems: string[] } {
    const problems: string[] = [];
    const associations = ix.referencing(AWS_TYPES.routeTableAssociation, "subnetId", subnet);
    let tables: PolicyResource[] = associations.flatMap((a) => ix.deps(a, "routeTableId").filter((d) => [AWS_TYPES.routeTable, AWS_TYPES.defaultRouteTable, AWS_TYPES.vpc].includes(d.type)));
    if (associations.length > 0 && tables.length === 0) problems.push(`its route table association names a route table this stack does not declare, so its routes cannot be verified`);
    if (associations.length === 0) {
        // No explicit association: the VPC's main route table.
        const vpcs = ix.deps(subnet, "vpcId", AWS_TYPES.vpc);
        if (vpcs.length === 0) {
            problems.push("it uses the main route table of a VPC this stack does not declare, so its routes cannot be verified");
        } else {
            tables = vpcs.flatMap((v) => [
                v,
                ...ix.referencing(AWS_TYPES.mainRouteTableAssociation, "vpcId", v).flatMap((m) => ix.deps(m, "routeTableId")),
                ...ix.referencing(AWS_TYPES.defaultRouteTable, "defaultRouteTableId", v),
            ]);
        }
    }
    const routes: OutboundRoute[] = [];
    for (const t of tables) {
        if (t.type === AWS_TYPES.routeTable || t.type === AWS_TYPES.defaultRouteTable) {
            const inline = presence(t.props, "routes");
            if (inline.kind === "unknown") problems.push(`${nameOf(t)}: routes is unknown at preview, so it cannot be verified`);
            if (inline.kind === "known" && Array.isArray(inline.value)) {
                const deps = ix.deps(t, "routes");
                (inline.value as RouteProps[]).forEach((route, i) => {
                    const d = routeOut(route, deps, `${nameOf(t)} routes[${i}]`);
                    if (d) routes.push({ description: d });
                });
            }
        }
        for (const route of ix.referencing(AWS_TYPES.route, "routeTableId", t)) {
            const targets = ["gatewayId", "natGatewayId", "egressOnlyGatewayId", "transitGatewayId", "vpcPeeringConnectionId", "networkInterfaceId", "vpcEndpointId"]
                .flatMap((k) => ix.deps(route, k));
            const d = routeOut(route.props as RouteProps, targets, `${nameOf(route)} in ${nameOf(t)}`);
            if (d) routes.push({ description: d });
        }
    }
    return { routes, problems };
}

/** The instance type a host runs (its own, or its launch template's), or undefined when unknown. */
export function instanceTypeOf(ix: StackIndex, host: PolicyResource): string | undefined {
    const own = presence(host.props, "instanceType");
    if (own.kind === "known") return String(own.value);
    const lts = [...ix.deps(host, "launchTemplate", AWS_TYPES.launchTemplate), ...ix.deps(host, "mixedInstancesPolicy", AWS_TYPES.launchTemplate)];
    for (const lt of lts) {
        const t = presence(lt.props, "instanceType");
        if (t.kind === "known") return String(t.value);
    }
    return undefined;
}

/** Whether a subnet claims the staging role by tag. */
export const isStagingSubnet = (subnet: PolicyResource): boolean => tagsOf(subnet.props as { tags?: unknown })[ROLE_LABEL] === STAGING_ROLE;

/**
 * Why a host is not a verified one-shot model-staging host, or []: an instance (not a template or group) tagged
 * `airlock.dev/role=model-staging`, of a CPU type, terminated on shutdown, whose user data only downloads pinned
 * revisions and powers off.
 */
export function stagingClaimProblems(ix: StackIndex, host: { resource: PolicyResource; kind: HostKind }): string[] {
    if (host.kind !== "instance") return ["a staging subnet runs one-shot instances only, not launch templates or auto scaling groups"];
    const r = host.resource;
    const out: string[] = [];
    const role = tagsOf(r.props as { tags?: unknown })[ROLE_LABEL];
    if (role !== STAGING_ROLE) out.push(`it is not tagged ${ROLE_LABEL}=${STAGING_ROLE}`);
    const type = instanceTypeOf(ix, r);
    if (type === undefined) out.push("its instance type is not known at preview");
    else if (isAcceleratedInstanceType(type)) out.push(`it is a GPU instance (${type})`);
    const shutdown = presence(r.props, "instanceInitiatedShutdownBehavior");
    if (!(shutdown.kind === "known" && shutdown.value === "terminate")) out.push("instanceInitiatedShutdownBehavior is not \"terminate\"");
    const ud = readUserData(r.props as Record<string, unknown>, [["userData", "plain"], ["userDataBase64", "base64"]]);
    if (ud.kind === "absent") out.push("it has no user data");
    else if (ud.kind === "unreadable") out.push(`${ud.field} ${ud.reason}`);
    else out.push(...stagingScriptProblems(readScript(ud.text)).map((p) => `its user data: ${p}`));
    return out;
}
