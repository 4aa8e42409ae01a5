import { RUNPOD_SECRET_REFERENCE, RUNPOD_WORKER_NON_SECRET_ENV, isSecretName, secretShapeIn } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { envMap } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Env vars the RunPod worker passes to vLLM on its command line (visible to every process of the worker). */
const ARGV_TOKENS = ["HF_TOKEN"];

/** Secrets reach a RunPod template only as `{{ RUNPOD_SECRET_<name> }}` references. */
export const templateRequireSecretReferences: AirlockResourcePolicy = {
    name: "runpod-template-require-secret-references",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that every secret-named env var of a RunPod endpoint's template is a {{ RUNPOD_SECRET_<name> }} reference, that no env value or args contains a credential-shaped string, and that HF_TOKEN is absent.",
    rationale: "A template's env and args are stored in plain text by RunPod and in the Pulumi state, shown in the console to everyone on " +
        "the account, and copied into every endpoint created from it. A RunPod secret is encrypted, write-only, and substituted only " +
        "when a worker boots. The RunPod vLLM worker also turns HF_TOKEN into vLLM's --hf-token argument (readable by every process " +
        "in the worker), and an offline server needs no Hub token.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Create a RunPod account secret (the Airlock Enclave does, from a secret config key) and set the env value to " +
        "{{ RUNPOD_SECRET_<name> }}; remove credentials from args; remove HF_TOKEN (bake gated models into the image instead).",
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        const env = envMap(p);
        for (const [key, value] of Object.entries(env)) {
            const reference = RUNPOD_SECRET_REFERENCE.test(value);
            if (ARGV_TOKENS.includes(key)) {
                report(`env.${key} is passed by the RunPod worker to vLLM as --hf-token on its command line, and an offline server needs no Hub token: remove it.`);
                continue;
            }
            const kind = secretShapeIn(value);
            if (kind !== undefined) {
                report(`env.${key} contains a credential (${kind}) in plain text: store it as a RunPod secret and set the value to {{ RUNPOD_SECRET_<name> }}.`);
            } else if (isSecretName(key) && !RUNPOD_WORKER_NON_SECRET_ENV.includes(key) && !reference) {
                report(`env.${key} names a secret but its value is not a {{ RUNPOD_SECRET_<name> }} reference: store the value as a RunPod secret and reference it.`);
            }
        }
        if (typeof p.args === "string") {
            const kind = secretShapeIn(p.args);
            if (kind !== undefined) report(`args contains a credential (${kind}): remove it; pass secrets as {{ RUNPOD_SECRET_<name> }} env references.`);
        }
    })),
};
