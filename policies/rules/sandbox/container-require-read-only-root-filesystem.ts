import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { tmpfsAllowsExec } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { isUnder } from "../../lib/paths";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-require-read-only-root-filesystem";

/** Every container's root file system is read-only, and its tmpfs mounts are noexec outside the JIT caches. */
export const containerRequireReadOnlyRootFilesystem: AirlockResourcePolicy = {
    name: NAME,
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every container sets readOnly: true (a read-only root file system) and mounts tmpfs with exec only under allowedExecTmpfsPaths.",
    rationale: "A writable root lets an attacker persist tools or modify the server's code and libraries; with a read-only root " +
        "the only writable places are the tmpfs mounts and volumes the program declares. Docker mounts tmpfs noexec unless told " +
        "otherwise; an exec tmpfs is a place to drop and run binaries, needed only where Triton and TorchInductor load the " +
        "kernels they compile (the cache root).",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set readOnly: true and give writable paths as tmpfs (e.g. /tmp, /cache with HOME and the HF/vLLM cache env " +
        "pointing there); remove \"exec\" from tmpfs options outside the JIT cache root.",
    configSchema: configSchemaFor("allowedExecTmpfsPaths"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        if (c.readOnly !== true) {
            const got = c.readOnly === undefined ? "unset" : String(c.readOnly);
            report(`readOnly is ${got}, so the container can modify its root file system: set readOnly: true and mount ` +
                "writable paths as tmpfs.");
        }
        const execMounts = Object.entries(c.tmpfs ?? {}).filter(([, options]) => tmpfsAllowsExec(String(options)));
        if (execMounts.length === 0) return;
        const { allowedExecTmpfsPaths } = readConfig(args, NAME, "allowedExecTmpfsPaths");
        for (const [target] of execMounts) {
            if (allowedExecTmpfsPaths.some((p) => target.startsWith("/") && isUnder(target, p))) continue;
            report(`tmpfs "${target}" is mounted with exec, a writable place to drop and run binaries: remove "exec" (Docker then ` +
                `mounts it noexec), or keep exec only under ${allowedExecTmpfsPaths.join(", ") || "no path"} (allowedExecTmpfsPaths).`);
        }
    })),
};
