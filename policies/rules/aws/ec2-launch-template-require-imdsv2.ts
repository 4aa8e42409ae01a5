import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { metadataProblems } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Launch templates require IMDSv2 with a hop limit of 1 for every instance launched from them. */
export const ec2LaunchTemplateRequireImdsv2: AirlockResourcePolicy = {
    name: "aws-ec2-launch-template-require-imdsv2",
    group: "aws",
    resourceType: AWS_TYPES.launchTemplate,
    description: "Checks that an EC2 launch template sets metadataOptions with httpTokens \"required\" and httpPutResponseHopLimit 1 (or disables the metadata endpoint).",
    rationale: "Instances launched from the template (by an auto scaling group, a fleet or an instance that states no metadata options) " +
        "get its metadata options: IMDSv1 or a hop limit above 1 exposes the instance role's credentials to request forgery and to containers.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 } on the launch template.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.launchTemplate, (_p, args, report) => {
        for (const m of metadataProblems((args.props as { metadataOptions?: Record<string, unknown> }).metadataOptions, "instances launched from it")) report(m);
    })),
};
