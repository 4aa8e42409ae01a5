import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DENIED_SYSCALLS, securityOptProblem } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-disallow-unconfined-profiles";

/** No securityOpts that switch off or replace seccomp, AppArmor, SELinux labelling or path masking with something unverifiable. */
export const containerDisallowUnconfinedProfiles: AirlockResourcePolicy = {
    name: NAME,
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's securityOpts (key=value or the legacy key:value) do not disable seccomp, AppArmor, SELinux labelling or /proc masking, do not select a permissive inline seccomp profile, and select AppArmor profiles or SELinux types only from Docker's defaults or allowedSecurityProfiles.",
    rationale: "Docker's default seccomp and AppArmor profiles block the system calls most container escapes rely on; turning them " +
        "off removes a layer no model workload needs. Docker also takes a seccomp profile inline as JSON: one whose " +
        "defaultAction allows, or that allows a call Docker's default denies (" + DENIED_SYSCALLS.slice(0, 6).join(", ") + ", …), " +
        "is as open as unconfined. A custom AppArmor profile or SELinux type lives on the host, where the pack cannot read it, " +
        "so it must be reviewed and listed.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove the option from securityOpts so Docker's default profiles apply; give an inline seccomp profile a " +
        "denying defaultAction, or list a reviewed AppArmor profile or SELinux type in allowedSecurityProfiles.",
    configSchema: configSchemaFor("allowedSecurityProfiles"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const opts = (c.securityOpts ?? []).map(String);
        if (opts.length === 0) return;
        const { allowedSecurityProfiles } = readConfig(args, NAME, "allowedSecurityProfiles");
        opts.forEach((o, i) => {
            const p = securityOptProblem(o, allowedSecurityProfiles);
            const shown = o.length > 80 ? `${o.slice(0, 77)}...` : o;
            if (p) report(`securityOpts[${i}] "${shown}" ${p}: remove it so Docker's default applies.`);
        });
    })),
};
