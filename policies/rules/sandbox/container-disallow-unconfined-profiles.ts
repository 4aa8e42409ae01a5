import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { FORBIDDEN_SECURITY_OPTS } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** No securityOpts that switch off seccomp, AppArmor, SELinux labelling or path masking. */
export const containerDisallowUnconfinedProfiles: AirlockResourcePolicy = {
    name: "docker-container-disallow-unconfined-profiles",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's securityOpts do not disable seccomp, AppArmor, SELinux labelling or /proc masking (e.g. seccomp=unconfined, apparmor:unconfined, label=disable).",
    rationale: "Docker's default seccomp and AppArmor profiles block the system calls most container escapes rely on; turning them " +
        "off removes a layer no model workload needs.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove the option from securityOpts so Docker's default profiles apply.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        for (const raw of c.securityOpts ?? []) {
            const o = String(raw).trim();
            const norm = o.toLowerCase().replace(/\s+/g, "");
            const hit = FORBIDDEN_SECURITY_OPTS.find((f) => norm === `${f.option}=${f.value}` || norm === `${f.option}:${f.value}`);
            if (hit) report(`securityOpts contains "${o}", which disables ${hit.disables}: remove it so Docker's default applies.`);
        }
    })),
};
