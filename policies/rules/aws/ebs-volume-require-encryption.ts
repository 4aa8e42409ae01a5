import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { encryptionProblem } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Standalone EBS volumes are encrypted. */
export const ebsVolumeRequireEncryption: AirlockResourcePolicy = {
    name: "aws-ebs-volume-require-encryption",
    group: "aws",
    resourceType: AWS_TYPES.ebsVolume,
    description: "Checks that an EBS volume sets encrypted: true.",
    rationale: "A volume attached to a GPU host holds model weights or data; unencrypted, it and its snapshots are readable by anyone who obtains them.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set encrypted: true and kmsKeyId to a customer-managed key.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.ebsVolume, (_p, args, report) => {
        const p = encryptionProblem("encrypted", (args.props as { encrypted?: unknown }).encrypted, "the volume");
        if (p) report(p);
    })),
};
