import type { PolicyResource } from "@pulumi/policy";
import { AWS_TYPES, presence } from "../../lib/aws";
import { StackIndex } from "../../lib/aws-stack";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { adminManagedPolicy, isAllResources, isServiceWildcard, parsePolicyDocument, statementName } from "../../lib/iam-document";
import type { AirlockStackPolicy } from "../../lib/types";

/** Where a resource type keeps identity policies (documents), trust policies and managed policy ARNs. */
const DOCUMENTS: Readonly<Record<string, readonly string[]>> = {
    [AWS_TYPES.iamPolicy]: ["policy"], [AWS_TYPES.iamRolePolicy]: ["policy"], [AWS_TYPES.iamUserPolicy]: ["policy"], [AWS_TYPES.iamGroupPolicy]: ["policy"],
};
const ATTACHMENTS = [AWS_TYPES.iamRolePolicyAttachment, AWS_TYPES.iamUserPolicyAttachment, AWS_TYPES.iamGroupPolicyAttachment, AWS_TYPES.iamPolicyAttachment];

function documentProblems(field: string, doc: unknown): string[] {
    const parsed = parsePolicyDocument(doc);
    if ("problem" in parsed) return [`${field} ${parsed.problem}: write it as a JSON policy document.`];
    const out: string[] = [];
    for (const s of parsed.statements) {
        if (s.effect !== "Allow") continue;
        const where = `${field} ${statementName(s)}`;
        if (s.notActions !== undefined) {
            out.push(`${where} allows every action except ${s.notActions.join(", ")} (NotAction): list the actions it needs.`);
            continue;
        }
        const wild = (s.actions ?? []).filter(isServiceWildcard);
        const everything = (s.resources ?? []).some(isAllResources) || s.notResources !== undefined;
        if (wild.length > 0 && everything) {
            out.push(`${where} allows ${wild.join(", ")} on ${s.notResources !== undefined ? "every resource except some (NotResource)" : "\"*\""}: grant the actions it needs on the resources it uses.`);
        }
    }
    return out;
}

function trustProblems(field: string, doc: unknown): string[] {
    const parsed = parsePolicyDocument(doc);
    if ("problem" in parsed) return [`${field} ${parsed.problem}: write it as a JSON trust policy.`];
    return parsed.statements.filter((s) => s.effect === "Allow" && (s.principals ?? []).includes("*") && !s.hasCondition)
        .map((s) => `${field} ${statementName(s)} lets Principal "*" assume the role without a Condition, so any AWS account can use its permissions: name the service or role that assumes it.`);
}

function attachmentProblems(ix: StackIndex, r: PolicyResource, key: string): string[] {
    const p = presence(r.props, key);
    if (p.kind === "absent") return [];
    const values = Array.isArray(p.kind === "known" ? p.value : undefined) ? (p as { value: unknown[] }).value : [p.kind === "known" ? p.value : undefined];
    const out: string[] = [];
    const declared = ix.deps(r, key, AWS_TYPES.iamPolicy);
    for (const v of values) {
        if (v === undefined) {
            if (declared.length === 0) out.push(`${key} is unknown at preview and names no aws.iam.Policy of this stack, so the permissions it attaches cannot be verified: attach a policy declared in the stack or an AWS managed policy by ARN.`);
            continue;
        }
        const arn = String(v);
        const admin = adminManagedPolicy(arn);
        if (admin) out.push(`${key} attaches the AWS managed policy ${admin}, which grants ${admin === "IAMFullAccess" ? "control of IAM (and so of everything)" : "nearly every action on every resource"}: attach a least-privilege policy.`);
        else if (!/^arn:aws[a-z-]*:iam::aws:policy\//.test(arn) && declared.length === 0) {
            out.push(`${key} ${JSON.stringify(arn)} names a customer-managed policy this stack does not declare, so its permissions cannot be verified: declare the policy in the stack.`);
        }
    }
    return out;
}

/** No identity grants every action (of a service or of all) on every resource; no role trusts everyone. */
export const iamPolicyDisallowWildcardAdmin: AirlockStackPolicy = {
    name: "aws-iam-policy-disallow-wildcard-admin",
    group: "aws",
    resourceType: AWS_TYPES.iamPolicy,
    description: "Checks that no IAM policy document (aws.iam.Policy, RolePolicy, UserPolicy, GroupPolicy, Role inlinePolicies) allows \"*\" or \"<service>:*\" on resource \"*\" or uses NotAction in an Allow, that no role's trust policy admits Principal \"*\" without a Condition, and that nothing attaches AdministratorAccess, PowerUserAccess or IAMFullAccess.",
    rationale: "An instance role is what a compromised model server (or its container breaking out) acts as. Least privilege bounds that: " +
        "pull from its repositories, read its own secret and model prefix, use the enclave key through S3 and Secrets Manager, write " +
        "its logs, Session Manager. A wildcard grant on every resource turns one compromised GPU host into the whole account; a trust " +
        "policy open to \"*\" lets any account assume the role. Documents are read statement by statement as IAM reads them; a " +
        "document computed at preview is unknown and fails closed.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "List the actions a principal needs on the resources it uses (ARNs), scope key use with conditions, attach " +
        "AmazonSSMManagedInstanceCore for Session Manager, and name the service that assumes a role (ec2.amazonaws.com).",
    validateStack: failClosedStack((args, report) => {
        const ix = new StackIndex(args.resources);
        const items = args.resources.filter((r) => r.type in DOCUMENTS || r.type === AWS_TYPES.iamRole || ATTACHMENTS.includes(r.type));
        checkEach(items, report, (r, rep) => {
            const props = r.props as Record<string, unknown>;
            if (r.type in DOCUMENTS) for (const key of DOCUMENTS[r.type]!) for (const m of documentProblems(key, props[key])) rep(m);
            if (r.type === AWS_TYPES.iamRole) {
                for (const m of trustProblems("assumeRolePolicy", props.assumeRolePolicy)) rep(m);
                ((props.inlinePolicies as { name?: unknown; policy?: unknown }[] | undefined) ?? []).forEach((p, i) => {
                    for (const m of documentProblems(`inlinePolicies[${i}].policy`, p.policy)) rep(m);
                });
                for (const m of attachmentProblems(ix, r, "managedPolicyArns")) rep(m);
            }
            if (ATTACHMENTS.includes(r.type)) for (const m of attachmentProblems(ix, r, "policyArn")) rep(m);
        });
    }),
};
