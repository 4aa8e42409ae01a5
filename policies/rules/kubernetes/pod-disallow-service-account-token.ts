import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No Kubernetes API credentials inside the pod. */
export const podDisallowServiceAccountToken: AirlockResourcePolicy = {
    name: "kubernetes-pod-disallow-service-account-token",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every pod template sets automountServiceAccountToken: false and mounts no projected serviceAccountToken.",
    rationale: "Unset, automountServiceAccountToken falls back to the ServiceAccount's setting, true by default: the pod then holds a token " +
        "for the Kubernetes API, which a compromised model server can use to read Secrets, create pods with egress or reach the " +
        "API server's network. Model workloads need no API access.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set automountServiceAccountToken: false on the pod spec (and on its ServiceAccount), and remove projected serviceAccountToken sources.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        const v = t.spec.automountServiceAccountToken;
        if (v !== false) {
            report(`${t.specField}.automountServiceAccountToken is ${v === undefined ? "unset, so the ServiceAccount's setting applies (true by default)" : String(v)}: ` +
                "the pod would hold a Kubernetes API token — set it to false.");
        }
        (t.spec.volumes ?? []).forEach((vol, i) => {
            (vol.projected?.sources ?? []).forEach((s, k) => {
                if (s.serviceAccountToken !== undefined) {
                    report(`${t.specField}.volumes[${i}].projected.sources[${k}] mounts a serviceAccountToken, a Kubernetes API credential: remove it.`);
                }
            });
        });
    })),
};
