import { VLLM_API_KEY_ENV, hasVllmFlag, readVllmOptions } from "@airlock/baseline";
import { tokensOf } from "../../lib/argv";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { argvOfContainer, classifyPod, containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** vLLM servers authenticate clients with a key read from a Secret at runtime, never from argv. */
export const podRequireVllmApiKey: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-vllm-api-key",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every vLLM server container sets ${VLLM_API_KEY_ENV} from a required valueFrom.secretKeyRef (its last env entry for that name) and passes no --api-key in command or args.`,
    rationale: "Without a key vLLM's OpenAI-compatible API answers anyone who reaches it. In argv the key is part of the manifest and " +
        "visible to ps on the node ($(VAR) expansion does not hide it); an optional secretKeyRef whose key is missing starts the " +
        "server without authentication.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: `Add env: [{ name: ${VLLM_API_KEY_ENV}, valueFrom: { secretKeyRef: { name: <secret>, key: <key> } } }] and remove --api-key from the arguments.`,
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        const w = classifyPod(t);
        containersOf(t).forEach((ref, index) => {
            if (!w.vllmContainers.has(index)) return;
            if (hasVllmFlag(readVllmOptions(tokensOf(argvOfContainer(ref.c))), "--api-key")) {
                report(`${ref.field} passes --api-key in its arguments, where the key is visible in the manifest and to ps: ` +
                    `remove it and set ${VLLM_API_KEY_ENV} from a Secret.`);
            }
            const env = ref.c.env ?? [];
            let last = -1;
            env.forEach((e, i) => { if (e.name === VLLM_API_KEY_ENV) last = i; });
            const entry = last >= 0 ? env[last] : undefined;
            const ref2 = entry?.valueFrom?.secretKeyRef;
            if (entry === undefined) {
                report(`${ref.field}.env sets no ${VLLM_API_KEY_ENV}, so the vLLM server answers without authentication: set it from a Secret with valueFrom.secretKeyRef.`);
            } else if (ref2 === undefined) {
                report(`${ref.field}.env[${last}] (${VLLM_API_KEY_ENV}) does not read a Secret: use valueFrom.secretKeyRef.`);
            } else if (ref2.optional === true) {
                report(`${ref.field}.env[${last}] (${VLLM_API_KEY_ENV}) is an optional secretKeyRef, so a missing key starts the server without authentication: remove optional.`);
            }
        });
    })),
};
