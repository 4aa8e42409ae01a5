import { NON_SECRET_ENV_NAMES, describeValueFrom, isSecretName, secretShapeIn } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Secret-named env entries come from a Secret (valueFrom.secretKeyRef); no credential-shaped literal anywhere. */
export const podDisallowLiteralSecrets: AirlockResourcePolicy = {
    name: "kubernetes-pod-disallow-literal-secrets",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every env entry with a secret-like name (token, key, password, …) takes its value from valueFrom.secretKeyRef, and that no env value, command or args element contains a credential-shaped string.",
    rationale: "A literal in a manifest is stored in plaintext in the Pulumi state, shown by `kubectl get -o yaml` to anyone who may read " +
        "the workload, and kept in every ReplicaSet revision. CrossGuard unwraps Pulumi secrets before a policy sees them, so the pack " +
        "cannot tell a pulumi.secret() literal from a plain one: the verifiable channel is a secretKeyRef, resolved by kubelet at " +
        "runtime. A ConfigMap is not a secret store.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Create a Secret (from a Pulumi secret) and reference it: env: [{ name: HF_TOKEN, valueFrom: { secretKeyRef: { name, key } } }]; " +
        "never pass a credential in command or args; rotate any credential that was committed.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            (ref.c.env ?? []).forEach((e, i) => {
                const name = String(e.name ?? "");
                const field = `${ref.field}.env[${i}] (${name})`;
                const literal = e.valueFrom === undefined || e.valueFrom === null;
                const kind = literal && typeof e.value === "string" ? secretShapeIn(e.value) : undefined;
                if (kind !== undefined) {
                    report(`${field} contains a credential (${kind}) as a literal value: remove it, rotate it, and read it from a Secret with valueFrom.secretKeyRef.`);
                } else if (isSecretName(name) && !NON_SECRET_ENV_NAMES.includes(name)) {
                    if (literal) {
                        if (e.value !== undefined && e.value !== "") {
                            report(`${field} has a literal value under a secret-like name: read it from a Secret with valueFrom.secretKeyRef.`);
                        }
                    } else if (e.valueFrom?.secretKeyRef === undefined) {
                        report(`${field} reads ${describeValueFrom(e.valueFrom)}, which is not a Secret: use valueFrom.secretKeyRef.`);
                    }
                }
            });
            for (const key of ["command", "args"] as const) {
                (ref.c[key] ?? []).forEach((a, i) => {
                    const kind = typeof a === "string" ? secretShapeIn(a) : undefined;
                    if (kind) report(`${ref.field}.${key}[${i}] contains a credential (${kind}), visible in the manifest and to ps: remove it and read it from a Secret through env.`);
                });
            }
        }
    })),
};
