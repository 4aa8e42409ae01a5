import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "runpod-endpoint-restrict-scaling-bounds";

/** RunPod's defaults when the field is unset (REST v2 create). */
const DEFAULTS = { workersMax: 3, idleTimeoutSec: 10, executionTimeoutMs: 300_000 };

/** Workers, idle time and request time stay under the environment's limits. */
export const endpointRestrictScalingBounds: AirlockResourcePolicy = {
    name: NAME,
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's workersMax, idleTimeoutSec and executionTimeoutMs (unset = RunPod's defaults 3, 10 s and 300 s) are at most maxRunPodWorkers, maxRunPodIdleTimeoutSec and maxRunPodExecutionTimeoutMs.",
    rationale: "Every worker is a GPU billed by the second, holding the model and the requests on a machine outside the enclave. The " +
        "bounds cap the spend and the exposure a misconfiguration, a request flood or a runaway request can cause; prod is stricter.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Lower workersMax, idleTimeoutSec or executionTimeoutMs to the environment's limit (policies/config/<env>.json), or raise the limit there after review.",
    configSchema: configSchemaFor("maxRunPodWorkers", "maxRunPodIdleTimeoutSec", "maxRunPodExecutionTimeoutMs"),
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, args, report) => {
        const cfg = readConfig(args, NAME, "maxRunPodWorkers", "maxRunPodIdleTimeoutSec", "maxRunPodExecutionTimeoutMs");
        const check = (field: keyof typeof DEFAULTS, limit: number, limitName: string, unit: string) => {
            const raw = p[field];
            const value = raw === undefined ? DEFAULTS[field] : raw;
            if (typeof value !== "number" || !Number.isFinite(value)) { report(`${field} is ${JSON.stringify(raw)}, not a number: set it to at most ${limit}${unit}.`); return; }
            if (value > limit) {
                report(`${field} is ${raw === undefined ? `unset (RunPod's default ${value}${unit})` : `${value}${unit}`}, above ${limitName} ${limit}${unit}: set it to at most ${limit}${unit}.`);
            }
        };
        check("workersMax", cfg.maxRunPodWorkers, "maxRunPodWorkers", "");
        // RunPod does not time out idle workers of a queue endpoint scaled by request count (it rejects the field).
        if (!(p.type === "QUEUE" && p.scalerType === "REQUEST_COUNT")) check("idleTimeoutSec", cfg.maxRunPodIdleTimeoutSec, "maxRunPodIdleTimeoutSec", " s");
        check("executionTimeoutMs", cfg.maxRunPodExecutionTimeoutMs, "maxRunPodExecutionTimeoutMs", " ms");
    })),
};
