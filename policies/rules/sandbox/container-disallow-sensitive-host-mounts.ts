import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { RUNTIME_SOCKETS, SENSITIVE_HOST_PATHS } from "@airlock/baseline";
import { attachments } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { isUnder, normalizePath } from "../../lib/paths";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Why bind-mounting host path `p` (from `field`) is forbidden, or undefined. Shared with the Volume rule. */
export function hostPathProblem(field: string, raw: string): string | undefined {
    const p = normalizePath(raw);
    const socket = RUNTIME_SOCKETS.find((s) => s === p || (p !== "/" && isUnder(s, p)));
    if (socket === p) return `${field} "${raw}" mounts the container runtime socket, which grants root on the host: remove the mount.`;
    if (socket !== undefined) {
        return `${field} "${raw}" contains the container runtime socket ${socket}, which grants root on the host: remove the mount.`;
    }
    const sensitive = SENSITIVE_HOST_PATHS.find((s) => (s === "/" ? p === "/" : isUnder(p, s)));
    if (sensitive !== undefined) {
        const where = sensitive === p ? "is the sensitive host path" : `is under the sensitive host path ${sensitive}`;
        return `${field} "${raw}" ${where}: remove the bind mount and use a named volume for data.`;
    }
    return undefined;
}

/** No runtime socket and no sensitive host directory is bind-mounted into a container. */
export const containerDisallowSensitiveHostMounts: AirlockResourcePolicy = {
    name: "docker-container-disallow-sensitive-host-mounts",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no container bind-mounts a container runtime socket (or a directory holding one) or a sensitive host path such as /, /etc, /proc, /sys, /dev, /usr, /root or /var/lib/docker (volumes[].hostPath, mounts[] of type bind).",
    rationale: "The Docker socket is root on the host; system directories expose host credentials, kernel interfaces and other " +
        "containers' data. Model stores and outputs are named volumes and never need them.",
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
