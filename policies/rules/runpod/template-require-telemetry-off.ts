import { TELEMETRY_OFF_SWITCHES } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { envMap, lookupOf } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** vLLM usage stats and Hub telemetry are off in the RunPod worker. */
export const templateRequireTelemetryOff: AirlockResourcePolicy = {
    name: "runpod-template-require-telemetry-off",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: `Checks that a RunPod endpoint's env sets ${TELEMETRY_OFF_SWITCHES.map((s) => s.name).join(", ")} to values vLLM and huggingface_hub read as on.`,
    rationale: "vLLM reports usage statistics (model architecture, GPU, settings) to its maintainers unless told not to, and huggingface_hub " +
        "sends telemetry; a RunPod worker has the egress to do both. vLLM compares its switches with the exact string \"1\".",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: `Add ${TELEMETRY_OFF_SWITCHES.map((s) => `${s.name}: "${s.secure}"`).join(", ")} to env (the Airlock RunPod InferenceServer does).`,
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        const env = lookupOf(envMap(p));
        for (const sw of TELEMETRY_OFF_SWITCHES) {
            const problem = sw.problem(env);
            if (problem === undefined) continue;
            const reading = problem.endsWith("is not set") ? problem : `${problem} (${sw.reading})`;
            report(`env: ${reading}, so the RunPod worker could send telemetry: set ${sw.name}: "${sw.secure}".`);
        }
    })),
};
