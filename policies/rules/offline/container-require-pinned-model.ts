import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { COMMIT_SHA, HUB_ID, vllmFlagValues } from "@airlock/baseline";
import { hubDownloads, tokensOf, vllmOptionsOf } from "../../lib/argv";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { isUnder, normalizePath } from "../../lib/paths";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, servedModelsOf } from "../../lib/workload";

const NAME = "docker-container-require-pinned-model";

/** Why serving `model` (with `revisions` from `revisionFlag`) is not pinned, or undefined. */
function modelProblem(
    what: string, model: string, revisions: readonly string[], revisionFlag: string, roots: readonly string[],
): string | undefined {
    const rootList = roots.join(", ");
    if (model.startsWith("/")) {
        if (roots.some((r) => isUnder(model, r))) return undefined;
        return `command serves ${what} "${model}", which is not under an allowed model root (${rootList}): serve the read-only ` +
            "model store mount, e.g. /models/<org>--<name>.";
    }
    if (!HUB_ID.test(model)) {
        return `command serves ${what} "${model}", which is neither an absolute path under an allowed model root (${rootList}) ` +
            "nor a hub id \"org/name\": serve the staged local path, e.g. /models/<org>--<name>.";
    }
    if (revisions.length === 0) {
        return `command serves hub ${what} "${model}" without ${revisionFlag}: serve the staged local path (/models/<org>--<name>) ` +
            `or pin the commit with ${revisionFlag} <40-hex commit>.`;
    }
    const bad = revisions.find((r) => !COMMIT_SHA.test(r));
    if (bad !== undefined) {
        return `command pins hub ${what} "${model}" with ${revisionFlag} "${bad}", which is not a 40-hex commit SHA: ` +
            "use the full commit id (a branch or tag can move).";
    }
    return undefined;
}

/** Served models are local paths under an allowed root or hub ids pinned to a commit; downloads pin a commit. */
export const containerRequirePinnedModel: AirlockResourcePolicy = {
    name: NAME,
    group: "offline",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a vLLM server serves a local path under an allowed model root or a hub id pinned with a 40-hex --revision (likewise --tokenizer), and that every `hf download` pins a 40-hex --revision.",
    rationale: "A branch name or an unpinned hub id resolves to whatever the repository holds at start-up, so weights and code can " +
        "change without review, and serving a hub id makes the server download at runtime. Serving the staged local path keeps " +
        "the airlock's two phases apart; a pinned commit makes the download reproducible.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Stage the model with `hf download <org/name> --revision <40-hex> --local-dir /models/<org>--<name>` and " +
        "serve `vllm serve /models/<org>--<name>` (the Airlock ModelStore and InferenceServer do this).",
    configSchema: configSchemaFor("allowedModelRoots"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const w = classify(c);
        const options = vllmOptionsOf(tokensOf(w.argv));
        const roots = () => readConfig(args, NAME, "allowedModelRoots").allowedModelRoots.map(normalizePath);
        if (w.vllmServer) {
            const models = servedModelsOf(c, w);
            if (models.length === 0) {
                report("command names no model, so vLLM would download its default model from the hub: serve a local path, " +
                    "e.g. `vllm serve /models/<org>--<name>`.");
            }
            for (const m of models) {
                const p = modelProblem("model", m, vllmFlagValues(options, "--revision"), "--revision", roots());
                if (p) report(p);
            }
            for (const t of vllmFlagValues(options, "--tokenizer")) {
                const p = modelProblem("tokenizer", t, vllmFlagValues(options, "--tokenizer-revision"), "--tokenizer-revision", roots());
                if (p) report(p);
            }
        }
        for (const d of hubDownloads(w.argv)) {
            const repo = d.repo ?? "<repo>";
            if (d.revisions.length === 0) {
                report(`command downloads "${repo}" from the hub without --revision: pin the reviewed commit with --revision <40-hex commit>.`);
            } else {
                const bad = d.revisions.find((r) => !COMMIT_SHA.test(r));
                if (bad !== undefined) {
                    report(`command downloads "${repo}" at --revision "${bad}", which is not a 40-hex commit SHA: use the full commit id.`);
                }
            }
        }
    })),
};
