import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { FORBIDDEN_SWITCHES, VLLM_FORBIDDEN_FLAGS } from "@airlock/baseline";
import { tokensOf, vllmOptionsOf } from "../../lib/argv";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { envSource, readContainerEnv, switchProblem } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify } from "../../lib/workload";

/** What each forbidden flag opens. */
const WHY: Readonly<Record<string, string>> = {
    "--enable-tokenizer-info-endpoint": "exposes the tokenizer's internals over the API",
    "--profiler-config": "enables profiler endpoints",
};

/** vLLM's development, pickle, runtime-LoRA and introspection switches stay off (vLLM security guide). */
export const containerDisallowVllmDangerousModes: AirlockResourcePolicy = {
    name: "docker-container-disallow-vllm-dangerous-modes",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that no container switches on ${FORBIDDEN_SWITCHES.map((s) => s.name).join(", ")} as vLLM reads them, and that no vLLM server passes ${VLLM_FORBIDDEN_FLAGS.join(" or ")} in any spelling.`,
    rationale: "vLLM's security guide: dev mode exposes RPC endpoints that amount to remote code execution, insecure serialization " +
        "unpickles untrusted data, runtime LoRA updating lets clients swap weights, and the profiler and tokenizer-info endpoints " +
        "leak internals. None is needed to serve a model. vLLM reads dev mode with bool(int(value)), so \"2\" or \" 1\" is on.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the env entries and flags (or set the env switches to 0).",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const env = readContainerEnv(c);
        for (const sw of FORBIDDEN_SWITCHES) {
            const p = switchProblem(env, sw);
            if (p !== undefined) report(`${envSource(env, sw.name)}: ${p}: remove it or set ${sw.name}=${sw.secure}.`);
        }
        const w = classify(c);
        if (!w.vllmServer) return;
        for (const o of vllmOptionsOf(tokensOf(w.argv))) {
            const flag = VLLM_FORBIDDEN_FLAGS.find((f) => o.flags.includes(f));
            const written = o.written.split("=")[0];
            if (flag !== undefined) report(`command passes ${written}${written === flag ? "" : ` (vLLM reads it as ${flag})`}, which ${WHY[flag] ?? "opens an unsafe vLLM mode"}: remove it.`);
        }
    })),
};
