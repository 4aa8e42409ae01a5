import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { sensitiveHostPathReason } from "@airlock/baseline";
import { attachments } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Why bind-mounting host path `raw` (from `field`) is forbidden, or undefined. Shared with the Volume rule. */
export function hostPathProblem(field: string, raw: string): string | undefined {
    const reason = sensitiveHostPathReason(raw);
    return reason === undefined ? undefined : `${field} "${raw}" ${reason}: remove the bind mount and use a named volume for data.`;
}

/** No runtime socket, credential store or sensitive host directory is bind-mounted into a container. */
export const containerDisallowSensitiveHostMounts: AirlockResourcePolicy = {
    name: "docker-container-disallow-sensitive-host-mounts",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no container bind-mounts a container runtime socket (Docker, containerd, CRI-O, Podman, BuildKit, rootless and Desktop paths) or a directory holding one, a credential store (.docker, .aws, .kube, .ssh, the Hugging Face token cache, …), a home directory, or a sensitive host path such as /, /etc, /proc, /sys, /dev, /usr, /run or /var/lib/docker.",
    rationale: "A runtime socket is root on the host; system directories expose host credentials, kernel interfaces and other " +
        "containers' data; credential stores hand out registry, cloud and Hugging Face access. Model stores and outputs are " +
        "named volumes and never need them.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the bind mount; use a named docker.Volume for models, data and outputs.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        for (const a of attachments(c)) {
            const host = a.hostPath;
            if (host === undefined || host === "") continue;
            const p = hostPathProblem(a.hostField, host);
            if (p) report(p);
        }
    })),
};
