import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { pinningProblem } from "../../lib/image";
import type { AirlockResourcePolicy } from "../../lib/types";

/** The image of a RunPod template is pinned by digest. */
export const templateRequirePinnedImage: AirlockResourcePolicy = {
    name: "runpod-template-require-pinned-image",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's image is pinned by digest (@sha256:<64 hex>) and does not use the latest tag.",
    rationale: "RunPod workers pull the image when they start, long after the deployment was reviewed; with a tag they may run whatever " +
        "the tag points to that day (and FlashBoot may keep a stale cached copy). Only a digest names the image whose baked model " +
        "and worker code were reviewed.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Reference the image as <registry>/<repository>:<tag>@sha256:<digest> (the bake prints the digest it pushed).",
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        const problem = pinningProblem("image", typeof p.image === "string" ? p.image : "");
        if (problem) report(problem);
    })),
};
