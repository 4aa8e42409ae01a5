import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { isTruthy, VLLM_FORBIDDEN_FLAGS, VLLM_FORBIDDEN_TRUTHY_ENV } from "@airlock/baseline";
import { argvOf, hasFlag, tokensOf } from "../../lib/argv";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { envMap, parseEnvs } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** What each forbidden switch opens (falls back to a generic phrase for entries added to the baseline later). */
const WHY: Readonly<Record<string, string>> = {
    VLLM_SERVER_DEV_MODE: "enables vLLM's development endpoints (arbitrary RPC into the engine)",
    VLLM_ALLOW_RUNTIME_LORA_UPDATING: "lets API clients load LoRA adapters at runtime",
    "--enable-tokenizer-info-endpoint": "exposes the tokenizer's internals over the API",
    "--profiler-config": "enables profiler endpoints",
};

/** vLLM's development, runtime-LoRA and introspection switches stay off (vLLM security guide). */
export const containerDisallowVllmDangerousModes: AirlockResourcePolicy = {
    name: "docker-container-disallow-vllm-dangerous-modes",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that no container sets ${VLLM_FORBIDDEN_TRUTHY_ENV.join(" or ")} to a truthy value or passes ${VLLM_FORBIDDEN_FLAGS.join(" or ")}.`,
    rationale: "vLLM's security guide: dev mode exposes RPC endpoints that amount to remote code execution, runtime LoRA updating " +
        "lets clients swap weights, and the profiler and tokenizer-info endpoints leak internals. None is needed to serve a model.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the env entries and flags (or set the env switches to 0).",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const env = envMap(parseEnvs(c.envs));
        for (const key of VLLM_FORBIDDEN_TRUTHY_ENV) {
            const value = env.get(key);
            if (isTruthy(value)) {
                report(`envs sets ${key}="${value}", which ${WHY[key] ?? "opens an unsafe vLLM mode"}: remove it or set ${key}=0.`);
            }
        }
        const tokens = tokensOf(argvOf(c));
        for (const flag of VLLM_FORBIDDEN_FLAGS) {
            if (hasFlag(tokens, flag)) report(`command passes ${flag}, which ${WHY[flag] ?? "opens an unsafe vLLM mode"}: remove it.`);
        }
    })),
};
