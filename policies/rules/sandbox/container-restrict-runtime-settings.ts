import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-restrict-runtime-settings";

/** The OCI runtime, kernel parameters and cgroup placement stay as reviewed. */
export const containerRestrictRuntimeSettings: AirlockResourcePolicy = {
    name: NAME,
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container selects a runtime only from allowedRuntimes, sets sysctls only from allowedSysctls, and does not set cgroupParent.",
    rationale: "The OCI runtime decides how the sandbox is built: an unreviewed runtime can skip namespaces, seccomp or the device " +
        "cgroup. Namespaced sysctls change the container's kernel view (e.g. ping sockets, unprivileged low ports, IPC limits). " +
        "cgroupParent moves the container under a cgroup the stack does not declare, whose limits the pack cannot see.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove runtime (the daemon's default runc, or nvidia for GPUs), sysctls and cgroupParent, or allow a reviewed " +
        "runtime or sysctl in the policy config.",
    configSchema: configSchemaFor("allowedRuntimes", "allowedSysctls"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const runtime = c.runtime;
        const sysctls = Object.keys(c.sysctls ?? {});
        const cfg = readConfig(args, NAME, "allowedRuntimes", "allowedSysctls");
        if (runtime !== undefined && runtime !== "" && !cfg.allowedRuntimes.includes(runtime)) {
            report(`runtime "${runtime}" is not in allowedRuntimes (${cfg.allowedRuntimes.join(", ")}), so how it builds the sandbox ` +
                "cannot be verified: remove runtime or allow it in the policy config after review.");
        }
        for (const key of sysctls) {
            if (!cfg.allowedSysctls.includes(key)) {
                report(`sysctls sets "${key}", which is not in allowedSysctls (${cfg.allowedSysctls.join(", ") || "none allowed"}): remove it ` +
                    "or allow it in the policy config after review.");
            }
        }
        if (c.cgroupParent !== undefined && c.cgroupParent !== "") {
            report(`cgroupParent "${c.cgroupParent}" places the container under a cgroup this stack does not declare, whose limits ` +
                "cannot be verified: remove cgroupParent.");
        }
    })),
};
