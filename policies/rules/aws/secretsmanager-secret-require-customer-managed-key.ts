import { AWS_TYPES, presence, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Secrets are encrypted with a customer-managed KMS key. */
export const secretsmanagerSecretRequireCustomerManagedKey: AirlockResourcePolicy = {
    name: "aws-secretsmanager-secret-require-customer-managed-key",
    group: "aws",
    resourceType: AWS_TYPES.secret,
    description: "Checks that a Secrets Manager secret sets kmsKeyId to a customer-managed key (not the AWS managed key aws/secretsmanager).",
    rationale: "Unset, a secret is encrypted with aws/secretsmanager, which every principal of the account with Secrets Manager access " +
        "may use; with the enclave's key the key policy is a second gate (the instances use it only through Secrets Manager and S3) " +
        "and disabling the key revokes every API key at once. A key given as another resource's output (unknown in a first preview) " +
        "counts as customer-managed: AWS managed keys cannot be created.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set kmsKeyId to the ARN of a customer-managed key (e.g. the enclave's key: key.arn).",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.secret, (_p, args, report) => {
        const p = presence(args.props, "kmsKeyId");
        if (p.kind === "absent") { report("kmsKeyId is unset, so the secret is encrypted with the AWS managed key aws/secretsmanager: set kmsKeyId to a customer-managed key."); return; }
        if (p.kind === "known") {
            const v = String(p.value);
            if (v.trim() === "" || /(^|:)alias\/aws\//.test(v)) report(`kmsKeyId ${JSON.stringify(v)} is an AWS managed key: set kmsKeyId to a customer-managed key.`);
        }
    })),
};
