import { AWS_TYPES, presence, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** ECR repositories encrypt images with a customer-managed KMS key. */
export const ecrRepositoryRequireKmsEncryption: AirlockResourcePolicy = {
    name: "aws-ecr-repository-require-kms-encryption",
    group: "aws",
    resourceType: AWS_TYPES.ecrRepository,
    description: "Checks that an ECR repository sets encryptionConfigurations with encryptionType \"KMS\" and a kmsKey.",
    rationale: "Unset (or AES256), ECR encrypts with keys AWS manages for everyone; with the enclave's customer-managed key the key " +
        "policy and CloudTrail decide and record who can read the images, and disabling the key makes them unreadable. A key given " +
        "as another resource's output (unknown in a first preview) counts as set: the KMS rules check that key.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set encryptionConfigurations: [{ encryptionType: \"KMS\", kmsKey: <key ARN> }] (the repository must be replaced to change it).",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.ecrRepository, (_p, args, report) => {
        const list = (args.props as { encryptionConfigurations?: Record<string, unknown>[] }).encryptionConfigurations ?? [];
        if (list.length === 0) { report("encryptionConfigurations is unset, so images are encrypted with AES256 under AWS-owned keys: set [{ encryptionType: \"KMS\", kmsKey: <customer-managed key ARN> }]."); return; }
        list.forEach((c, i) => {
            if (c.encryptionType !== "KMS") report(`encryptionConfigurations[${i}].encryptionType is ${JSON.stringify(c.encryptionType ?? "unset")}, not "KMS": set "KMS" with a customer-managed kmsKey.`);
            else if (presence(c, "kmsKey").kind === "absent") report(`encryptionConfigurations[${i}].kmsKey is unset, so ECR uses the AWS managed key aws/ecr: name a customer-managed key.`);
        });
    })),
};
