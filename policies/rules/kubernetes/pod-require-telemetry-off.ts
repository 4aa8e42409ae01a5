import { TELEMETRY_OFF_SWITCHES } from "@airlock/baseline";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { envSourceKeysOf, workloadsOf } from "../../lib/kubernetes-stack";
import { requireKubernetesSwitches } from "../../lib/kubernetes-env";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { classifyPod, containersOf, describePod, envOf, namespaceOf } from "../../lib/pod";
import type { AirlockStackPolicy } from "../../lib/types";

/** Every container of every pod switches telemetry off. */
export const podRequireTelemetryOff: AirlockStackPolicy = {
    name: "kubernetes-pod-require-telemetry-off",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every container of every pod sets ${TELEMETRY_OFF_SWITCHES.map((s) => s.name).join(", ")} to literal values its consumers read as on.`,
    rationale: "vLLM reports usage statistics and huggingface_hub sends telemetry unless told not to: model names, hardware and usage " +
        "leave the enclave from the staging pods (which have egress) or wait for the first network path of any other pod. vLLM " +
        "compares with the exact string \"1\" (VLLM_NO_USAGE_STATS=true leaves statistics on) and lets a non-empty VLLM_DO_NOT_TRACK " +
        "override DO_NOT_TRACK.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: `Add ${TELEMETRY_OFF_SWITCHES.map((s) => `{ name: ${s.name}, value: "${s.secure}" }`).join(", ")} to env exactly as written.`,
    // Records what Analyze saw for every resource: validateStack reads those (lib/analyzed.ts), envFrom Secrets' and ConfigMaps' keys included.
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const keysIn = envSourceKeysOf(args.resources);
        const workloads = workloadsOf(args.resources, (r) => analyzedProps<Record<string, unknown>>(r));
        checkEach(workloads.map((x) => ({ ...x, urn: x.r.urn })), reportViolation, ({ r, t }, report) => {
            let w: ReturnType<typeof classifyPod> | undefined;
            const keysOf = keysIn(namespaceOf(t.metadata, r.provider).name);
            for (const ref of containersOf(t)) {
                const env = envOf(ref.c, keysOf);
                requireKubernetesSwitches(ref.field, env, TELEMETRY_OFF_SWITCHES, `${ref.label} of this ${describePod(w ??= classifyPod(t))} could send telemetry`, report);
            }
        });
    }),
};
