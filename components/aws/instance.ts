/**
 * The hardened settings every Airlock EC2 instance gets, in one place: IMDSv2 only with a hop limit of 1 (a
 * container cannot reach the instance's credentials), encrypted volumes with the enclave's key, no public address,
 * an instance profile instead of keys, Session Manager instead of SSH.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { childName } from "../shared/naming";
import { type AwsAccount, type ResolvedAccount, SSM_CORE_POLICY, type Statement, documentFor, serviceTrustPolicy } from "./iam";

/** IMDSv2 required, one hop: tokens cannot travel past the host into a container. */
export const METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 1,
    instanceMetadataTags: "disabled",
} as const;

/** The root device of the AL2023-based GPU AMIs Airlock expects. */
export const ROOT_DEVICE = "/dev/xvda";

/** An encrypted gp3 root volume. */
export function rootVolume(sizeGiB: number, kmsKeyArn: pulumi.Input<string>): aws.types.input.ec2.InstanceRootBlockDevice {
    return { volumeType: "gp3", volumeSize: sizeGiB, encrypted: true, kmsKeyId: kmsKeyArn, deleteOnTermination: true };
}

/** An instance role (assumable by EC2 only) with one inline least-privilege policy and Session Manager. */
export function instanceRole(
    parent: pulumi.Resource, name: string, account: AwsAccount, statements: (a: ResolvedAccount) => readonly Statement[],
    tags: Record<string, string>, bucket: pulumi.Input<string>,
): { role: aws.iam.Role; profile: aws.iam.InstanceProfile } {
    const opts = { parent };
    const role = new aws.iam.Role(childName(name, "role"), {
        assumeRolePolicy: serviceTrustPolicy(account, "ec2.amazonaws.com"),
        description: `Airlock instance role ${name}`,
        tags,
    }, opts);
    new aws.iam.RolePolicy(childName(name, "policy"), { role: role.name, policy: documentFor(account, statements, bucket) }, opts);
    new aws.iam.RolePolicyAttachment(childName(name, "ssm"), {
        role: role.name, policyArn: pulumi.output(account.partition).apply(SSM_CORE_POLICY),
    }, opts);
    const profile = new aws.iam.InstanceProfile(childName(name, "profile"), { role: role.name, tags }, opts);
    return { role, profile };
}

/** `ecr:GetAuthorizationToken` (account-wide by design) and pulls from the named repositories. */
export function ecrPullStatements(a: ResolvedAccount, repositories: readonly string[]): Statement[] {
    return [
        { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
        {
            Sid: "EcrPull", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
            Resource: repositories.map((r) => `arn:${a.partition}:ecr:${a.region}:${a.accountId}:repository/${r}`),
        },
    ];
}

/** Reading the named Secrets Manager secrets (`-??????` is the suffix Secrets Manager appends to every ARN). */
export function secretReadStatement(a: ResolvedAccount, sid: string, secretNames: readonly string[]): Statement {
    return {
        Sid: sid, Effect: "Allow", Action: "secretsmanager:GetSecretValue",
        Resource: secretNames.map((n) => `arn:${a.partition}:secretsmanager:${a.region}:${a.accountId}:secret:${n}-??????`),
    };
}

/** Using the enclave's key through S3 and Secrets Manager only, and only that key (selected by its alias). */
export function keyUseStatement(a: ResolvedAccount, keyAlias: string, actions: readonly string[]): Statement {
    return {
        Sid: "EnclaveKeyViaS3AndSecretsManager", Effect: "Allow", Action: [...actions],
        Resource: `arn:${a.partition}:kms:${a.region}:${a.accountId}:key/*`,
        Condition: {
            "StringEquals": { "kms:ViaService": [`s3.${a.region}.amazonaws.com`, `secretsmanager.${a.region}.amazonaws.com`] },
            "ForAnyValue:StringEquals": { "kms:ResourceAliases": keyAlias },
        },
    };
}
