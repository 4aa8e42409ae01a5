import { VLLM_API_KEY_ENV, hasVllmFlag, readVllmOptions } from "@airlock/baseline";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { tokensOf } from "../../lib/argv";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { envSourceKeysOf, workloadsOf } from "../../lib/kubernetes-stack";
import { POD_POLICY_TYPES, type ContainerSpecProps } from "../../lib/kubernetes-types";
import { type EnvSourceKeys, argvOfContainer, classifyPod, containersOf, namespaceOf } from "../../lib/pod";
import type { AirlockStackPolicy } from "../../lib/types";

/**
 * Where the container's VLLM_API_KEY comes from when no env entry sets it: the last envFrom source that provides it
 * (later sources win). `ok` only for a required secretRef to a Secret of the stack that has the key; a source the
 * stack does not declare might provide it, so it decides as `unverifiable`.
 */
function envFromApiKey(c: ContainerSpecProps, ns: string | undefined, keysOf: EnvSourceKeys):
    { readonly i: number; readonly problem: string | undefined } | undefined {
    const froms = c.envFrom ?? [];
    for (let i = froms.length - 1; i >= 0; i--) {
        const f = froms[i]!;
        const prefix = String(f.prefix ?? "");
        if (!VLLM_API_KEY_ENV.startsWith(prefix)) continue;
        const key = VLLM_API_KEY_ENV.slice(prefix.length);
        if (f.secretRef !== undefined) {
            const name = String(f.secretRef.name ?? "");
            const keys = keysOf("secretRef", name);
            if (keys === undefined) return { i, problem: `envFrom[${i}] reads Secret "${name}", which is not declared in this stack${ns === undefined ? " (the pod's namespace is unset)" : ` in namespace "${ns}"`}, so whether it sets ${VLLM_API_KEY_ENV} cannot be verified` };
            if (!keys.has(key)) continue;
            if (f.secretRef.optional === true) return { i, problem: `envFrom[${i}] (Secret "${name}") is optional, so a missing Secret starts the server without authentication` };
            return { i, problem: undefined };
        }
        if (f.configMapRef !== undefined) {
            if (keysOf("configMapRef", String(f.configMapRef.name ?? ""))?.has(key) === false) continue;
            return { i, problem: `envFrom[${i}] reads ConfigMap "${String(f.configMapRef.name ?? "")}", which may set ${VLLM_API_KEY_ENV} from a ConfigMap, not a Secret (a later entry wins over an earlier Secret)` };
        }
    }
    return undefined;
}

/** vLLM servers authenticate clients with a key read from a Secret at runtime, never from argv. */
export const podRequireVllmApiKey: AirlockStackPolicy = {
    name: "kubernetes-pod-require-vllm-api-key",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every vLLM server container sets ${VLLM_API_KEY_ENV} from a required valueFrom.secretKeyRef (its last env entry for that name), or, without an env entry, from a required envFrom secretRef to a Secret of the stack whose data or stringData has the key, and passes no --api-key in command or args.`,
    rationale: "Without a key vLLM's OpenAI-compatible API answers anyone who reaches it. In argv the key is part of the manifest and " +
        "visible to ps on the node ($(VAR) expansion does not hide it); an optional secretKeyRef whose key is missing starts the " +
        "server without authentication. An envFrom source provides only the keys its Secret holds, so the pack reads the Secret " +
        "the stack declares (as Analyze saw it); one the stack does not declare cannot be verified.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: `Add env: [{ name: ${VLLM_API_KEY_ENV}, valueFrom: { secretKeyRef: { name: <secret>, key: <key> } } }] (or envFrom a Secret of the stack with a ${VLLM_API_KEY_ENV} key) and remove --api-key from the arguments.`,
    // Records what Analyze saw for every resource: validateStack reads those (lib/analyzed.ts).
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const keysIn = envSourceKeysOf(args.resources);
        const workloads = workloadsOf(args.resources, (r) => analyzedProps<Record<string, unknown>>(r));
        checkEach(workloads.map((w) => ({ ...w, urn: w.r.urn })), reportViolation, ({ r, t }, report) => {
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
                    const from = envFromApiKey(ref.c, namespaceOf(t.metadata, r.provider).name, keysIn(namespaceOf(t.metadata, r.provider).name));
                    if (from === undefined) {
                        report(`${ref.field}.env sets no ${VLLM_API_KEY_ENV} and no envFrom Secret of this stack has it, so the vLLM server answers without authentication: set it from a Secret with valueFrom.secretKeyRef.`);
                    } else if (from.problem !== undefined) {
                        report(`${ref.field}.env sets no ${VLLM_API_KEY_ENV} and ${from.problem}: set it from a Secret with valueFrom.secretKeyRef.`);
                    }
                } else if (ref2 === undefined) {
                    report(`${ref.field}.env[${last}] (${VLLM_API_KEY_ENV}) does not read a Secret: use valueFrom.secretKeyRef.`);
                } else if (ref2.optional === true) {
                    report(`${ref.field}.env[${last}] (${VLLM_API_KEY_ENV}) is an optional secretKeyRef, so a missing key starts the server without authentication: remove optional.`);
                }
            });
        });
    }),
};
