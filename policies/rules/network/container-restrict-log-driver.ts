import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { isSecretName, secretShapeIn } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-restrict-log-driver";

/** Container logs stay on the host, and log options hold no credential. */
export const containerRestrictLogDriver: AirlockResourcePolicy = {
    name: NAME,
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's logDriver keeps logs on the host (allowedLogDrivers: json-file, local, journald, none) and that logOpts hold no credential.",
    rationale: "A model server's logs carry prompts, completions and request metadata. A log driver such as syslog, gelf, fluentd, " +
        "awslogs, splunk or gcplogs ships them off the host from the Docker daemon itself, a path out of the enclave that no " +
        "container network rule sees. Drivers that ship logs take their tokens in logOpts (splunk-token, …), which are stored " +
        "in plaintext in the state. Unset, the daemon's default driver applies (json-file unless the host configures another).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove logDriver (or set \"local\" or \"json-file\") and collect logs on the host; remove credentials from logOpts.",
    configSchema: configSchemaFor("allowedLogDrivers"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const driver = c.logDriver;
        if (driver !== undefined && driver !== "") {
            const { allowedLogDrivers } = readConfig(args, NAME, "allowedLogDrivers");
            if (!allowedLogDrivers.includes(driver)) {
                report(`logDriver "${driver}" is not a driver that keeps logs on the host (${allowedLogDrivers.join(", ")}): it can ship ` +
                    "prompts and completions out of the enclave — remove logDriver or set \"local\".");
            }
        }
        for (const [key, value] of Object.entries(c.logOpts ?? {})) {
            const kind = secretShapeIn(String(value));
            if (kind !== undefined || (isSecretName(key) && String(value).length > 0)) {
                report(`logOpts.${key} holds a credential${kind ? ` (${kind})` : ""}, stored in plaintext in the state: remove it.`);
            }
        }
    })),
};
