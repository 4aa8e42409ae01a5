import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { HUB_OFFLINE_ENV, TRUTHY_VALUES, isTruthy } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { envMap, parseEnvs } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, isModelWorkload } from "../../lib/workload";

/** Reports every key of `required` that `envs` does not set to a truthy value. */
export function requireTruthyEnv(
    envs: readonly unknown[] | undefined, required: Readonly<Record<string, string>>, why: string, report: (m: string) => void,
): void {
    const env = envMap(parseEnvs(envs));
    for (const [key, secure] of Object.entries(required)) {
        const value = env.get(key);
        if (!env.has(key)) {
            report(`envs does not set ${key}; ${why}: add "${key}=${secure}" to envs.`);
        } else if (!isTruthy(value)) {
            const shown = value === undefined ? "without a value" : `to "${value}"`;
            report(`envs sets ${key} ${shown}, which is not truthy (${TRUTHY_VALUES.join(", ")}): set "${key}=${secure}".`);
        }
    }
}

/** Inference and training containers run with the Hugging Face libraries offline. */
export const containerRequireOfflineEnv: AirlockResourcePolicy = {
    name: "docker-container-require-offline-env",
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that inference and training containers, and any recognised vLLM server, set ${Object.keys(HUB_OFFLINE_ENV).join(", ")} to a truthy value.`,
    rationale: "With these switches huggingface_hub, transformers and datasets read only local files: the serving phase can neither " +
        "download unreviewed weights or code nor leak which models it loads, even when a network path exists by mistake.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Add ${Object.entries(HUB_OFFLINE_ENV).map(([k, v]) => `"${k}=${v}"`).join(", ")} to envs (the Airlock components do this).`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!isModelWorkload(w)) return;
        requireTruthyEnv(c.envs, HUB_OFFLINE_ENV, `the ${describeWorkload(w)} could call the Hugging Face Hub`, report);
    })),
};
