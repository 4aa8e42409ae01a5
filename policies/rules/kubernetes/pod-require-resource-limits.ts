import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** cpu and memory requests and a memory limit on every container; memory-backed emptyDirs bounded. */
export const podRequireResourceLimits: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-resource-limits",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every regular and init container sets resources.limits.memory and a cpu and memory request (resources.requests, or a limit of the same resource, which Kubernetes copies into a missing request), and that every memory-backed emptyDir (such as /dev/shm) sets a sizeLimit.",
    rationale: "A model server without a memory limit can take the node's memory and get its neighbours evicted; without requests the " +
        "scheduler packs pods blindly. A memory-backed emptyDir without sizeLimit (the usual /dev/shm for NCCL) grows in the node's RAM.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set resources.limits.cpu and resources.limits.memory (a missing request defaults to the limit: Guaranteed QoS), or " +
        "resources.requests.cpu, resources.requests.memory and resources.limits.memory, and emptyDir.sizeLimit on every medium: Memory volume.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            if (ref.kind === "ephemeral container") continue; // the API forbids resources on ephemeral containers
            const r = ref.c.resources;
            const requests = (r?.requests ?? {}) as Record<string, unknown>;
            const limits = (r?.limits ?? {}) as Record<string, unknown>;
            const missing = [
                // Kubernetes defaults a missing request to the limit of the same resource, so a limit alone is bounded.
                ...(requests.cpu === undefined && limits.cpu === undefined ? ["requests.cpu"] : []),
                ...(requests.memory === undefined && limits.memory === undefined ? ["requests.memory"] : []),
                ...(limits.memory === undefined ? ["limits.memory"] : []),
            ];
            if (missing.length > 0) {
                report(`${ref.field}.resources sets no ${missing.join(", ")}: ${ref.label} may take the node's memory and CPU — set requests and a memory limit.`);
            }
        }
        (t.spec.volumes ?? []).forEach((v, i) => {
            if (v.emptyDir?.medium === "Memory" && (v.emptyDir.sizeLimit === undefined || v.emptyDir.sizeLimit === "")) {
                report(`${t.specField}.volumes[${i}] (${String(v.name)}) is a memory-backed emptyDir without sizeLimit, which can fill the node's RAM: set emptyDir.sizeLimit.`);
            }
        });
    })),
};
