import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { sensitiveHostPathReason } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Why one plugin privilege is host-level, or undefined. */
function grantProblem(name: string, values: readonly string[]): string | undefined {
    switch (name) {
        case "network": return values.includes("host") ? "host networking" : undefined;
        case "allow-all-devices": return values.some((v) => v.toLowerCase() === "true") ? "every host device" : undefined;
        case "device": return values.length > 0 ? `host devices ${values.join(", ")}` : undefined;
        case "capabilities": return values.length > 0 ? `capabilities ${values.join(", ")}` : undefined;
        case "mount": {
            const bad = values.filter((v) => sensitiveHostPathReason(v) !== undefined);
            return bad.length > 0 ? `host mounts ${bad.join(", ")}` : undefined;
        }
        default: return undefined;
    }
}

/** A Docker plugin runs on the host with the privileges it is granted: none may be granted blindly or broadly. */
export const pluginDisallowBroadPermissions: AirlockResourcePolicy = {
    name: "docker-plugin-disallow-broad-permissions",
    group: "sandbox",
    resourceType: DOCKER_TYPES.plugin,
    description: "Checks that a docker.Plugin does not set grantAllPermissions and is not granted host networking, devices, capabilities or sensitive host mounts.",
    rationale: "A managed plugin is a container the daemon runs outside every container rule, with the privileges granted at " +
        "install: grantAllPermissions accepts whatever the plugin asks for (host network, all devices, CAP_SYS_ADMIN, mounts " +
        "of /), which is root on the host and a path out of every network rule.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove grantAllPermissions and grant only the reviewed, non-host privileges the plugin needs in grantPermissions.",
    validateResource: failClosed(validateResourceOfType(docker.Plugin, (p, _args, report) => {
        if (p.grantAllPermissions === true) {
            report(`grantAllPermissions is true, so plugin "${p.name}" gets every privilege it asks for (host network, devices, ` +
                "capabilities, host mounts): remove it and list reviewed grantPermissions.");
        }
        (p.grantPermissions ?? []).forEach((g, i) => {
            const problem = grantProblem(String(g.name), (g.values ?? []).map(String));
            if (problem) report(`grantPermissions[${i}] (${g.name}) grants ${problem}, a host-level privilege: remove it.`);
        });
    })),
};
