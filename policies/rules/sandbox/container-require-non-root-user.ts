import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { WORKLOAD_USER } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, isModelWorkload } from "../../lib/workload";

/** Whether a Docker `user` (`name|uid[:group|gid]`) is root. */
export const isRootUser = (user: string): boolean => ["root", "0"].includes((user.split(":")[0] ?? "").trim());

/** Inference and training containers run as a non-root user. */
export const containerRequireNonRootUser: AirlockResourcePolicy = {
    name: "docker-container-require-non-root-user",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that inference and training containers, and any recognised vLLM server, set user to a non-root user (not root, 0 or 0:<gid>).",
    rationale: "Most model images, including vllm/vllm-openai, run as root by default; root inside the container turns a kernel or " +
        "runtime bug into host compromise. Model-staging containers may run as root with every capability dropped, because the " +
        "fresh volume they fill is root-owned.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Set user to an unprivileged uid:gid such as "${WORKLOAD_USER}" and keep writable paths on tmpfs or volumes it owns.`,
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const w = classify(c);
        if (!isModelWorkload(w)) return;
        const user = c.user;
        if (user === undefined || user.trim() === "") {
            report(`user is unset, so this ${describeWorkload(w)} runs as the image's default user (often root): set user to a ` +
                `non-root uid:gid such as "${WORKLOAD_USER}".`);
        } else if (isRootUser(user)) {
            report(`user "${user}" runs this ${describeWorkload(w)} as root: set user to a non-root uid:gid such as "${WORKLOAD_USER}".`);
        }
    })),
};
