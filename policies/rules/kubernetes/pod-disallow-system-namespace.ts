import { SYSTEM_NAMESPACES } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { namespaceOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Workloads run in their enclave's namespace, never in default or a system namespace. */
export const podDisallowSystemNamespace: AirlockResourcePolicy = {
    name: "kubernetes-pod-disallow-system-namespace",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every workload names its namespace (metadata.namespace or the provider's namespace) and that it is not ${SYSTEM_NAMESPACES.join(", ")}.`,
    rationale: "The default namespace usually has no pod-security label and no default-deny NetworkPolicy, and is shared with whatever else " +
        "was deployed without thought; system namespaces hold the cluster's own components and their privileges. An unset namespace " +
        "lands wherever the kubeconfig context points, which the pack cannot see.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set metadata.namespace to the enclave's namespace (the Airlock Enclave creates one per environment).",
    validateResource: failClosed(validatePodTemplates((t, args, report) => {
        const ns = namespaceOf(t.metadata, args.provider);
        if (ns.name === undefined) {
            report(`metadata.namespace is unset and the provider sets no namespace, so the ${t.kind} lands in ${ns.reason}, which cannot be verified: set metadata.namespace to the enclave's namespace.`);
        } else if (SYSTEM_NAMESPACES.includes(ns.name)) {
            report(`${ns.explicit ? "metadata.namespace" : "the provider's namespace"} is "${ns.name}", a namespace without the enclave's pod security and default-deny policies: run the ${t.kind} in the enclave's namespace.`);
        }
    })),
};
