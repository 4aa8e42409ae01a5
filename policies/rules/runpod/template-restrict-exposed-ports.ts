import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "runpod-template-restrict-exposed-ports";

/** A serverless template exposes no port beyond the allow-list (a queue endpoint needs none). */
export const templateRestrictExposedPorts: AirlockResourcePolicy = {
    name: NAME,
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's template exposes only ports listed in allowedRunPodPorts (default none: a queue endpoint receives requests through RunPod's queue).",
    rationale: "An exposed HTTP port is reachable from the internet through RunPod's proxy (https://<worker>-<port>.proxy.runpod.net), " +
        "beside the authenticated endpoint API; the RunPod vLLM worker binds vLLM to 127.0.0.1 and needs no port, so any exposed " +
        "port is a second, unreviewed way in.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove the port from ports (a queue endpoint needs none), or add it to allowedRunPodPorts after review.",
    configSchema: configSchemaFor("allowedRunPodPorts"),
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, args, report) => {
        const { allowedRunPodPorts } = readConfig(args, NAME, "allowedRunPodPorts");
        if (p.ports === undefined) return;
        if (!Array.isArray(p.ports)) { report(`ports is ${JSON.stringify(p.ports)}, not a list: set ports: [].`); return; }
        (p.ports as unknown[]).forEach((raw, i) => {
            const port = String(raw);
            if (!allowedRunPodPorts.includes(port)) {
                report(`ports[${i}] "${port}" is exposed through RunPod's public proxy and is not in allowedRunPodPorts ` +
                    `(${allowedRunPodPorts.join(", ") || "none"}): remove it; a queue endpoint needs no port.`);
            }
        });
    })),
};
