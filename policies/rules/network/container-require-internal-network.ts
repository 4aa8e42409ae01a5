import * as docker from "@pulumi/docker";
import type { PolicyResource } from "@pulumi/policy";
import { FORBIDDEN_NETWORK_MODES } from "@airlock/baseline";
import type { ContainerProps, NetworkProps } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";
import { classify, describeWorkload, mayHaveEgress } from "../../lib/workload";

/** What the stack declares about one Docker network name on one Docker host. */
type NetworkFacts = { readonly internal: true } | { readonly internal: false } | { readonly internal: "unknown" };

const FIX = 'set networkMode to "none" or attach it only to docker.Network resources with internal: true declared in this program';

/** The Docker host a resource talks to: its explicit provider, or the default provider (same key for every default). */
export const dockerHostOf = (r: Pick<PolicyResource, "provider">): string => r.provider?.urn ?? "(default provider)";

interface NetworkIndex {
    /** Host key → network name → facts. A network on one host never vouches for a same-named network on another. */
    readonly byHost: Map<string, Map<string, NetworkFacts>>;
    /** Logical names of networks whose `name` is unknown at preview. */
    readonly unnamed: string[];
}

function indexNetworks(resources: readonly PolicyResource[]): NetworkIndex {
    const byHost = new Map<string, Map<string, NetworkFacts>>();
    const unnamed: string[] = [];
    for (const r of resources.filter((x) => x.isType(docker.Network))) {
        const n = analyzedProps<NetworkProps>(r); // as Analyze saw it: see lib/analyzed.ts
        let name: string | undefined;
        try {
            name = n.name;
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unnamed.push(r.name);
            continue;
        }
        if (name === undefined) { unnamed.push(r.name); continue; }
        let facts: NetworkFacts;
        try {
            facts = n.internal === true ? { internal: true } : { internal: false };
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            facts = { internal: "unknown" };
        }
        const host = dockerHostOf(r);
        if (!byHost.has(host)) byHost.set(host, new Map());
        const names = byHost.get(host)!;
        // Two declarations of one name on one host: the weakest wins (fail closed).
        const prev = names.get(name);
        names.set(name, prev && prev.internal !== true ? prev : facts);
    }
    return { byHost, unnamed };
}

/** One network a container ends up on, with the field that put it there. */
interface Attached { readonly field: string; readonly value: string | undefined }

/**
 * The networks the Docker provider attaches: with `networksAdvanced`, it disconnects the default bridge before
 * starting the container (kreuzwerker resource_docker_container_funcs.go), so an unset or "bridge" networkMode
 * then attaches nothing by itself; a custom networkMode stays attached beside the listed networks.
 */
export function attachedNetworks(c: Pick<ContainerProps, "networkMode" | "networksAdvanced">): Attached[] {
    const advanced = (c.networksAdvanced ?? []).map((n, i): Attached => ({ field: `networksAdvanced[${i}].name`, value: n.name }));
    const mode = c.networkMode;
    if (advanced.length === 0) return [{ field: "networkMode", value: mode }];
    const bridgeReplaced = mode === undefined || mode === "" || mode === "bridge" || mode === "default";
    return bridgeReplaced ? advanced : [{ field: "networkMode", value: mode }, ...advanced];
}

/** A finding about one attachment: a message for `who`, and whether it is a declared routed (non-internal) network. */
interface Finding { readonly message: (who: string) => string; readonly routedNetwork?: string }

/** Why attaching to `a` is not verifiably internal, phrased for `who`; undefined when it is. */
function attachmentProblem(a: Attached, hostNets: ReadonlyMap<string, NetworkFacts> | undefined, unnamed: readonly string[]): Finding | undefined {
    const m = attachmentMessage(a, hostNets, unnamed);
    if (m === undefined) return undefined;
    return hostNets?.get(a.value ?? "")?.internal === false ? { message: m, routedNetwork: a.value } : { message: m };
}

