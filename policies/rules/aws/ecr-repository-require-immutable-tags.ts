import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** ECR repositories never let a tag move. */
export const ecrRepositoryRequireImmutableTags: AirlockResourcePolicy = {
    name: "aws-ecr-repository-require-immutable-tags",
    group: "aws",
    resourceType: AWS_TYPES.ecrRepository,
    description: "Checks that an ECR repository sets imageTagMutability to \"IMMUTABLE\" (no exclusion filters).",
    rationale: "With mutable tags anyone who can push can replace the image behind a reviewed tag; immutable tags make the tag next " +
        "to a pinned digest mean one image forever. Unset, ECR repositories are MUTABLE; the *_WITH_EXCLUSION modes leave some tags mutable.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set imageTagMutability: \"IMMUTABLE\" and remove imageTagMutabilityExclusionFilters.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.ecrRepository, (_p, args, report) => {
        const m = (args.props as { imageTagMutability?: unknown }).imageTagMutability;
        if (m === undefined) report("imageTagMutability is unset, so tags are MUTABLE: anyone with push access can replace the image behind a tag: set imageTagMutability: \"IMMUTABLE\".");
        else if (m !== "IMMUTABLE") report(`imageTagMutability is ${JSON.stringify(m)}, so some tags can be moved to another image: set imageTagMutability: "IMMUTABLE".`);
    })),
};
