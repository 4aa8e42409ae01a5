import { ALTERNATE_HUB_SWITCHES, HUB_OFFLINE_SWITCHES } from "@airlock/baseline";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { envSourceKeysOf, workloadsOf } from "../../lib/kubernetes-stack";
import { requireKubernetesSwitches } from "../../lib/kubernetes-env";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { classifyPod, containersOf, describePod, envOf, namespaceOf, podNeedsOfflineEnv } from "../../lib/pod";
import type { AirlockStackPolicy } from "../../lib/types";

/** Every container of every sealed pod runs with the Hugging Face libraries offline. */
export const podRequireOfflineEnv: AirlockStackPolicy = {
    name: "kubernetes-pod-require-offline-env",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every container of every pod except a verified model-staging download sets ${HUB_OFFLINE_SWITCHES.map((s) => s.name).join(", ")} to a literal value huggingface_hub reads as on, and does not switch on ${ALTERNATE_HUB_SWITCHES.map((s) => s.name).join(", ")}.`,
    rationale: "With these switches huggingface_hub, transformers and datasets read only local files, so an inference or training pod can " +
        "neither download unreviewed weights or code nor leak which models it loads, even if a NetworkPolicy is missing. Values are " +
        "read as kubelet builds them (envFrom first, then env in order, $(VAR) expanded, the last entry wins) and as the libraries read " +
        "them (\"HF_HUB_OFFLINE= 1\" leaves the Hub online); a value from a Secret, a ConfigMap or envFrom cannot be read, so it does not count (an envFrom Secret or ConfigMap the stack " +
        "declares provides only its own keys).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Add ${HUB_OFFLINE_SWITCHES.map((s) => `{ name: ${s.name}, value: "${s.secure}" }`).join(", ")} to env (the Airlock components do this) and remove ${ALTERNATE_HUB_SWITCHES.map((s) => s.name).join(", ")}.`,
    // Records what Analyze saw for every resource: validateStack reads those (lib/analyzed.ts), envFrom Secrets' and ConfigMaps' keys included.
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const keysIn = envSourceKeysOf(args.resources);
        const workloads = workloadsOf(args.resources, (r) => analyzedProps<Record<string, unknown>>(r));
        checkEach(workloads.map((x) => ({ ...x, urn: x.r.urn })), reportViolation, ({ r, t }, report) => {
            const w = classifyPod(t);
            if (!podNeedsOfflineEnv(w)) return;
            const keysOf = keysIn(namespaceOf(t.metadata, r.provider).name);
            for (const ref of containersOf(t)) {
                const env = envOf(ref.c, keysOf);
                const who = `${ref.label} of this ${describePod(w)} could call a model hub`;
                requireKubernetesSwitches(ref.field, env, HUB_OFFLINE_SWITCHES, who, report);
                requireKubernetesSwitches(ref.field, env, ALTERNATE_HUB_SWITCHES, who, report);
            }
        });
    }),
};
