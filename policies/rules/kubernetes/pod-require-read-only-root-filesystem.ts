import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** readOnlyRootFilesystem: true on every container. */
export const podRequireReadOnlyRootFilesystem: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-read-only-root-filesystem",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every container of every pod template sets securityContext.readOnlyRootFilesystem to true.",
    rationale: "A writable root lets a compromised server replace its own code, drop tools or persist across restarts of the process. " +
        "Caches belong on size-limited emptyDir volumes (HF_HOME, VLLM_CACHE_ROOT and the compiler caches under /cache), which " +
        "disappear with the pod.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes (with sizeLimit) where the program writes: /tmp and the caches.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            const v = ref.c.securityContext?.readOnlyRootFilesystem;
            if (v === true) continue;
            report(`${ref.field}.securityContext.readOnlyRootFilesystem is ${v === undefined ? "unset (false)" : String(v)}, so ${ref.label} can ` +
                "rewrite its own image: set it to true and give writable paths emptyDir volumes.");
        }
    })),
};
