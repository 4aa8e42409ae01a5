import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { TELEMETRY_OFF_ENV } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, isModelWorkload } from "../../lib/workload";
import { requireTruthyEnv } from "./container-require-offline-env";

/** Inference and training containers send no usage statistics. */
export const containerRequireTelemetryOff: AirlockResourcePolicy = {
    name: "docker-container-require-telemetry-off",
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that inference and training containers, and any recognised vLLM server, set ${Object.keys(TELEMETRY_OFF_ENV).join(", ")} to a truthy value.`,
    rationale: "vLLM collects usage statistics by default and huggingface_hub sends telemetry; both reveal the model, hardware and " +
        "deployment to third parties and are outbound connections an offline workload must not attempt.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: `Add ${Object.entries(TELEMETRY_OFF_ENV).map(([k, v]) => `"${k}=${v}"`).join(", ")} to envs (the Airlock components do this).`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!isModelWorkload(w)) return;
        requireTruthyEnv(c.envs, TELEMETRY_OFF_ENV, `the ${describeWorkload(w)} could send telemetry`, report);
    })),
};
