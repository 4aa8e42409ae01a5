import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No privileged containers. */
export const containerDisallowPrivileged: AirlockResourcePolicy = {
    name: "docker-container-disallow-privileged",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no container runs privileged.",
    rationale: "A privileged container has every capability and every host device, and can trivially take over the host. GPUs do " +
        "not need it: the NVIDIA runtime provides them through deviceRequests.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set privileged to false (or leave it unset); request GPUs with deviceRequests.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        if (c.privileged === true) {
            report("privileged is true, which gives the container every capability and all host devices: set privileged to false " +
                "(request GPUs with deviceRequests).");
        }
    })),
};
