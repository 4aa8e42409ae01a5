import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { MODEL_ROOT, VLLM_ARGUMENT_FILE_FLAGS } from "@airlock/baseline";
import { opaqueShellReason, shellScript, tokensOf, vllmOptionsOf } from "../../lib/argv";
import { attachments } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { readContainerEnv } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import { isUnder } from "../../lib/paths";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload } from "../../lib/workload";

/** The pack reads a container's settings as Docker and vLLM will; what it cannot read is a violation, not a pass. */
export const containerRequireVerifiableConfig: AirlockResourcePolicy = {
    name: "docker-container-require-verifiable-config",
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's settings can be read before it runs: no env key set twice with different values, no vLLM flag that loads further arguments from a file (--config), and no model workload started through a shell string that expands or substitutes.",
    rationale: "pulumi-docker's envs is a set whose order the provider does not keep, so which of two values of one key wins is " +
        "unknown until the container runs (HF_HUB_OFFLINE=1 and HF_HUB_OFFLINE=0 side by side). vLLM's --config reads more " +
        "flags from a YAML file inside the container (--trust-remote-code among them) that the pack cannot see. A shell " +
        "string with $VAR, $(…), backticks, eval or escapes builds its command at run time. Each would let a setting the " +
        "other rules forbid through unseen, so each is rejected (fail closed).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set each env key once; pass vLLM options as flags in command instead of --config; start model servers and " +
        "jobs in exec form (entrypoints + command) with literal arguments.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const env = readContainerEnv(c);
        for (const key of env.conflicts) {
            report(`envs sets ${key} more than once with different values; envs is a set whose order the Docker provider does not ` +
                `keep, so which value wins cannot be verified: set ${key} once.`);
        }
        const w = classify(c);
        if (w.vllmServer) {
            for (const o of vllmOptionsOf(tokensOf(w.argv))) {
                const flag = o.flags.find((f) => VLLM_ARGUMENT_FILE_FLAGS.includes(f));
                if (flag === undefined) continue;
                report(`command passes ${o.written}${o.value !== undefined && !o.written.includes("=") ? ` ${o.value}` : ""}, which vLLM reads as ${flag}: ` +
                    "it loads further arguments from a file the pack cannot read: pass the options as flags in command instead.");
            }
        }
        const script = shellScript(w.argv);
        if (script === undefined) return;
        const opaque = opaqueShellReason(script);
        if (opaque === undefined) return;
        const gpus = (c.deviceRequests ?? []).length > 0 || (c.gpus !== undefined && c.gpus !== "");
        const modelMount = attachments(c).some((a) => a.target !== undefined && a.target.startsWith("/") && isUnder(a.target, MODEL_ROOT));
        const modelWorkload = w.server !== undefined || w.vllmServer || w.role === "inference" || w.role === "training" || gpus || modelMount;
        if (!modelWorkload) return;
        report(`command runs a shell string with ${opaque}, so the ${describeWorkload(w)}'s real command line is built at run time and ` +
            "cannot be checked: use the exec form (entrypoints + command) with literal arguments.");
    })),
};
