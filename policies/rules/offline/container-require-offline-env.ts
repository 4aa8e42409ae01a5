import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { ALTERNATE_HUB_SWITCHES, type EnvSwitch, HUB_OFFLINE_SWITCHES } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { type ContainerEnv, envSource, readContainerEnv, switchCulprit, switchProblem } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, needsOfflineEnv } from "../../lib/workload";

/** Reports every switch of `switches` that is not in its secure state, as its consumers read it. */
export function requireSwitches(
    env: ContainerEnv, switches: readonly EnvSwitch[], consequence: string, report: (m: string) => void,
): void {
    for (const sw of switches) {
        const p = switchProblem(env, sw);
        if (p === undefined) continue;
        const source = envSource(env, sw.name);
        const culprit = switchCulprit(sw, p);
        const fix = culprit === undefined ? `set "${sw.name}=${sw.secure}"` : `set "${culprit}=${sw.secure}" (or remove it and keep "${sw.name}=${sw.secure}")`;
        report(`${source}: ${p}, so ${consequence}: ${fix}${source === "envs" ? "" : " in envs and remove the command line's change to it"}.`);
    }
}

/** Every sealed container runs with the Hugging Face libraries offline and no alternative hub switched on. */
export const containerRequireOfflineEnv: AirlockResourcePolicy = {
    name: "docker-container-require-offline-env",
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that every container except a verified model-staging or volume-init one sets ${HUB_OFFLINE_SWITCHES.map((s) => s.name).join(", ")} to a value huggingface_hub reads as on, and does not switch on ${ALTERNATE_HUB_SWITCHES.map((s) => s.name).join(", ")}.`,
    rationale: "With these switches huggingface_hub, transformers and datasets read only local files: the serving phase can neither " +
        "download unreviewed weights or code nor leak which models it loads, even when a network path exists by mistake. Values " +
        "are read exactly as the libraries read them: huggingface_hub compares the upper-cased value with 1, ON, YES and TRUE " +
        "without trimming, so \"HF_HUB_OFFLINE= 1\" leaves the Hub online. vLLM's ModelScope switch would load models from a " +
        "second hub these switches do not cover.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Add ${HUB_OFFLINE_SWITCHES.map((s) => `"${s.name}=${s.secure}"`).join(", ")} to envs exactly as written (the Airlock components do this) and remove ${ALTERNATE_HUB_SWITCHES.map((s) => s.name).join(", ")}.`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!needsOfflineEnv(w)) return;
        const env = readContainerEnv(c);
        const who = `the ${describeWorkload(w)} could call a model hub`;
        requireSwitches(env, HUB_OFFLINE_SWITCHES, who, report);
        requireSwitches(env, ALTERNATE_HUB_SWITCHES, who, report);
    })),
};
