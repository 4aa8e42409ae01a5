import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import { registryProblem } from "../../lib/image";
import { ecrArnOfImage } from "../../lib/runpod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "runpod-template-require-allowed-registry";

/** The image comes from an allowed private registry, pulled with registry auth. */
export const templateRequireAllowedRegistry: AirlockResourcePolicy = {
    name: NAME,
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's image comes from a registry allowed by allowedRegistries or allowedRegistryPatterns (default: private ECR only) and is pulled with registry auth: a registry credential id, or, for ECR, the ECR delegation of the image's repository (ecrRepositoryArn).",
    rationale: "A public image is whatever its publisher pushes; a private registry holds only reviewed, mirrored or baked images. " +
        "Registry auth proves the private registry really is private: an image RunPod can pull without credentials is readable by " +
        "anyone, baked model weights included.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Push the image to the private registry (ECR) and give the endpoint registry auth: for ECR an ECR delegation for " +
        "the repository (the Airlock Enclave creates it and the endpoint names it in ecrRepositoryArn), otherwise a registry credential (registry).",
    configSchema: configSchemaFor("allowedRegistries", "allowedRegistryPatterns"),
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, args, report) => {
        const cfg = readConfig(args, NAME, "allowedRegistries", "allowedRegistryPatterns");
        const image = typeof p.image === "string" ? p.image : "";
        const problem = registryProblem("image", image, cfg.allowedRegistries, cfg.allowedRegistryPatterns);
        if (problem) report(problem);
        // A credential id is computed when the credential is created (unknown at preview): its presence is what counts
        // (read without touching the value; the provider's check rejects an empty id).
        const credential = "registry" in p;
        const arn = p.ecrRepositoryArn;
        if (arn !== undefined) {
            const expected = ecrArnOfImage(image);
            if (expected === undefined) report(`ecrRepositoryArn is set but image "${image}" is not on private ECR: use a registry credential (registry) instead.`);
            else if (arn !== expected) report(`ecrRepositoryArn ${JSON.stringify(arn)} does not cover image "${image}" (its repository is ${expected}): delegate that repository.`);
        } else if (!credential) {
            report(`image "${image}" is pulled without registry auth (neither registry nor ecrRepositoryArn is set): add an ECR delegation ` +
                "for the repository (ecrRepositoryArn) or a registry credential (registry).");
        }
    })),
};
