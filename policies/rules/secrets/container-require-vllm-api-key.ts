import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { VLLM_API_KEY_ENV } from "@airlock/baseline";
import { tokensOf, vllmOptionsOf } from "../../lib/argv";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { envSource, readContainerEnv, valuesOf } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify } from "../../lib/workload";

/** Every vLLM server requires an API key, read from the environment, never from argv. */
export const containerRequireVllmApiKey: AirlockResourcePolicy = {
    name: "docker-container-require-vllm-api-key",
    group: "secrets",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that every vLLM server sets ${VLLM_API_KEY_ENV} in envs and never passes --api-key in its argv.`,
    rationale: "Without an API key vLLM's OpenAI-compatible endpoints accept any request from the network. A key in argv is " +
        "readable by anyone who can run `docker inspect` or `ps` on the host. The pack cannot verify that the env value came from " +
        "a Pulumi secret (CrossGuard unwraps secrets); docker-container-require-secret-env-protection checks the envs option. " +
        "Note that vLLM's key protects only the /v1 routes: keep the server on an internal network as well.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: `Set "${VLLM_API_KEY_ENV}=<key>" in envs from a Pulumi secret, list envs in additionalSecretOutputs, and remove --api-key from the command.`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!w.vllmServer) return;
        const env = readContainerEnv(c);
        if (valuesOf(env, VLLM_API_KEY_ENV).some((key) => key === undefined || key.trim() === "")) {
            const source = envSource(env, VLLM_API_KEY_ENV);
            report(`${source === "envs" ? "envs does" : `${source} does`} not set ${VLLM_API_KEY_ENV}, so this vLLM server accepts unauthenticated requests: add ` +
                `"${VLLM_API_KEY_ENV}=<key>" built from a Pulumi secret (and list envs in additionalSecretOutputs).`);
        }
        const inArgv = vllmOptionsOf(tokensOf(w.argv)).find((o) => o.flags.includes("--api-key"));
        if (inArgv !== undefined) {
            const written = inArgv.written.split("=")[0];
            report(`command passes ${written}${written === "--api-key" ? "" : " (vLLM reads it as --api-key)"}, which exposes the key through docker inspect and ps: remove it and set ` +
                `${VLLM_API_KEY_ENV} in envs from a Pulumi secret.`);
        }
    })),
};
