import { type LabelSelector, METADATA_ENDPOINT, METADATA_ENDPOINT_IPV6, METADATA_ENDPOINTS, ipInCidr, labelSelectorMatches } from "@airlock/baseline";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { KUBERNETES_TYPES } from "../../lib/kubernetes-types";
import { workloadsOf } from "../../lib/kubernetes-stack";
import { classifyPod, describePod, namespaceOf, podMayHaveEgress } from "../../lib/pod";
import type { AirlockStackPolicy } from "../../lib/types";

interface EgressRule { readonly to?: readonly { readonly ipBlock?: { readonly cidr?: string; readonly except?: readonly string[] } }[] }

/** Egress is allowed to verified model-staging pods only, and never to the cloud metadata endpoint. */
export const networkPolicyRestrictEgress: AirlockStackPolicy = {
    name: "kubernetes-network-policy-restrict-egress",
    group: "kubernetes",
    resourceType: KUBERNETES_TYPES.networkPolicy,
    description: `Checks that a NetworkPolicy with egress rules selects no workload of the stack except verified model-staging pods, and that no egress rule reaches the metadata endpoint ${METADATA_ENDPOINT} or AWS's IPv6 one ${METADATA_ENDPOINT_IPV6} (every destination, or an IPv4 or IPv6 ipBlock that contains it without excepting it).`,
    rationale: "NetworkPolicies add up: one egress rule that selects a server (a namespace-wide \"allow DNS\" included — DNS is a tunnel " +
        "out) gives it a path for weights and prompts to leave, whatever the default deny says. Inference and training pods need no " +
        "egress at all; staging pods need the Hub, but never the metadata endpoint, which hands out the node's cloud credentials.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: `Select only model-staging pods in egress policies (podSelector: { matchLabels: { "airlock.dev/role": "model-staging" } }) and ` +
        `list ${METADATA_ENDPOINT}/32 (and the cluster's ranges) in the ipBlock's except, and ${METADATA_ENDPOINT_IPV6}/128 in that of an IPv6 ipBlock.`,
    validateStack: failClosedStack((args, reportViolation) => {
        const workloads = workloadsOf(args.resources);
        const policies = args.resources.filter((r) => r.type === KUBERNETES_TYPES.networkPolicy);
        checkEach(policies, reportViolation, (r, report) => {
            const p = r.props as { metadata?: { namespace?: string }; spec?: { podSelector?: LabelSelector; egress?: EgressRule[] } };
            const egress = p.spec?.egress ?? [];
            if (egress.length === 0) return;
            egress.forEach((rule, i) => {
                const to = rule.to ?? [];
                if (to.length === 0) {
                    report(`spec.egress[${i}] has no "to", so it allows every destination, the metadata endpoint ${METADATA_ENDPOINT} included: list ipBlocks that except it.`);
                    return;
                }
                to.forEach((peer, j) => {
                    const cidr = peer.ipBlock?.cidr;
                    if (cidr === undefined) return;
                    for (const { address, hostPrefix } of METADATA_ENDPOINTS) {
                        const covers = ipInCidr(address, String(cidr));
                        const excepted = (peer.ipBlock?.except ?? []).some((x) => ipInCidr(address, String(x)) === true);
                        if (covers === true && !excepted) {
                            report(`spec.egress[${i}].to[${j}].ipBlock ${String(cidr)} contains the metadata endpoint ${address}, which hands out the node's cloud credentials: add "${address}/${hostPrefix}" to except.`);
                        }
                    }
                });
            });
            const ns = namespaceOf(p.metadata, r.provider);
            if (ns.name === undefined) {
                report(`metadata.namespace is unset and the provider sets none, so which pods these egress rules open cannot be verified: set metadata.namespace.`);
                return;
            }
            const selector = p.spec?.podSelector;
            for (const w of workloads) {
                const wns = namespaceOf(w.t.metadata, w.r.provider);
                if (wns.name !== ns.name || !labelSelectorMatches(selector, w.t.labels())) continue;
                const role = classifyPod(w.t);
                if (podMayHaveEgress(role)) continue;
                report(`spec.egress lets the ${describePod(role)} of ${w.t.kind} "${w.r.name}" send traffic out: only verified model-staging pods may have egress — ` +
                    "narrow spec.podSelector to model-staging pods or remove the egress rules.");
            }
        });
    }),
};
