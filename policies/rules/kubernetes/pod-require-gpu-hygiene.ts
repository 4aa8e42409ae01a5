import { NVIDIA_DEVICE_ENV_NAMES, NVIDIA_GPU_RESOURCE, parseKubernetesQuantity } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** GPUs only through the device plugin's resource: whole limits, requests equal to limits, a memory limit, no device env. */
export const podRequireGpuHygiene: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-gpu-hygiene",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that a container asking for ${NVIDIA_GPU_RESOURCE} sets it as a whole-number limit (any request equal to it) together with a memory limit, and that no container sets ${NVIDIA_DEVICE_ENV_NAMES.join(", ")}.`,
    rationale: "The device plugin hands a container exactly the GPUs of its nvidia.com/gpu limit and the scheduler accounts for them. " +
        "NVIDIA_VISIBLE_DEVICES in a manifest (\"all\") is read by the NVIDIA runtime directly: the container sees GPUs it was never " +
        "allocated, other tenants' memory included. A GPU container without a memory limit can starve the node that holds its GPUs.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Request GPUs only as resources.limits["${NVIDIA_GPU_RESOURCE}"]: "<n>" (with limits.memory), and remove ${NVIDIA_DEVICE_ENV_NAMES.join(", ")} from env.`,
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            const limits = (ref.c.resources?.limits ?? {}) as Record<string, unknown>;
            const requests = (ref.c.resources?.requests ?? {}) as Record<string, unknown>;
            const limit = limits[NVIDIA_GPU_RESOURCE];
            const request = requests[NVIDIA_GPU_RESOURCE];
            const field = `${ref.field}.resources`;
            if (request !== undefined && limit === undefined) {
                report(`${field}.requests["${NVIDIA_GPU_RESOURCE}"] is set without a limit; an extended resource is requested as a limit: move it to limits.`);
            }
            if (limit !== undefined) {
                const n = parseKubernetesQuantity(limit);
                if (n === undefined || !Number.isInteger(n) || n < 1) {
                    report(`${field}.limits["${NVIDIA_GPU_RESOURCE}"] is ${JSON.stringify(limit)}, not a whole number of GPUs: set a positive integer.`);
                } else if (request !== undefined && parseKubernetesQuantity(request) !== n) {
                    report(`${field}.requests["${NVIDIA_GPU_RESOURCE}"] (${JSON.stringify(request)}) differs from its limit (${JSON.stringify(limit)}): set them equal or remove the request.`);
                }
                if (limits.memory === undefined) {
                    report(`${field}.limits.memory is unset on ${ref.label}, which holds GPUs: set a memory limit.`);
                }
            }
            (ref.c.env ?? []).forEach((e, i) => {
                const name = String(e.name ?? "");
                if (NVIDIA_DEVICE_ENV_NAMES.includes(name)) {
                    report(`${ref.field}.env[${i}] sets ${name}, which makes the NVIDIA runtime expose GPUs the device plugin did not allocate: remove it and request ${NVIDIA_GPU_RESOURCE} limits.`);
                }
            });
        }
    })),
};
