import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { NO_NEW_PRIVILEGES_OPTS } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** `securityOpts` includes no-new-privileges and never turns it off. */
export const containerRequireNoNewPrivileges: AirlockResourcePolicy = {
    name: "docker-container-require-no-new-privileges",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's securityOpts include no-new-privileges (\"no-new-privileges\", \":true\" or \"=true\") and never disable it.",
    rationale: "no-new-privileges stops setuid binaries and file capabilities from raising a process's privileges, which closes the " +
        "usual path from a code-execution bug to root inside the container.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Add \"no-new-privileges:true\" to securityOpts (the Airlock components do this).",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const opts = (c.securityOpts ?? []).map((o) => String(o).trim());
        const norm = opts.map((o) => o.toLowerCase().replace(/\s+/g, ""));
        const disabled = opts.filter((_o, i) => /^no-new-privileges[:=](false|0)$/.test(norm[i] ?? ""));
        for (const d of disabled) report(`securityOpts contains "${d}", which disables no-new-privileges: use "no-new-privileges:true".`);
        if (disabled.length === 0 && !norm.some((o) => NO_NEW_PRIVILEGES_OPTS.includes(o))) {
            report("securityOpts does not include \"no-new-privileges:true\", so setuid binaries can raise privileges: add " +
                "\"no-new-privileges:true\" to securityOpts.");
        }
    })),
};
