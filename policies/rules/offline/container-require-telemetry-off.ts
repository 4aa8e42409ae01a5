import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { TELEMETRY_OFF_SWITCHES } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { readContainerEnv } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, needsTelemetryOff } from "../../lib/workload";
import { requireSwitches } from "./container-require-offline-env";

/** Every container except a verified volume-init sends no usage statistics. */
export const containerRequireTelemetryOff: AirlockResourcePolicy = {
    name: "docker-container-require-telemetry-off",
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that every container except a verified volume-init one sets ${TELEMETRY_OFF_SWITCHES.map((s) => s.name).join(", ")} to values vLLM and huggingface_hub read as on.`,
    rationale: "vLLM collects usage statistics by default and huggingface_hub sends telemetry; both reveal the model, hardware and " +
        "deployment to third parties and are outbound connections an offline workload must not attempt. vLLM reads " +
        "VLLM_NO_USAGE_STATS and DO_NOT_TRACK (after VLLM_DO_NOT_TRACK) as on only for the exact string \"1\", so \"true\" leaves " +
        "usage stats on.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: `Add ${TELEMETRY_OFF_SWITCHES.map((s) => `"${s.name}=${s.secure}"`).join(", ")} to envs exactly as written (the Airlock components do this).`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!needsTelemetryOff(w)) return;
        requireSwitches(readContainerEnv(c), TELEMETRY_OFF_SWITCHES, `the ${describeWorkload(w)} could send telemetry`, report);
    })),
};
