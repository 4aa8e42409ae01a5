import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { secretShapeIn } from "../../../src/baseline/secret-shapes";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { parseEnvs } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No credential-shaped string in envs, argv or the healthcheck command (messages never echo the value). */
export const containerDisallowLiteralSecrets: AirlockResourcePolicy = {
    name: "docker-container-disallow-literal-secrets",
    group: "secrets",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no env value, entrypoint, command or healthcheck argument of a container contains a credential-shaped string (Hugging Face, AWS, OpenAI-style, GitHub, RunPod tokens, private keys).",
    rationale: "Argv is visible to anyone who can run `docker inspect` or `ps` on the host, and resource inputs end up in the Pulumi " +
        "state and preview output. CrossGuard unwraps Pulumi secrets before a policy sees them, so the pack cannot tell a " +
        "pulumi.secret() value from a literal: any token-shaped value in envs is rejected too, which means real credentials must " +
        "reach the container another way (a secret store read at runtime, a mounted secret file), and inputs carry at most an " +
        "opaque, non-credential-shaped value.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the credential from the resource inputs; rotate it if it was ever committed or deployed. Deliver " +
        "credentials at runtime from a secret store, and never put them in argv.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        for (const e of parseEnvs(c.envs)) {
            const kind = e.value === undefined ? undefined : secretShapeIn(e.value);
            if (kind) {
                report(`envs entry ${e.key} contains a credential (${kind}): remove the credential from the program's inputs and deliver it ` +
                    "at runtime from a secret store (the policy sees secret values unwrapped, so it cannot accept it).");
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
    })),
};
