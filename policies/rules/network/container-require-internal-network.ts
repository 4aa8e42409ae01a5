import * as docker from "@pulumi/docker";
import type { PolicyResource } from "@pulumi/policy";
import { FORBIDDEN_NETWORK_MODES } from "@airlock/baseline";
import type { ContainerProps, NetworkProps } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";
import { classify, describeWorkload, isModelWorkload } from "../../lib/workload";

/** What the stack declares about one Docker network name. */
type NetworkFacts = { readonly internal: true } | { readonly internal: false } | { readonly internal: "unknown" };

const FIX = 'set networkMode to "none" or to the name of a docker.Network with internal: true declared in this program';

/** Network name → facts, plus the logical names of networks whose `name` is unknown at preview. */
function indexNetworks(resources: readonly PolicyResource[]): { byName: Map<string, NetworkFacts>; unnamed: string[] } {
    const byName = new Map<string, NetworkFacts>();
    const unnamed: string[] = [];
    for (const r of resources.filter((x) => x.isType(docker.Network))) {
        const n = r.props as NetworkProps;
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
        // Two declarations of one name: the weakest wins (fail closed).
        const prev = byName.get(name);
        byName.set(name, prev && prev.internal !== true ? prev : facts);
    }
    return { byName, unnamed };
}

/** Why attaching to `value` (from `field`) is not verifiably internal, phrased for `who`; undefined when it is. */
function attachmentProblem(
    field: string, value: string | undefined, nets: ReturnType<typeof indexNetworks>,
): ((who: string) => string) | undefined {
    if (value === undefined || value === "") {
        return (who) => `${field} is unset, so Docker attaches this ${who} to its default bridge network, which routes out of the host: ${FIX}.`;
    }
    if (value === "none") return undefined;
    if (FORBIDDEN_NETWORK_MODES.includes(value)) {
        return (who) => `${field} "${value}" gives this ${who} a route out of the host: ${FIX}.`;
    }
    if (value.startsWith("container:")) {
        return (who) => `${field} "${value}" shares another container's network, which cannot be verified as internal for this ${who}: ${FIX}.`;
    }
    const facts = nets.byName.get(value);
    if (facts === undefined) {
        const unknownNames = nets.unnamed.length > 0
            ? ` (the name of docker.Network ${nets.unnamed.map((n) => `"${n}"`).join(", ")} is unknown at preview — make network names plain values)`
            : "";
        return (who) => `${field} "${value}" names no docker.Network declared in this stack${unknownNames}, so it cannot be verified as internal for this ${who}: ${FIX}.`;
    }
    if (facts.internal === "unknown") {
        return () => `${field} "${value}" names a docker.Network whose internal is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
    }
    if (facts.internal === false) {
        return (who) => `${field} "${value}" names a docker.Network that is not internal, so this ${who} has a route out: set internal: true on that network or ${FIX}.`;
    }
    return undefined;
}

/** Inference and training containers (and unlabeled vLLM servers) sit only on internal networks or none. */
export const containerRequireInternalNetwork: AirlockStackPolicy = {
    name: "docker-container-require-internal-network",
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that inference and training containers, and any recognised vLLM server, attach only to networkMode \"none\" or to docker.Network resources of the same stack with internal: true.",
    rationale: "An internal Docker network has no route out of the host, so a compromised or misconfigured model server cannot " +
        "exfiltrate weights, prompts or completions, nor pull code at runtime. Docker's default bridge, \"host\" and any " +
        "network the stack does not declare cannot be verified, so they are rejected (fail closed). Model-staging containers " +
        "are exempt: they download over the separate staging network.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Declare the serving network in the program as docker.Network({ internal: true }) and set the container's " +
        "networkMode to its name (or \"none\" for jobs that need no network); list only internal networks in networksAdvanced.",
    validateStack: failClosedStack((args, reportViolation) => {
        const nets = indexNetworks(args.resources);
        const containers = args.resources.filter((r) => r.isType(docker.Container));
        checkEach(containers, reportViolation, (r, report) => {
            const c = r.props as ContainerProps;
            const problems = [attachmentProblem("networkMode", c.networkMode, nets)];
            (c.networksAdvanced ?? []).forEach((n, i) => {
                problems.push(attachmentProblem(`networksAdvanced[${i}].name`, n.name, nets));
            });
            const found = problems.filter((p): p is (who: string) => string => p !== undefined);
            if (found.length === 0) return;
            // Only now classify: a container on verified-internal networks needs no further reads.
            const w = classify(c);
            if (!isModelWorkload(w)) return;
            for (const p of found) report(p(describeWorkload(w)));
        });
    }),
};
