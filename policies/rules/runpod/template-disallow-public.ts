import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A RunPod template is never visible to other RunPod users. */
export const templateDisallowPublic: AirlockResourcePolicy = {
    name: "runpod-template-disallow-public",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that the template of a RunPod serverless endpoint (resourceKind runpod:endpoint) is not public (public is false or unset, RunPod's default).",
    rationale: "A public template is listed in RunPod's catalog for every user: its image reference, env (model path, settings, secret " +
        "names) and registry credential id describe the deployment to anyone, and others can start copies of it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set public: false on the endpoint's template (the Airlock RunPod InferenceServer does).",
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        if (p.public === true) report("public is true, which lists the template in RunPod's public catalog: set public: false.");
        else if (p.public !== undefined && p.public !== false) report(`public is ${JSON.stringify(p.public)}, not a boolean: set public: false.`);
    })),
};
