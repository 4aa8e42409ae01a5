import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No host network, PID or IPC namespace and no host ports. */
export const podDisallowHostNamespaces: AirlockResourcePolicy = {
    name: "kubernetes-pod-disallow-host-namespaces",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that no pod template sets hostNetwork, hostPID or hostIPC, and that no container binds a hostPort.",
    rationale: "The node's network namespace bypasses every NetworkPolicy (the pod has the node's routes out and sees its traffic); the " +
        "node's PID and IPC namespaces expose other pods' processes and shared memory; a hostPort publishes a port on the node's " +
        "interfaces outside the enclave.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove hostNetwork, hostPID, hostIPC and containers[].ports[].hostPort; reach servers through a ClusterIP Service.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        const what = { hostNetwork: "the node's network namespace, outside every NetworkPolicy", hostPID: "the node's process namespace", hostIPC: "the node's IPC namespace" } as const;
        for (const key of ["hostNetwork", "hostPID", "hostIPC"] as const) {
            if (t.spec[key] === true) report(`${t.specField}.${key} is true, which puts the pod in ${what[key]}: remove it.`);
        }
        for (const ref of containersOf(t)) {
            (ref.c.ports ?? []).forEach((p, i) => {
                const hostPort = p.hostPort;
                if (hostPort !== undefined && hostPort !== 0) {
                    report(`${ref.field}.ports[${i}].hostPort is ${String(hostPort)}, which publishes ${ref.label} on the node's interfaces: remove it and use a ClusterIP Service.`);
                }
            });
        }
    })),
};
