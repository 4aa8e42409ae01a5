/**
 * IAM and resource-policy documents as plain data: every document Airlock writes is built here from known values
 * (the account and partition come from data sources answered before any resource exists), so the policy pack can
 * read it at preview, statement by statement.
 */
import * as pulumi from "@pulumi/pulumi";

export type Principal = "*" | { readonly AWS?: string | readonly string[]; readonly Service?: string | readonly string[] };

export interface Statement {
    readonly Sid: string;
    readonly Effect: "Allow" | "Deny";
    readonly Principal?: Principal;
    readonly Action: string | readonly string[];
    /** Absent only in trust policies (the role is the resource). */
    readonly Resource?: string | readonly string[];
    readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/** A policy document as IAM stores it. */
export function policyDocument(statements: readonly Statement[]): string {
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** The account and partition every ARN needs (from `aws.getCallerIdentity` / `aws.getPartition`). */
export interface AwsAccount {
    readonly accountId: pulumi.Input<string>;
    readonly partition: pulumi.Input<string>;
    readonly region: string;
}

/** The resolved account, partition and region, plus the model bucket's name when a document needs it. */
export interface ResolvedAccount {
    readonly accountId: string;
    readonly partition: string;
    readonly region: string;
    readonly bucket: string;
}

/**
 * A document built from the resolved account (and bucket name): an Output that is known at preview, because data
 * sources are answered then and the bucket's name is derived from them.
 */
export function documentFor(account: AwsAccount, build: (a: ResolvedAccount) => readonly Statement[], bucket: pulumi.Input<string> = ""): pulumi.Output<string> {
    return pulumi.all([account.accountId, account.partition, bucket]).apply(([accountId, partition, b]) =>
        policyDocument(build({ accountId, partition, region: account.region, bucket: b })));
}

/** A trust policy letting one AWS service assume the role, only on behalf of this account (confused deputy). */
export function serviceTrustPolicy(account: AwsAccount, service: string): pulumi.Output<string> {
    return documentFor(account, ({ accountId }) => [{
        Sid: "AssumeByService", Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole",
        // EC2 assumes instance roles for the instance itself; other services act for a caller, so pin the account.
        ...(service === "ec2.amazonaws.com" ? {} : { Condition: { StringEquals: { "aws:SourceAccount": accountId } } }),
    }]);
}

/** The managed policy that lets Session Manager (instead of SSH) reach an instance. */
export const SSM_CORE_POLICY = (partition: string) => `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
