import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-restrict-published-ports";

/** Published ports bind only to allowed host IPs; model-staging containers publish nothing. */
export const containerRestrictPublishedPorts: AirlockResourcePolicy = {
    name: NAME,
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that containers publish ports only on an allowed host IP (allowedPortBindIps) and never with publishAllPorts.",
    rationale: "A port published without an IP binds to 0.0.0.0 and makes the model API reachable from every network the host " +
        "is on, bypassing the internal network. Binding to loopback keeps access on the host (e.g. behind a reverse proxy). " +
        "One-shot roles (model-staging, volume-init) publish nothing at all: docker-container-verify-role-claim checks that.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove published ports (clients on the internal network reach the server directly), or set ports[].ip to an " +
        "allowed bind IP such as 127.0.0.1; set publishAllPorts to false.",
    configSchema: configSchemaFor("allowedPortBindIps"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        if (c.publishAllPorts === true) {
            report("publishAllPorts is true, which publishes every exposed port on all host interfaces: set publishAllPorts to false " +
                "and publish single ports bound to an allowed IP.");
        }
        const ports = c.ports ?? [];
        if (ports.length === 0) return;
        const { allowedPortBindIps } = readConfig(args, NAME, "allowedPortBindIps");
        const allowed = allowedPortBindIps.join(", ");
        ports.forEach((p, i) => {
            if (p.ip === undefined || p.ip === "") {
                report(`ports[${i}].ip is unset, so container port ${p.internal} is published on 0.0.0.0 (every host interface): ` +
                    `set ip to an allowed bind IP (${allowed}) or remove the port.`);
            } else if (!allowedPortBindIps.includes(p.ip)) {
                report(`ports[${i}].ip "${p.ip}" is not an allowed bind IP (allowed: ${allowed}): bind container port ${p.internal} ` +
                    "to an allowed IP or remove the port.");
            }
        });
    })),
};
