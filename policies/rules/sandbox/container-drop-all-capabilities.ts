import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-drop-all-capabilities";

/** `SYS_ADMIN`, `cap_sys_admin`, `CAP_SYS_ADMIN` → `SYS_ADMIN`. */
const normalizeCap = (c: string): string => c.trim().toUpperCase().replace(/^CAP_/, "");

/** Containers drop every capability and add back only allow-listed ones. */
export const containerDropAllCapabilities: AirlockResourcePolicy = {
    name: NAME,
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container drops ALL Linux capabilities (capabilities.drops) and adds back only capabilities listed in allowedCapabilities.",
    rationale: "Docker's default capability set still includes powerful ones (e.g. CAP_NET_RAW, CAP_CHOWN, CAP_SETUID); model " +
        "servers and training jobs need none of them. Dropping ALL shrinks what an exploited process can do.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set capabilities: { drops: [\"ALL\"] }; add a capability back only after review, via allowedCapabilities in the policy config.",
    configSchema: configSchemaFor("allowedCapabilities"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const drops = (c.capabilities?.drops ?? []).map(String);
        if (!drops.map(normalizeCap).includes("ALL")) {
            const got = drops.length === 0 ? "unset" : `[${drops.map((d) => `"${d}"`).join(", ")}]`;
            report(`capabilities.drops does not include "ALL" (got ${got}): set capabilities.drops to ["ALL"].`);
        }
        const adds = (c.capabilities?.adds ?? []).map(String);
        if (adds.length === 0) return;
        const allowed = readConfig(args, NAME, "allowedCapabilities").allowedCapabilities.map(normalizeCap);
        for (const a of adds) {
            if (!allowed.includes(normalizeCap(a))) {
                report(`capabilities.adds includes "${a}", which is not in allowedCapabilities (${allowed.join(", ") || "none allowed"}): ` +
                    "remove it, or allow it in the policy config after review.");
            }
        }
    })),
};
