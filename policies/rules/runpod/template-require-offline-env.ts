import { ALTERNATE_HUB_SWITCHES, HUB_OFFLINE_SWITCHES } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { envMap, lookupOf } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** The RunPod worker serves with the Hugging Face libraries offline. */
export const templateRequireOfflineEnv: AirlockResourcePolicy = {
    name: "runpod-template-require-offline-env",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: `Checks that a RunPod endpoint's env sets ${HUB_OFFLINE_SWITCHES.map((s) => s.name).join(", ")} to a value huggingface_hub reads as on and does not switch on ${ALTERNATE_HUB_SWITCHES.map((s) => s.name).join(", ")}.`,
    rationale: "RunPod workers have internet access. With these switches huggingface_hub, transformers and datasets read only the model " +
        "baked into the image: the worker cannot download unreviewed weights or code, nor tell the Hub what it loads. The RunPod " +
        "worker forces them only for models baked by its own script; an Airlock template sets them itself. Values are read as the " +
        "libraries read them (\"HF_HUB_OFFLINE= 1\" leaves the Hub online).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Add ${HUB_OFFLINE_SWITCHES.map((s) => `${s.name}: "${s.secure}"`).join(", ")} to env exactly as written (the Airlock RunPod InferenceServer does).`,
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        const env = lookupOf(envMap(p));
        for (const sw of [...HUB_OFFLINE_SWITCHES, ...ALTERNATE_HUB_SWITCHES]) {
            const problem = sw.problem(env);
            if (problem === undefined) continue;
            const reading = problem.endsWith("is not set") ? problem : `${problem} (${sw.reading})`;
            report(`env: ${reading}, so the RunPod worker could call a model hub: set ${sw.name}: "${sw.secure}".`);
        }
    })),
};
