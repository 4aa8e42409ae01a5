import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { hasVllmFlag, HUB_ID, modelDirName, vllmFlagValues } from "@airlock/baseline";
import { tokensOf, vllmOptionsOf } from "../../lib/argv";
import { type TrustedModel, configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { isUnder, normalizePath } from "../../lib/paths";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, servedModelsOf } from "../../lib/workload";
import * as path from "node:path";

const NAME = "docker-container-restrict-trust-remote-code";
const FLAG = "--trust-remote-code";

/** Why `model` may not run remote code, or undefined when it is allow-listed. */
function trustProblem(model: string, revisions: readonly string[], allow: readonly TrustedModel[], roots: readonly string[]): string | undefined {
    const notListed = `${FLAG} is set for "${model}", which is not on trustRemoteCodeAllowlist: remove ${FLAG}, or review the ` +
        "model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.";
    if (model.startsWith("/")) {
        // Local store layout /models/<org>--<name>: the directory names the model; the staging step pins its revision.
        const dir = path.posix.basename(normalizePath(model));
        const listed = roots.some((r) => isUnder(model, r)) && allow.some((e) => modelDirName(e.model) === dir);
        return listed ? undefined : notListed;
    }
    if (!HUB_ID.test(model)) return notListed;
    const entries = allow.filter((e) => e.model === model);
    if (entries.length === 0) return notListed;
    if (revisions.length === 1 && entries.some((e) => e.revision === revisions[0])) return undefined;
    const want = entries.map((e) => e.revision).join(" or ");
    const got = revisions.length === 0 ? "no --revision" : `--revision ${revisions.map((r) => `"${r}"`).join(", ")}`;
    return `${FLAG} for "${model}" requires --revision ${want} (the allow-listed commit), got ${got}: pin the reviewed commit.`;
}

/** `--trust-remote-code` only for an allow-listed model at its reviewed revision. */
export const containerRestrictTrustRemoteCode: AirlockResourcePolicy = {
    name: NAME,
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that --trust-remote-code, in any spelling vLLM accepts (--trust_remote_code, an abbreviation), is used only for a model on trustRemoteCodeAllowlist, at its allow-listed 40-hex revision for a hub id or from its staged directory under an allowed model root.",
    rationale: "--trust-remote-code executes Python shipped inside the model repository with the server's privileges. Only code that " +
        "was reviewed at one exact commit may run. For a local path (/models/<org>--<name>) the directory identifies the model; " +
        "its revision is pinned by the staging download (see docker-container-require-pinned-model), which this resource-level " +
        "rule cannot correlate.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove --trust-remote-code, or add {\"model\": \"<org/name>\", \"revision\": \"<40-hex>\"} to " +
        "trustRemoteCodeAllowlist after reviewing the repository's code at that commit.",
    configSchema: configSchemaFor("trustRemoteCodeAllowlist", "allowedModelRoots"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const w = classify(c);
        // Any spelling vLLM's parser accepts: --trust_remote_code, an unambiguous prefix, --trust-remote-code=… (which
        // argparse refuses for a switch: the server would not start, so it is no opt-out either).
        const options = vllmOptionsOf(tokensOf(w.argv));
        if (!hasVllmFlag(options, "--trust-remote-code")) return;
        const cfg = readConfig(args, NAME, "trustRemoteCodeAllowlist", "allowedModelRoots");
        const models = w.vllmServer ? servedModelsOf(c, w) : [];
        if (models.length === 0) {
            report(`${FLAG} is set but command names no model this policy can check: remove ${FLAG}, or run an allow-listed model ` +
                "with `vllm serve <model>`.");
        }
        for (const m of models) {
            const p = trustProblem(m, vllmFlagValues(options, "--revision"), cfg.trustRemoteCodeAllowlist, cfg.allowedModelRoots);
            if (p) report(p);
        }
    })),
};
