import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { HOST_NAMESPACE_MODE } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAMESPACES = [
    { field: "networkMode", shares: "the host's network stack (every host interface, no isolation)" },
    { field: "pidMode", shares: "the host's process namespace" },
    { field: "ipcMode", shares: "the host's IPC namespace" },
    { field: "usernsMode", shares: "the host's user namespace" },
    { field: "cgroupnsMode", shares: "the host's cgroup namespace" },
] as const;

/** No container joins a host namespace. */
export const containerDisallowHostNamespaces: AirlockResourcePolicy = {
    name: "docker-container-disallow-host-namespaces",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no container sets networkMode, pidMode, ipcMode, usernsMode or cgroupnsMode to \"host\", nor joins another container's PID or IPC namespace (pidMode or ipcMode \"container:<name>\").",
    rationale: "Joining a host namespace removes the isolation Docker provides: host networking bypasses every network rule, the " +
        "host PID and IPC namespaces expose other processes' memory and signals. Joining another container's PID namespace " +
        "(a sidecar with pidMode \"container:<server>\") reads that container's environment — its API key included — through " +
        "/proc, and its IPC namespace exposes its shared memory.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the \"host\" mode so the container gets its own namespace; for networking use an internal docker.Network.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        for (const ns of NAMESPACES) {
            if (c[ns.field] === HOST_NAMESPACE_MODE) {
                report(`${ns.field} is "host", which shares ${ns.shares}: remove ${ns.field} so the container gets its own namespace.`);
            }
        }
        for (const field of ["pidMode", "ipcMode"] as const) {
            const v = c[field];
            if (typeof v === "string" && v.startsWith("container:")) {
                report(`${field} "${v}" joins another container's ${field === "pidMode" ? "process namespace, so this container can read its environment (API keys included) and memory" : "IPC namespace and its shared memory"}: remove ${field}.`);
            }
        }
    })),
};
