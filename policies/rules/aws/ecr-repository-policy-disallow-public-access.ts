import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import { parsePolicyDocument, statementName } from "../../lib/iam-document";
import type { AirlockResourcePolicy } from "../../lib/types";

/** ECR repository policies grant nothing to everyone. */
export const ecrRepositoryPolicyDisallowPublicAccess: AirlockResourcePolicy = {
    name: "aws-ecr-repository-policy-disallow-public-access",
    group: "aws",
    resourceType: AWS_TYPES.ecrRepositoryPolicy,
    description: "Checks that an ECR repository policy has no Allow statement for Principal \"*\" (or AWS \"*\") without a Condition.",
    rationale: "A repository policy that allows everyone lets any AWS account pull (and, with push actions, replace) the images the " +
        "enclave serves. Principals are read as IAM reads them: \"*\" or an AWS/Service list containing \"*\".",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Name the accounts or roles that may pull (or add a Condition such as aws:PrincipalOrgID); instances of this account need no repository policy.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.ecrRepositoryPolicy, (_p, args, report) => {
        const doc = parsePolicyDocument((args.props as { policy?: unknown }).policy);
        if ("problem" in doc) { report(`policy ${doc.problem}: write it as a JSON policy document.`); return; }
        for (const s of doc.statements) {
            if (s.effect === "Allow" && (s.principals ?? []).includes("*") && !s.hasCondition) {
                report(`policy ${statementName(s)} allows ${(s.actions ?? s.notActions ?? []).join(", ") || "its actions"} to Principal "*" without a Condition, which any AWS account can use: name the principals that may pull.`);
            }
        }
    })),
};
