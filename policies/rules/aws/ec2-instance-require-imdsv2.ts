import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { metadataProblems } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Instances require IMDSv2 session tokens, and tokens cannot leave the host (hop limit 1). */
export const ec2InstanceRequireImdsv2: AirlockResourcePolicy = {
    name: "aws-ec2-instance-require-imdsv2",
    group: "aws",
    resourceType: AWS_TYPES.instance,
    description: "Checks that an EC2 instance sets metadataOptions with httpTokens \"required\" and httpPutResponseHopLimit 1 (or disables the metadata endpoint).",
    rationale: "The instance metadata service hands out the instance role's credentials. IMDSv1 answers any GET, so a server-side " +
        "request forgery in a model server (vLLM fetches URLs for multimodal inputs) leaks them; IMDSv2 needs a session token from a PUT. " +
        "A hop limit of 1 keeps that token on the host, out of reach of the containers it runs. Without metadataOptions the AMI decides: " +
        "IMDSv1 stays on for AMIs without ImdsSupport v2.0, and v2.0 AMIs set a hop limit of 2.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 } on the instance " +
        "(the Airlock AWS components do), even when its launch template sets them: instance-level values win.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.instance, (_p, args, report) => {
        for (const m of metadataProblems((args.props as { metadataOptions?: Record<string, unknown> }).metadataOptions, "the instance")) report(m);
    })),
};
