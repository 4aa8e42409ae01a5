import * as path from "node:path";
import { FORBIDDEN_SWITCHES, VLLM_FORBIDDEN_FLAGS, hasVllmFlag, modelDirName, vllmFlagValues } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { isUnder, normalizePath } from "../../lib/paths";
import { envMap, lookupOf, workerOptions } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "runpod-template-restrict-trust-remote-code";
const FLAG = "--trust-remote-code";

/** Remote code only for an allow-listed model; no vLLM mode that runs foreign code or opens internals. */
export const templateRestrictTrustRemoteCode: AirlockResourcePolicy = {
    name: NAME,
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's worker runs --trust-remote-code (TRUST_REMOTE_CODE truthy, or in VLLM_EXTRA_ARGS) only for an allow-listed model served from its baked directory, and that no vLLM switch or flag that runs foreign code or exposes internals (VLLM_SERVER_DEV_MODE, VLLM_ALLOW_INSECURE_SERIALIZATION, runtime LoRA loading, the tokenizer-info endpoint) is on.",
    rationale: "--trust-remote-code executes Python shipped in the model repository with the worker's privileges, on a machine with " +
        "internet access. Only code reviewed at one commit may run; the baked directory /models/<org>--<name> identifies the model " +
        "and the bake pins its commit. The RunPod worker reads TRUST_REMOTE_CODE as true for true/1/yes/on in any case.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Set TRUST_REMOTE_CODE: \"false\" (or remove it and --trust-remote-code from VLLM_EXTRA_ARGS), or add the model " +
        "{model, revision} to trustRemoteCodeAllowlist after reviewing its code at that commit; remove the debug switches.",
    configSchema: configSchemaFor("trustRemoteCodeAllowlist", "allowedModelRoots"),
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, args, report) => {
        const env = envMap(p);
        const { options } = workerOptions(env);
        for (const sw of FORBIDDEN_SWITCHES) {
            const problem = sw.problem(lookupOf(env));
            if (problem !== undefined) report(`env: ${problem}: remove ${sw.name} or set it to "${sw.secure}".`);
        }
        for (const flag of VLLM_FORBIDDEN_FLAGS) {
            if (hasVllmFlag(options, flag)) report(`env turns on ${flag} (an internals endpoint of vLLM): remove it.`);
        }
        if (!hasVllmFlag(options, "--trust-remote-code")) return;
        const cfg = readConfig(args, NAME, "trustRemoteCodeAllowlist", "allowedModelRoots");
        const models = vllmFlagValues(options, "--model");
        if (models.length === 0) report(`${FLAG} is on but env names no model this policy can check: turn it off (TRUST_REMOTE_CODE: "false").`);
        for (const m of models) {
            const dir = path.posix.basename(normalizePath(m));
            const listed = m.startsWith("/") && cfg.allowedModelRoots.some((r) => isUnder(m, r))
                && cfg.trustRemoteCodeAllowlist.some((e) => modelDirName(e.model) === dir);
            if (!listed) {
                report(`${FLAG} is on for "${m}", which is not an allow-listed model's baked directory: set TRUST_REMOTE_CODE: "false", or ` +
                    "review the model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.");
            }
        }
    })),
};
