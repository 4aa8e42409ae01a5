import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No raw host devices; GPUs come through deviceRequests. */
export const containerDisallowHostDevices: AirlockResourcePolicy = {
    name: "docker-container-disallow-host-devices",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that no container maps raw host devices (devices) or opens device access through deviceCgroupRules; GPUs are requested with deviceRequests.",
    rationale: "A raw device node (/dev/mem, a disk, /dev/nvidia* outside the runtime) bypasses the device cgroup the NVIDIA runtime " +
        "sets up and can expose host memory or storage; a device cgroup rule (\"c *:* rmw\") lets the container open any device " +
        "node it can create.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove devices and deviceCgroupRules; request GPUs with deviceRequests: [{ driver: \"nvidia\", count: N, capabilities: [\"gpu\"] }].",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        (c.devices ?? []).forEach((d, i) => {
            report(`devices[${i}] maps host device "${d.hostPath}" into the container: remove it and request GPUs with deviceRequests.`);
        });
        (c.deviceCgroupRules ?? []).forEach((r, i) => {
            report(`deviceCgroupRules[${i}] "${r}" lets the container access host devices outside the GPU runtime: remove it and request GPUs with deviceRequests.`);
        });
    })),
};
