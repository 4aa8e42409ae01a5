import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No privileged container and no Windows host process, in any pod of any workload kind. */
export const podDisallowPrivileged: AirlockResourcePolicy = {
    name: "kubernetes-pod-disallow-privileged",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that no container (regular, init or ephemeral) of any pod template runs privileged or as a Windows host process.",
    rationale: "A privileged container has every capability and every device of the node and can trivially take it over, and with it " +
        "every other tenant's weights and prompts. GPUs do not need it: the NVIDIA device plugin hands a container exactly the GPUs " +
        "it requests through nvidia.com/gpu limits.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set securityContext.privileged to false (or leave it unset) and request GPUs with resources.limits[\"nvidia.com/gpu\"]; " +
        "remove windowsOptions.hostProcess.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        if (t.spec.securityContext?.windowsOptions?.hostProcess === true) {
            report(`${t.specField}.securityContext.windowsOptions.hostProcess is true, which runs the pod as a process of the node: remove it.`);
        }
        for (const ref of containersOf(t)) {
            const sc = ref.c.securityContext;
            if (sc?.privileged === true) {
                report(`${ref.field}.securityContext.privileged is true, which gives ${ref.label} every capability and every device of the node: ` +
                    "set it to false (GPUs come from nvidia.com/gpu limits).");
            }
            if (sc?.windowsOptions?.hostProcess === true) {
                report(`${ref.field}.securityContext.windowsOptions.hostProcess is true, which runs ${ref.label} as a process of the node: remove it.`);
            }
        }
    })),
};
