import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { hostPathProblem } from "./container-disallow-sensitive-host-mounts";

/** A local-driver volume with `o: bind` is a bind mount in disguise; it may not point at a sensitive host path. */
export const volumeDisallowHostBind: AirlockResourcePolicy = {
    name: "docker-volume-disallow-host-bind",
    group: "sandbox",
    resourceType: DOCKER_TYPES.volume,
    description: "Checks that a docker.Volume whose driverOpts bind a host directory (o=bind, device=<path>) does not bind a runtime socket or a sensitive host path.",
    rationale: "The local volume driver can bind any host path (driverOpts { type: none, o: bind, device: /etc }); mounting such a " +
        "volume bypasses the container's hostPath checks.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the bind driverOpts and use a plain named volume.",
    validateResource: failClosed(validateResourceOfType(docker.Volume, (v, _args, report) => {
        const opts = v.driverOpts ?? {};
        const o = String(opts["o"] ?? "");
        const device = opts["device"];
        if (!/(^|,)r?bind(,|$)/.test(o) || device === undefined || device === "") return;
        const p = hostPathProblem("driverOpts.device", String(device));
        if (p) report(p);
    })),
};
