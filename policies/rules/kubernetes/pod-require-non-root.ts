import { POD_UID, effectiveSecurityField } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** runAsNonRoot: true (kubelet then refuses uid 0), never uid or gid 0. */
export const podRequireNonRoot: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-non-root",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every container runs with runAsNonRoot true (on the pod or the container), never with runAsUser or runAsGroup 0, and that the pod adds no supplemental group 0.",
    rationale: "Most model images, vllm/vllm-openai included, run as root by default; root in the container turns a kernel or runtime " +
        "bug into node compromise. With runAsNonRoot kubelet refuses to start a container whose user is 0 or not numeric, so the " +
        "check holds whatever the image says. Kubernetes has no model-staging exception: fsGroup opens a fresh volume to the pod's user.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Set securityContext: { runAsNonRoot: true, runAsUser: ${POD_UID}, runAsGroup: ${POD_UID}, fsGroup: ${POD_UID} } on the pod; remove 0 from supplementalGroups.`,
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        const podSc = t.spec.securityContext as Record<string, unknown> | undefined;
        const podField = `${t.specField}.securityContext`;
        if (((t.spec.securityContext?.supplementalGroups ?? []) as unknown[]).some((g) => Number(g) === 0)) {
            report(`${podField}.supplementalGroups contains 0, the root group, which owns root-only files: remove it.`);
        }
        for (const ref of containersOf(t)) {
            const sc = ref.c.securityContext as Record<string, unknown> | undefined;
            const at = (level: "container" | "pod") => (level === "pod" ? podField : `${ref.field}.securityContext`);
            const nonRoot = effectiveSecurityField<boolean>(podSc, sc, "runAsNonRoot");
            if (nonRoot === undefined) {
                report(`runAsNonRoot is unset on ${ref.field}.securityContext and ${podField}, so ${ref.label} runs as the image's user (often root): ` +
                    `set runAsNonRoot: true and runAsUser: ${POD_UID} on the pod.`);
            } else if (nonRoot.value !== true) {
                report(`${at(nonRoot.level)}.runAsNonRoot is ${String(nonRoot.value)}, so ${ref.label} may run as root: set it to true.`);
            }
            for (const field of ["runAsUser", "runAsGroup"] as const) {
                const v = effectiveSecurityField<unknown>(podSc, sc, field);
                if (v !== undefined && Number(v.value) === 0) {
                    report(`${at(v.level)}.${field} is 0 (root), for ${ref.label}: use an unprivileged id such as ${POD_UID}.`);
                }
            }
        }
    })),
};
