import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import { parsePolicyDocument, statementName } from "../../lib/iam-document";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Symmetric keys rotate, keep the lockout check, and trust no anonymous principal. */
export const kmsKeyRequireRotation: AirlockResourcePolicy = {
    name: "aws-kms-key-require-rotation",
    group: "aws",
    resourceType: AWS_TYPES.kmsKey,
    description: "Checks that a symmetric KMS key sets enableKeyRotation to true, does not set bypassPolicyLockoutSafetyCheck, and has no key policy statement allowing Principal \"*\" without a Condition.",
    rationale: "The enclave's key encrypts the secrets, the model store, the registries, the logs and the volumes. Yearly rotation limits " +
        "what one key version protects (unset, rotation is off); the lockout check keeps a policy from locking the account out of its " +
        "own key; a key policy that allows everyone hands the key to any AWS account. Asymmetric and HMAC keys cannot rotate and are not checked.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set enableKeyRotation: true, remove bypassPolicyLockoutSafetyCheck, and name principals (the account root, service principals with conditions) in the key policy.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.kmsKey, (_p, args, report) => {
        const k = args.props as { enableKeyRotation?: unknown; bypassPolicyLockoutSafetyCheck?: unknown; customerMasterKeySpec?: unknown; keyUsage?: unknown; policy?: unknown };
        const spec = k.customerMasterKeySpec ?? "SYMMETRIC_DEFAULT";
        const symmetric = spec === "SYMMETRIC_DEFAULT" && (k.keyUsage ?? "ENCRYPT_DECRYPT") === "ENCRYPT_DECRYPT";
        if (symmetric && k.enableKeyRotation !== true) {
            report(`enableKeyRotation is ${k.enableKeyRotation === undefined ? "unset (rotation is off)" : JSON.stringify(k.enableKeyRotation)}: set enableKeyRotation: true.`);
        }
        if (k.bypassPolicyLockoutSafetyCheck === true) report("bypassPolicyLockoutSafetyCheck is true, so a key policy can lock the account out of its own key: remove it.");
        if (k.policy === undefined) return;
        const doc = parsePolicyDocument(k.policy);
        if ("problem" in doc) { report(`policy ${doc.problem}: write it as a JSON policy document.`); return; }
        for (const s of doc.statements) {
            if (s.effect === "Allow" && (s.principals ?? []).includes("*") && !s.hasCondition) {
                report(`policy ${statementName(s)} allows Principal "*" without a Condition, which hands the key to any AWS account: name the principals.`);
            }
        }
    })),
};
