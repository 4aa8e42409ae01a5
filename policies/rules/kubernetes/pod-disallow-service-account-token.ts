import type { PolicyResource } from "@pulumi/policy";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { workloadsOf } from "../../lib/kubernetes-stack";
import { KUBERNETES_TYPES, POD_POLICY_TYPES, type ServiceAccountProps } from "../../lib/kubernetes-types";
import { namespaceOf } from "../../lib/pod";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";

/** The ServiceAccounts of the stack by `namespace/name`, as Analyze saw them (those whose name or namespace is unknown are left out). */
function serviceAccountsOf(resources: readonly PolicyResource[]): Map<string, { r: PolicyResource; props: ServiceAccountProps }> {
    const out = new Map<string, { r: PolicyResource; props: ServiceAccountProps }>();
    for (const r of resources.filter((x) => x.type === KUBERNETES_TYPES.serviceAccount)) {
        const props = analyzedProps<ServiceAccountProps>(r);
        try {
            const ns = namespaceOf(props.metadata, r.provider).name;
            const name = props.metadata?.name;
            if (ns !== undefined && typeof name === "string") out.set(`${ns}/${name}`, { r, props });
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
        }
    }
    return out;
}

/** No Kubernetes API credentials inside the pod. */
export const podDisallowServiceAccountToken: AirlockStackPolicy = {
    name: "kubernetes-pod-disallow-service-account-token",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every pod template mounts no ServiceAccount token: automountServiceAccountToken: false on the pod, or unset " +
        "on the pod and false on its ServiceAccount declared in the stack; and no projected serviceAccountToken.",
    rationale: "Unset, automountServiceAccountToken falls back to the ServiceAccount's setting, true by default: the pod then holds a token " +
        "for the Kubernetes API, which a compromised model server can use to read Secrets, create pods with egress or reach the " +
        "API server's network. Model workloads need no API access. A ServiceAccount the stack declares with " +
        "automountServiceAccountToken: false is read (as Analyze saw it), so its pods inherit false; one the stack does not declare cannot be verified.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set automountServiceAccountToken: false on the pod spec (or on the ServiceAccount the stack declares for it), and remove projected serviceAccountToken sources.",
    // Records what Analyze saw for every resource: validateStack reads those (lib/analyzed.ts).
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const accounts = serviceAccountsOf(args.resources);
        const workloads = workloadsOf(args.resources, (r) => analyzedProps<Record<string, unknown>>(r));
        checkEach(workloads.map((w) => ({ ...w, urn: w.r.urn })), reportViolation, ({ r, t }, report) => {
            const v = t.spec.automountServiceAccountToken;
            if (v === true) report(`${t.specField}.automountServiceAccountToken is true: the pod would hold a Kubernetes API token — set it to false.`);
            else if (v === undefined) {
                const saName = String(t.spec.serviceAccountName ?? t.spec.serviceAccount ?? "default");
                const ns = namespaceOf(t.metadata, r.provider).name;
                const sa = ns === undefined ? undefined : accounts.get(`${ns}/${saName}`);
                let saValue: boolean | undefined;
                let saUnknown = false;
                try { saValue = sa?.props.automountServiceAccountToken; } catch (e) {
                    if (!isUnknownValueError(e)) throw e;
                    saUnknown = true;
                }
                if (saValue !== false) {
                    const why = sa === undefined
                        ? `ServiceAccount "${saName}"'s setting applies (true by default; ${ns === undefined ? "the pod's namespace is unset" : `it is not declared in namespace "${ns}" of this stack`}, so it cannot be verified)`
                        : saUnknown ? `ServiceAccount "${saName}" (${sa.r.name}) of this stack decides, and its automountServiceAccountToken is unknown at preview`
                            : `ServiceAccount "${saName}" (${sa.r.name}) of this stack decides, and its automountServiceAccountToken is ${saValue === undefined ? "unset (true)" : String(saValue)}`;
                    report(`${t.specField}.automountServiceAccountToken is unset, so the ${why}: the pod would hold a Kubernetes API token — set it to false on the pod or the ServiceAccount.`);
                }
            } else if (v !== false) {
                report(`${t.specField}.automountServiceAccountToken is ${String(v)}: the pod would hold a Kubernetes API token — set it to false.`);
            }
            (t.spec.volumes ?? []).forEach((vol, i) => {
                (vol.projected?.sources ?? []).forEach((s, k) => {
                    if (s.serviceAccountToken !== undefined) {
                        report(`${t.specField}.volumes[${i}].projected.sources[${k}] mounts a serviceAccountToken, a Kubernetes API credential: remove it.`);
                    }
                });
            });
        });
    }),
};
