import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Swarm services run code outside the sealed container baseline. */
export const serviceDisallowSwarm: AirlockResourcePolicy = {
    name: "docker-service-disallow-swarm",
    group: "sandbox",
    resourceType: DOCKER_TYPES.service,
    description: "Checks that the stack declares no docker.Service (a swarm service), which the sealed baseline does not cover.",
    rationale: "A swarm service runs containers with its own networking (ingress routing mesh, overlay networks that may be " +
        "attachable), placement and secrets model; none of the container rules apply to it, so allowing it would exempt every " +
        "workload it runs. Airlock runs workloads as docker.Container on a sealed host, or on Kubernetes for scale-out.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Run the workload as a docker.Container (the Airlock components), or on the Kubernetes platform for several hosts.",
    validateResource: failClosed(validateResourceOfType(docker.Service, (s, _args, report) => {
        const image = s.taskSpec?.containerSpec?.image;
        report(`docker.Service${image ? ` (${image})` : ""} is a swarm service, which the container rules do not cover (its network, ` +
            "env and sandbox are not checked): run it as a docker.Container instead.");
    })),
};
