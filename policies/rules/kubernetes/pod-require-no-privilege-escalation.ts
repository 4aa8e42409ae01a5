import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** allowPrivilegeEscalation: false on every container (unset means true). */
export const podRequireNoPrivilegeEscalation: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-no-privilege-escalation",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every container of every pod template sets securityContext.allowPrivilegeEscalation to false.",
    rationale: "Unset, allowPrivilegeEscalation is true: the runtime does not set no_new_privs, so a setuid binary in the image (most " +
        "base images ship some) can turn a compromised non-root process back into root. The restricted Pod Security Standard " +
        "requires false to be written out.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container, init containers included.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            const v = ref.c.securityContext?.allowPrivilegeEscalation;
            if (v === false) continue;
            report(`${ref.field}.securityContext.allowPrivilegeEscalation is ${v === undefined ? "unset, which Kubernetes treats as true" : String(v)}, ` +
                `so setuid binaries can give ${ref.label} root again: set it to false.`);
        }
    })),
};
