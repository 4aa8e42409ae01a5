import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { registryProblem } from "../../lib/image";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-remote-image-require-allowed-registry";

/** Pulled images come from an allowed (private) registry. */
export const remoteImageRequireAllowedRegistry: AirlockResourcePolicy = {
    name: NAME,
    group: "images",
    resourceType: DOCKER_TYPES.remoteImage,
    description: "Checks that a RemoteImage is pulled from a registry allowed by allowedRegistries or allowedRegistryPatterns (default: private ECR only; Docker Hub is not allowed).",
    rationale: "A pull from a public registry needs egress and trusts whoever controls the repository; images are mirrored into a " +
        "private registry after review.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Mirror the image into an allowed registry and set name to the mirrored reference, or add the registry to " +
        "allowedRegistries in the environment's policy config.",
    configSchema: configSchemaFor("allowedRegistries", "allowedRegistryPatterns"),
    validateResource: failClosed(validateResourceOfType(docker.RemoteImage, (r, args, report) => {
        const cfg = readConfig(args, NAME, "allowedRegistries", "allowedRegistryPatterns");
        const p = registryProblem("name", String(r.name ?? ""), cfg.allowedRegistries, cfg.allowedRegistryPatterns);
        if (p) report(p);
    })),
};
