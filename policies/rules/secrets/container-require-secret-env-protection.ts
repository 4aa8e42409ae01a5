import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { isSecretName, NON_SECRET_ENV_NAMES } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { parseEnvs } from "../../lib/env";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A secret-named env entry makes `envs` a secret output of the container. */
export const containerRequireSecretEnvProtection: AirlockResourcePolicy = {
    name: "docker-container-require-secret-env-protection",
    group: "secrets",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container whose envs hold a secret-named key (token, password, api key, credential, …) lists \"envs\" in the additionalSecretOutputs resource option.",
    rationale: "CrossGuard unwraps Pulumi secrets before a policy runs, so a policy cannot see whether an env value was a " +
        "pulumi.secret(). What it can verify is the resource option additionalSecretOutputs: [\"envs\"], which keeps the whole " +
        "env list encrypted in the state and masked in outputs even if one entry lost its secretness on the way (e.g. through " +
        "string interpolation).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Build the entry from a Pulumi secret (pulumi.secret / config.requireSecret) and pass " +
        "{ additionalSecretOutputs: [\"envs\"] } in the container's resource options (the Airlock components do this).",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const keys = parseEnvs(c.envs)
            .filter((e) => e.value !== undefined && e.value !== "" && isSecretName(e.key) && !NON_SECRET_ENV_NAMES.includes(e.key))
            .map((e) => e.key);
        if (keys.length === 0) return;
        if ((args.opts.additionalSecretOutputs ?? []).includes("envs")) return;
        report(`envs holds secret-named ${keys.length === 1 ? "key" : "keys"} ${[...new Set(keys)].join(", ")} but the resource option ` +
            "additionalSecretOutputs does not list \"envs\", so the values can be stored in plaintext in the state: pass " +
            "{ additionalSecretOutputs: [\"envs\"] } and build the entries from Pulumi secrets.");
    })),
};
