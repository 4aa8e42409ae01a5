import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { POD_TEMPLATE_TYPES } from "../../lib/kubernetes-types";
import { defaultDenies, indexNetworkPolicies, oneWorkloadPerResource, unknownPoliciesNote, workloadsOf } from "../../lib/kubernetes-stack";
import { namespaceOf } from "../../lib/pod";
import type { AirlockStackPolicy } from "../../lib/types";

/** Every namespace that runs a workload denies ingress and egress by default. */
export const namespaceRequireDefaultDeny: AirlockStackPolicy = {
    name: "kubernetes-namespace-require-default-deny",
    group: "kubernetes",
    resourceType: POD_TEMPLATE_TYPES[0]!,
    resourceTypes: POD_TEMPLATE_TYPES,
    description: "Checks that every namespace running a workload of the stack (custom resources with pod specs included) has NetworkPolicies of the stack that select every pod (podSelector: {}) and allow nothing, for both Ingress and Egress.",
    rationale: "Kubernetes lets every pod talk to everything, the internet and the cloud metadata endpoint included, until a NetworkPolicy " +
        "selects it. A default deny for both directions makes isolation the starting point: only what a further policy allows (the " +
        "gateway into the servers, staging out to the Hub) is possible. NetworkPolicies need a CNI that enforces them (Calico, Cilium, …).",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Add a NetworkPolicy to the namespace: { metadata: { name: \"default-deny\" }, spec: { podSelector: {}, policyTypes: [\"Ingress\", \"Egress\"] } } (the Airlock Enclave does).",
    validateStack: failClosedStack((args, reportViolation) => {
        const index = indexNetworkPolicies(args.resources);
        checkEach(oneWorkloadPerResource(workloadsOf(args.resources)).map((w) => ({ ...w, urn: w.r.urn })), reportViolation, ({ r, t }, report) => {
            const ns = namespaceOf(t.metadata, r.provider);
            if (ns.name === undefined) {
                report(`metadata.namespace is unset and the provider sets none, so the ${t.kind} lands in ${ns.reason} and its NetworkPolicies cannot be verified: set metadata.namespace.`);
                return;
            }
            const d = defaultDenies(index.policies, ns.name);
            const missing = [...(d.ingress ? [] : ["Ingress"]), ...(d.egress ? [] : ["Egress"])];
            if (missing.length === 0) return;
            report(`namespace "${ns.name}" has no default-deny NetworkPolicy for ${missing.join(" and ")} in this stack${unknownPoliciesNote(index.unknown)}, ` +
                `so this ${t.kind}'s pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: [${missing.map((m) => `"${m}"`).join(", ")}] and no rules.`);
        });
    }),
};
