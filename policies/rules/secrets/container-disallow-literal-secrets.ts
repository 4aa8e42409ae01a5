import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { isSecretName, NON_SECRET_ENV_NAMES, secretShapeIn } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { parseEnvs } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/**
 * No credential-shaped string in argv or the healthcheck command, and none in envs outside the protected channel:
 * a secret-named key on a container that keeps `envs` a secret output (messages never echo the value).
 */
export const containerDisallowLiteralSecrets: AirlockResourcePolicy = {
    name: "docker-container-disallow-literal-secrets",
    group: "secrets",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no entrypoint, command or healthcheck argument, label or uploaded file of a container contains a credential-shaped string (Hugging Face, AWS, OpenAI-style, GitHub, RunPod tokens, private keys), and that a credential in envs sits only under a secret-named key of a container that lists envs in additionalSecretOutputs.",
    rationale: "Argv is visible to anyone who can run `docker inspect` or `ps` on the host, and resource inputs end up in the Pulumi " +
        "state and preview output. CrossGuard unwraps Pulumi secrets before a policy sees them, so the pack cannot tell a " +
        "pulumi.secret() value from a literal. The one channel it can verify is an env entry under a secret-named key " +
        "(HF_TOKEN, VLLM_API_KEY, …) on a container whose resource options list envs in additionalSecretOutputs, so the value " +
        "stays encrypted in the state; a credential anywhere else (argv, an innocuously named variable, an unprotected env " +
        "list, a label anyone with `docker inspect` reads, a file uploaded into the container from plaintext state) is rejected.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the credential from the resource inputs; rotate it if it was ever committed or deployed. Deliver " +
        "credentials at runtime from a secret store, and never put them in argv.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const protectedEnvs = (args.opts.additionalSecretOutputs ?? []).includes("envs");
        for (const e of parseEnvs(c.envs)) {
            const kind = e.value === undefined ? undefined : secretShapeIn(e.value);
            if (!kind) continue;
            if (!isSecretName(e.key) || NON_SECRET_ENV_NAMES.includes(e.key)) {
                report(`envs entry ${e.key} contains a credential (${kind}) under a name that does not announce a secret: ` +
                    "remove it, or pass it from a Pulumi secret under a secret-named key (e.g. HF_TOKEN) with additionalSecretOutputs: [\"envs\"].");
            } else if (!protectedEnvs) {
                report(`envs entry ${e.key} contains a credential (${kind}) and additionalSecretOutputs does not list "envs", so it ` +
                    "would be stored in plaintext in the state: build it from a Pulumi secret and pass { additionalSecretOutputs: [\"envs\"] }.");
            }
        }
        const scan = (field: string, values: readonly unknown[] | undefined, fix: string) => (values ?? []).forEach((v, i) => {
            const kind = typeof v === "string" ? secretShapeIn(v) : undefined;
            if (kind) report(`${field}[${i}] contains a credential (${kind}): ${fix}`);
        });
        const argvFix = "remove it; a credential in argv is visible through docker inspect and ps — pass it by env from a secret.";
        scan("entrypoints", c.entrypoints, argvFix);
        scan("command", c.command, argvFix);
        scan("healthcheck.tests", c.healthcheck?.tests, argvFix);
        (c.labels ?? []).forEach((l, i) => {
            const value = String(l.value ?? "");
            const kind = secretShapeIn(value) ?? secretShapeIn(String(l.label ?? ""));
            if (kind) {
                report(`labels[${i}] (${l.label}) contains a credential (${kind}); labels are readable by anyone who can run docker inspect ` +
                    "and are stored in plaintext in the state: remove it.");
            }
        });
        (c.uploads ?? []).forEach((u, i) => {
            const b64 = u.contentBase64 === undefined ? "" : Buffer.from(String(u.contentBase64), "base64").toString("utf8");
            const kind = secretShapeIn(String(u.content ?? "")) ?? secretShapeIn(b64);
            if (kind) {
                report(`uploads[${i}] (${u.file}) writes a credential (${kind}) into the container from its plaintext inputs: remove it and ` +
                    "deliver the secret through a protected env entry or a secret store at runtime.");
            }
        });
    })),
};
