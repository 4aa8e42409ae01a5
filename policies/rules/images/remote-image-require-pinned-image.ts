import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { pinningProblem } from "../../lib/image";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Pulled images are pinned by digest and never use `latest`. */
export const remoteImageRequirePinnedImage: AirlockResourcePolicy = {
    name: "docker-remote-image-require-pinned-image",
    group: "images",
    resourceType: DOCKER_TYPES.remoteImage,
    description: "Checks that a RemoteImage's name is pinned by digest (@sha256:<64 hex>) and does not use the latest tag.",
    rationale: "RemoteImage pulls what its name resolves to; with a tag that is whatever the registry holds at pull time. A digest " +
        "pins the reviewed content.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set name to <registry>/<repository>:<version>@sha256:<digest>.",
    validateResource: failClosed(validateResourceOfType(docker.RemoteImage, (r, _args, report) => {
        const p = pinningProblem("name", String(r.name ?? ""));
        if (p) report(p);
    })),
};
