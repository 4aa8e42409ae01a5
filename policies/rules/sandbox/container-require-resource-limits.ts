import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const positive = (n: unknown): boolean => typeof n === "number" && n > 0;
/** A cgroup cpuset list (`0-3`, `0,2,4-7`): the container may only run on those CPUs, a hard bound. */
const CPU_SET = /^\s*[0-9]+(-[0-9]+)?(\s*,\s*[0-9]+(-[0-9]+)?)*\s*$/;

/** Every container has a memory limit and a CPU limit. */
export const containerRequireResourceLimits: AirlockResourcePolicy = {
    name: "docker-container-require-resource-limits",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every container sets a memory limit (memory > 0) and a CPU limit (cpus, cpuShares, cpuQuota, or cpuSet pinning it to a list of CPUs).",
    rationale: "Without limits one runaway or malicious workload (a long prompt, a fork bomb, a leaking training loop) starves the " +
        "host and every other model on it.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set memory (MiB; memorySwap to the same value to disable swap) and cpus (e.g. \"4\").",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        if (!positive(c.memory)) {
            const got = c.memory === undefined ? "unset" : String(c.memory);
            report(`memory is ${got}, so the container may use all host memory: set memory (MiB) to a positive limit.`);
        }
        const cpus = c.cpus === undefined ? NaN : Number(c.cpus);
        if (!(cpus > 0) && !positive(c.cpuShares) && !positive(c.cpuQuota) && !CPU_SET.test(String(c.cpuSet ?? ""))) {
            report("none of cpus, cpuShares, cpuQuota or cpuSet is set, so the container may use every host CPU: set cpus (e.g. \"4\").");
        }
    })),
};
