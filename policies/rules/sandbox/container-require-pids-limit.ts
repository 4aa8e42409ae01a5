import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify } from "../../lib/workload";

/** Training containers limit the number of processes (`nproc` ulimit; pulumi-docker has no pidsLimit). */
export const containerRequirePidsLimit: AirlockResourcePolicy = {
    name: "docker-container-require-pids-limit",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that training containers set an nproc ulimit with positive soft and hard limits.",
    rationale: "Training jobs run user-supplied code and data loaders that fork; a fork bomb exhausts the host's PID space. " +
        "pulumi-docker exposes no pids limit, so the nproc ulimit is the available bound.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Add { name: \"nproc\", soft: 512, hard: 512 } (sized for the job) to ulimits.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        if (classify(c).role !== "training") return;
        const nproc = (c.ulimits ?? []).find((u) => u.name === "nproc");
        if (nproc === undefined) {
            report("ulimits has no \"nproc\" entry, so the training container can create processes without limit: add " +
                "{ name: \"nproc\", soft: 512, hard: 512 } to ulimits.");
        } else if (!(nproc.soft > 0 && nproc.hard > 0)) {
            report(`ulimits "nproc" is soft ${nproc.soft} / hard ${nproc.hard}, which does not limit processes: set both to a positive limit.`);
        }
    })),
};
