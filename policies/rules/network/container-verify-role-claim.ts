import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { ROLE_LABEL } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify } from "../../lib/workload";

/** A role label is a claim: a container that claims a role it does not look like is reported (and held to the sealed rules). */
export const containerVerifyRoleClaim: AirlockResourcePolicy = {
    name: "docker-container-verify-role-claim",
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: `Checks that a container's ${ROLE_LABEL} label names a known role and that the container looks like it: model-staging is a one-shot exec-form hf download that writes only where it downloads; volume-init is a one-shot exec-form chmod/chown of its own volumes without network; a model server is only ever inference.`,
    rationale: "The sealed rules relax only for roles that need it: a model-staging download may reach the Hub, a volume-init step " +
        "may run as root. A label anyone can write must not buy those exceptions, so the pack checks that the container is " +
        "what it claims — no restart, no GPU, no published port, no server, nothing written but the download target — and " +
        "otherwise holds it to the sealed rules and says why here.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Make the container match its role (the Airlock ModelStore and TrainingJob components do), or remove the " +
        "label so it is held to the sealed rules.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (w.claimProblems.length === 0) return;
        report(`labels claim ${ROLE_LABEL}="${w.label}", but ${w.claimProblems.join("; ")}: the container is held to the sealed ` +
            "rules — make it match the role or remove the label.");
    })),
};
