import { isEmptySelector } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { KUBERNETES_TYPES, type NetworkPolicyProps, validateKubernetesType } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Ingress only from named pods or namespaces: never from everywhere, every namespace or IP ranges. */
export const networkPolicyRestrictIngress: AirlockResourcePolicy = {
    name: "kubernetes-network-policy-restrict-ingress",
    group: "kubernetes",
    resourceType: KUBERNETES_TYPES.networkPolicy,
    description: "Checks that every ingress rule of a NetworkPolicy lists its sources, each a podSelector or a non-empty namespaceSelector, never an ipBlock or an empty peer.",
    rationale: "An ingress rule without sources admits every pod and every address, an ipBlock admits load balancers and nodes outside the " +
        "enclave by address, and an empty namespaceSelector admits every namespace of the cluster. The servers are reached through the " +
        "configured gateway only: its namespace (kubernetes.io/metadata.name) and pod labels.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Write each ingress source as { namespaceSelector: { matchLabels: { \"kubernetes.io/metadata.name\": <gateway namespace> } }, podSelector: { matchLabels: <gateway labels> } }.",
    validateResource: failClosed(validateKubernetesType<NetworkPolicyProps>(KUBERNETES_TYPES.networkPolicy, (np, _args, report) => {
        (np.spec?.ingress ?? []).forEach((rule, i) => {
            const from = rule.from ?? [];
            if (from.length === 0) {
                report(`spec.ingress[${i}] has no "from", so it admits every source, inside and outside the cluster: list the gateway's namespaceSelector and podSelector.`);
                return;
            }
            from.forEach((peer, j) => {
                const field = `spec.ingress[${i}].from[${j}]`;
                if (peer.ipBlock !== undefined) {
                    report(`${field}.ipBlock admits ${String(peer.ipBlock.cidr)} by address (load balancers, nodes, anything routed there): select the gateway's namespace and pods instead.`);
                } else if (peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector)) {
                    report(`${field}.namespaceSelector is empty, which admits every namespace of the cluster: match the gateway's namespace (kubernetes.io/metadata.name).`);
                } else if (peer.namespaceSelector === undefined && peer.podSelector === undefined) {
                    report(`${field} selects nothing specific, which admits every source: name the gateway's namespaceSelector and podSelector.`);
                }
            });
        });
    })),
};
