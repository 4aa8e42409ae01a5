import { ROLE_LABEL } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { classifyPod, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A role label on a pod template is a claim: a pod that claims a role it does not look like is reported (and sealed). */
export const podVerifyRoleClaim: AirlockResourcePolicy = {
    name: "kubernetes-pod-verify-role-claim",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that a pod template's ${ROLE_LABEL} label names a known role and that the pod looks like it: model-staging is a Job (or a run-once Pod) whose containers are exec-form hf downloads that write only where they download, without GPUs or ports; a model server is only ever inference.`,
    rationale: "Only model staging relaxes the sealed rules on Kubernetes: its pods may reach the Hub (through the enclave's egress " +
        "policy) and write the model volume. A label anyone can write must not buy that, so the pack checks that the pod is what it " +
        "claims and otherwise holds it to the sealed rules, saying why here.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Make the pod match its role (the Airlock ModelStore component does), or remove the label so it is held to the sealed rules.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        const w = classifyPod(t);
        if (w.claimProblems.length === 0) return;
        report(`${t.labelsField} claims ${ROLE_LABEL}="${w.label}", but ${w.claimProblems.join("; ")}: the pod is held to the sealed rules — make it match the role or remove the label.`);
    })),
};
