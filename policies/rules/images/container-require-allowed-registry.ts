import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { deferredImageRef, registryProblem } from "../../lib/image";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-container-require-allowed-registry";

/** Container images come from an allowed (private) registry. */
export const containerRequireAllowedRegistry: AirlockResourcePolicy = {
    name: NAME,
    group: "images",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's image comes from a registry allowed by allowedRegistries or allowedRegistryPatterns (default: private ECR only; Docker Hub is not allowed).",
    rationale: "Pulling from a public registry at deploy time needs egress and trusts whoever controls the repository. Images are " +
        "mirrored into a private registry after review, and only that registry is reachable from the enclave.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Mirror the image into an allowed registry (e.g. `<account>.dkr.ecr.<region>.amazonaws.com/mirror/...`) and " +
        "reference the mirror, or add the registry to allowedRegistries in the environment's policy config.",
    configSchema: configSchemaFor("allowedRegistries", "allowedRegistryPatterns"),
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, args, report) => {
        const cfg = readConfig(args, NAME, "allowedRegistries", "allowedRegistryPatterns");
        // An image only its source resource can name is checked there (docker-container-require-resolvable-image).
        const ref = deferredImageRef(() => c.image);
        const p = ref === undefined ? undefined : registryProblem("image", ref, cfg.allowedRegistries, cfg.allowedRegistryPatterns);
        if (p) report(p);
    })),
};
