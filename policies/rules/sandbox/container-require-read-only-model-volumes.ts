import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { attachments, modelRootOf } from "../../lib/container";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, mayWriteModelStore } from "../../lib/workload";

const NAME = "docker-container-require-read-only-model-volumes";

/** Model stores are mounted read-only everywhere except in the staging container that fills them. */
export const containerRequireReadOnlyModelVolumes: AirlockResourcePolicy = {
    name: NAME,
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every volume or mount under an allowed model root (allowedModelRoots, default /models) is read-only, except in a verified model-staging container.",
    rationale: "A writable model store lets a compromised server or job swap weights, tokenizer files or remote code that other " +
        "servers then load. Only the one-shot staging container, which downloads the pinned revision, writes it.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set readOnly: true on the model volume (volumes[].readOnly or mounts[].readOnly).",
    configSchema: configSchemaFor("allowedModelRoots"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const roots = readConfig(args, NAME, "allowedModelRoots").allowedModelRoots;
        const writable = attachments(c).filter((a) => modelRootOf(a.target, roots) !== undefined && !a.readOnly);
        if (writable.length === 0) return;
        const w = classify(c);
        if (mayWriteModelStore(w)) return;
        for (const a of writable) {
            report(`${a.field} mounts the model store at ${a.target} writable in this ${describeWorkload(w)}: set readOnly: true ` +
                "(only model-staging containers may write the model store).");
        }
    })),
};
