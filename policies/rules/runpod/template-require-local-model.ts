import { vllmFlagValues } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { isUnder } from "../../lib/paths";
import { envMap, workerOptions } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "runpod-template-require-local-model";

/** The RunPod worker serves a model from a local path in the image, and reads no config the pack cannot see. */
export const templateRequireLocalModel: AirlockResourcePolicy = {
    name: NAME,
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that the model (and a separate tokenizer) a RunPod endpoint's worker serves, read from env as the RunPod vLLM worker reads it (MODEL_NAME, TOKENIZER_NAME, VLLM_EXTRA_ARGS last), is one local path under allowedModelRoots, and that no argument file (VLLM_CONFIG_FILE, --config) or unreadable value hides the rest.",
    rationale: "A hub id in MODEL_NAME makes the worker download the model when it starts, from the internet, at whatever the repository " +
        "holds then. Phase 1 bakes the reviewed commit into the image at /models/<org>--<name>; serving that path is what makes " +
        "the endpoint offline and pinned. An argument file or a value the worker cannot parse hides what it would serve.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Bake the model into the image (scripts/runpod-bake-model.ts) and set MODEL_NAME to its path, e.g. " +
        "/models/Qwen--Qwen3-4B-Instruct-2507; remove VLLM_CONFIG_FILE and --config.",
    configSchema: configSchemaFor("allowedModelRoots"),
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, args, report) => {
        const { allowedModelRoots } = readConfig(args, NAME, "allowedModelRoots");
        const { options, problems } = workerOptions(envMap(p));
        for (const problem of problems) report(`env: ${problem}: fix the value.`);
        const roots = allowedModelRoots.join(", ");
        const models = vllmFlagValues(options, "--model");
        if (models.length === 0) report(`env sets no model (MODEL_NAME), so the worker has nothing to serve: set MODEL_NAME to the baked model's path under ${roots}.`);
        if (models.length > 1) report(`env gives the model ${models.length} times (MODEL_NAME and VLLM_EXTRA_ARGS), and the last one wins: give it once, as MODEL_NAME.`);
        for (const [flag, what] of [["--model", "model"], ["--tokenizer", "tokenizer"]] as const) {
            for (const m of vllmFlagValues(options, flag)) {
                if (!m.startsWith("/")) {
                    report(`env makes the worker serve ${what} "${m}" from a model hub: bake it into the image and set its local path under ${roots}.`);
                } else if (!allowedModelRoots.some((r) => isUnder(m, r)) || m.split("/").includes("..")) {
                    report(`env makes the worker serve ${what} "${m}", which is not under an allowed model root (${roots}): use the baked path, e.g. /models/<org>--<name>.`);
                }
            }
        }
        if (options.some((o) => o.flags.includes("--config"))) {
            report("env passes an argument file (VLLM_CONFIG_FILE or --config), whose contents the pack cannot read: set the options as env vars instead.");
        }
    })),
};
