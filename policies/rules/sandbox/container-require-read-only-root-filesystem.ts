import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Every container's root file system is read-only. */
export const containerRequireReadOnlyRootFilesystem: AirlockResourcePolicy = {
    name: "docker-container-require-read-only-root-filesystem",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every container sets readOnly: true (a read-only root file system).",
    rationale: "A writable root lets an attacker persist tools or modify the server's code and libraries; with a read-only root " +
        "the only writable places are the tmpfs mounts and volumes the program declares.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set readOnly: true and give writable paths as tmpfs (e.g. /tmp, /cache with HOME and the HF/vLLM cache env pointing there).",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        if (c.readOnly !== true) {
            const got = c.readOnly === undefined ? "unset" : String(c.readOnly);
            report(`readOnly is ${got}, so the container can modify its root file system: set readOnly: true and mount ` +
                "writable paths as tmpfs.");
        }
    })),
};