function attachmentMessage(a: Attached, hostNets: ReadonlyMap<string, NetworkFacts> | undefined, unnamed: readonly string[]): ((who: string) => string) | undefined {
    const { field, value } = a;
    if (value === undefined || value === "") {
        return field === "networkMode"
            ? (who) => `networkMode is unset, so Docker attaches this ${who} to its default bridge network, which routes out of the host: ${FIX}.`
            : (who) => `${field} is empty, so what it attaches this ${who} to cannot be verified: ${FIX}.`;
    }
    if (value === "none") return undefined;
    if (FORBIDDEN_NETWORK_MODES.includes(value)) {
        return (who) => `${field} "${value}" gives this ${who} a route out of the host: ${FIX}.`;
    }
    if (value.startsWith("container:")) {
        return (who) => `${field} "${value}" shares another container's network, which cannot be verified as internal for this ${who}: ${FIX}.`;
    }
    const facts = hostNets?.get(value);
    if (facts === undefined) {
        const unknownNames = unnamed.length > 0
            ? ` (the name of docker.Network ${unnamed.map((n) => `"${n}"`).join(", ")} is unknown at preview — make network names plain values)`
            : "";
        return (who) => `${field} "${value}" names no docker.Network declared in this stack on the same Docker host${unknownNames}, so it cannot be verified as internal for this ${who}: ${FIX}.`;
    }
    if (facts.internal === "unknown") {
        return () => `${field} "${value}" names a docker.Network whose internal is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
    }
    if (facts.internal === false) {
        return (who) => `${field} "${value}" names a docker.Network that is not internal, so this ${who} has a route out: set internal: true on that network or ${FIX}.`;
    }
    return undefined;
}

/** Every container sits only on internal networks or none, unless it is a verified model-staging download. */
export const containerRequireInternalNetwork: AirlockStackPolicy = {
    name: "docker-container-require-internal-network",
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every container, labelled or not, attaches only to networkMode \"none\" or to docker.Network resources of the same stack and Docker host with internal: true, unless it is a verified one-shot model-staging download.",
    rationale: "An internal Docker network has no route out of the host, so a compromised or misconfigured model server cannot " +
        "exfiltrate weights, prompts or completions, nor pull code at runtime. Every container is sealed by default: a model " +
        "server nobody labelled (a second server reading the same model volume) is held to the rule like any other. Docker's " +
        "default bridge, \"host\", another container's namespace and any network the stack does not declare on the same " +
        "Docker host cannot be verified, so they are rejected (fail closed). With networksAdvanced the Docker provider " +
        "detaches the default bridge before the container starts, so only the listed networks count. Only a container " +
        "labelled model-staging that is a one-shot `hf download` (see docker-container-verify-role-claim) may use an egress network.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Declare the serving network in the program as docker.Network({ internal: true }) and attach the container " +
        "to it (networkMode or networksAdvanced), or set networkMode to \"none\" for jobs that need no network; list only internal " +
        "networks in networksAdvanced.",
    // Records what Analyze saw for every resource (networks and volumes too): validateStack reads those (lib/analyzed.ts).
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const nets = indexNetworks(args.resources);
        const containers = args.resources.filter((r) => r.isType(docker.Container));
        // Who joins each network (per Docker host): a gateway's routed network must be its own.
        const members = new Map<string, string[]>();
        for (const r of containers) {
            let attached: Attached[];
            try { attached = attachedNetworks(analyzedProps<ContainerProps>(r)); } catch (e) {
                if (isUnknownValueError(e)) continue; // reported against that container below
                throw e;
            }
            for (const a of attached) {
                const key = `${dockerHostOf(r)}\u0000${a.value ?? ""}`;
                (members.get(key) ?? members.set(key, []).get(key)!).push(r.name);
            }
        }
        checkEach(containers, reportViolation, (r, report) => {
            // The container as Analyze saw it (its checked inputs): see lib/analyzed.ts.
            const c = analyzedProps<ContainerProps>(r);
            const hostNets = nets.byHost.get(dockerHostOf(r));
            const found = attachedNetworks(c).map((a) => attachmentProblem(a, hostNets, nets.unnamed))
                .filter((p): p is Finding => p !== undefined);
            if (found.length === 0) return;
            // Only now classify: a container on verified-internal networks needs no further reads.
            const w = classify(c);
            if (mayHaveEgress(w)) return;
            const who = describeWorkload(w);
            if (w.role === "gateway") {
                // A verified gateway may publish through ONE declared routed network that no other container joins.
                const routed = found.filter((f) => f.routedNetwork !== undefined);
                const others = found.filter((f) => f.routedNetwork === undefined);
                for (const f of others) report(f.message(who));
                if (routed.length > 1) {
                    report(`this gateway joins ${routed.length} routed networks (${routed.map((f) => `"${f.routedNetwork}"`).join(", ")}): a gateway ` +
                        "uses one routed network of its own besides the internal serving networks — remove the others.");
                } else if (routed.length === 1) {
                    const net = routed[0]!.routedNetwork!;
                    const sharing = (members.get(`${dockerHostOf(r)}\u0000${net}`) ?? []).filter((n) => n !== r.name);
                    if (sharing.length > 0) {
                        report(`the gateway's routed network "${net}" is also joined by ${sharing.map((n) => `"${n}"`).join(", ")}: a gateway's ` +
                            "routed network must be its own (the only non-internal path into the serving network) — give the gateway a network nothing else joins.");
                    }
                }
                return;
            }
            for (const f of found) report(f.message(who));
        });
    }),
};
