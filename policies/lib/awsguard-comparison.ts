/**
 * Which of Airlock's AWS rules `@pulumi/awsguard` (0.3.1, Pulumi's published AWS pack) also has, read from its
 * source (compute.js, security.js, network.js). Rendered into docs/policies.md; a test keeps one entry per aws- rule.
 */
export interface AwsguardCounterpart {
    /** The awsguard policy covering (part of) the rule, if any. */
    readonly awsguard?: string;
    /** What awsguard checks differently, or why it has no counterpart. */
    readonly note: string;
}

export const AWSGUARD_VERSION = "0.3.1";

export const AWSGUARD_COMPARISON: Readonly<Record<string, AwsguardCounterpart>> = {
    "aws-ec2-instance-require-imdsv2": { note: "no IMDS policy: IMDSv1 and hop limits pass" },
    "aws-ec2-launch-template-require-imdsv2": { note: "no IMDS policy; launch templates are not checked" },
    "aws-ec2-instance-disallow-public-ip": { awsguard: "ec2-instance-no-public-ip", note: "flags associatePublicIpAddress: true only; unset (the subnet decides) passes" },
    "aws-ec2-launch-template-disallow-public-ip": { note: "launch templates are not checked" },
    "aws-ec2-instance-require-encrypted-volumes": { awsguard: "encrypted-volumes", note: "the same instance checks (a missing root device is a violation), plus an optional required key id" },
    "aws-ec2-launch-template-require-encrypted-volumes": { note: "launch templates are not checked" },
    "aws-ebs-volume-require-encryption": { note: "aws.ebs.Volume is not checked (encrypted-volumes reads instances only)" },
    "aws-ec2-subnet-disallow-auto-public-ip": { note: "subnets are not checked" },
    "aws-ec2-security-group-disallow-public-ingress": { note: "security groups are not checked" },
    "aws-ec2-security-group-rule-disallow-public-ingress": { note: "security group rules are not checked" },
    "aws-vpc-security-group-ingress-rule-disallow-public-ingress": { note: "security group rules are not checked" },
    "aws-ec2-instance-disallow-open-egress": { note: "no egress policy" },
    "aws-ec2-subnet-disallow-internet-route": { note: "no route or internet-gateway policy" },
    "aws-ec2-vpc-require-endpoints": { note: "no VPC endpoint policy" },
    "aws-ecr-repository-require-immutable-tags": { note: "ECR is not checked" },
    "aws-ecr-repository-require-scan-on-push": { note: "ECR is not checked" },
    "aws-ecr-repository-require-kms-encryption": { note: "ECR is not checked" },
    "aws-ecr-repository-policy-disallow-public-access": { note: "ECR is not checked" },
    "aws-secretsmanager-secret-require-customer-managed-key": { note: "Secrets Manager is not checked" },
    "aws-kms-key-require-rotation": { awsguard: "cmk-backing-key-rotation-enabled", note: "rotation only (also on asymmetric keys, which cannot rotate); no lockout-bypass or key-policy principal check" },
    "aws-iam-policy-disallow-wildcard-admin": { note: "IAM documents are not checked (its IAM policies are about access keys and console MFA)" },
    "aws-ec2-instance-disallow-user-data-secrets": { note: "user data is not checked" },
    "aws-ec2-launch-template-disallow-user-data-secrets": { note: "launch templates are not checked" },
    "aws-ec2-instance-require-sealed-user-data": { note: "user data is not checked (no LLM or container rules)" },
    "aws-ec2-launch-template-require-sealed-user-data": { note: "launch templates are not checked" },
    "aws-stack-require-visible-components": { note: "no stack policy about components it cannot see" },
};
