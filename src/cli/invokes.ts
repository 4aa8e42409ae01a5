/**
 * Data-source invokes under `airlock plan`. The offline plan has no provider, so it answers the common read-only
 * AWS lookups itself: the account, partition, region and zones with PLACEHOLDER values (every one is listed in the
 * plan's output as such), pure functions such as `aws.iam.getPolicyDocument` by computing them, and anything else
 * from `--invoke-fixtures FILE` (a JSON object: invoke token → result). Any other invoke is an error that names
 * the token and the flag. Kubernetes: `kubernetes:yaml:decode` is computed (src/cli/kubernetes-invokes.ts); the
 * invokes that run Helm or kustomize inside the provider fail with their own one-line fix.
 */
import { PROVIDER_ONLY_INVOKES, decodeManifests } from "./kubernetes-invokes";

/** How an invoke was answered. */
export type InvokeSource = "placeholder" | "computed" | "fixture";

export interface InvokeRecord {
    readonly token: string;
    readonly source: InvokeSource;
    readonly result: Record<string, unknown>;
}

/** The account the placeholders use (the AWS documentation's example account). */
export const PLACEHOLDER_ACCOUNT_ID = "123456789012";
export const DEFAULT_REGION = "us-east-1";

/** `--invoke-fixtures` file content: token → result object. */
export type InvokeFixtures = Readonly<Record<string, Record<string, unknown>>>;

/** Validates a fixtures document; returns an error message or undefined. */
export function invokeFixturesProblem(doc: unknown): string | undefined {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return "must be a JSON object mapping invoke tokens to result objects";
    for (const [token, result] of Object.entries(doc)) {
        if (!/^[A-Za-z0-9-]+:[A-Za-z0-9/._-]*:[A-Za-z0-9_]+$/.test(token)) return `key ${JSON.stringify(token)} is not an invoke token such as "aws:ec2/getAmi:getAmi"`;
        if (result === null || typeof result !== "object" || Array.isArray(result)) return `the result for ${token} must be an object (the data source's outputs)`;
    }
    return undefined;
}

function partitionOf(region: string): { partition: string; dnsSuffix: string; reverseDnsPrefix: string } {
    if (region.startsWith("cn-")) return { partition: "aws-cn", dnsSuffix: "amazonaws.com.cn", reverseDnsPrefix: "cn.com.amazonaws" };
    if (region.startsWith("us-gov-")) return { partition: "aws-us-gov", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
    return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
}

/** `eu-west-1` → `euw1` (the prefix of zone ids). */
function zoneIdPrefix(region: string): string {
    const [geo = "", dir = "", n = ""] = region.split("-");
    return `${geo}${dir.slice(0, 1)}${n}`;
}

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);
const one = (v: string[]): string | string[] => (v.length === 1 ? v[0]! : v);

/** `aws.iam.getPolicyDocument` computed from its statements (as the provider renders them). */
function policyDocument(args: Record<string, unknown>): Record<string, unknown> | undefined {
    if (args.sourcePolicyDocuments !== undefined || args.overridePolicyDocuments !== undefined) return undefined;
    const statements = (Array.isArray(args.statements) ? args.statements : []) as Record<string, unknown>[];
    const principals = (ps: unknown) => {
        const out: Record<string, string | string[]> = {};
        for (const p of (Array.isArray(ps) ? ps : []) as { type?: string; identifiers?: unknown }[]) out[p.type ?? ""] = one(list(p.identifiers));
        return Object.keys(out).length === 1 && out["*"] === "*" ? "*" : out;
    };
    const doc = {
        Version: (args.version as string | undefined) ?? "2012-10-17",
        ...(args.policyId !== undefined ? { Id: args.policyId } : {}),
        Statement: statements.map((s) => {
            const conditions: Record<string, Record<string, string | string[]>> = {};
            for (const c of (Array.isArray(s.conditions) ? s.conditions : []) as { test: string; variable: string; values: unknown }[]) {
                (conditions[c.test] ??= {})[c.variable] = one(list(c.values));
            }
            return {
                ...(s.sid !== undefined ? { Sid: s.sid } : {}),
                Effect: (s.effect as string | undefined) ?? "Allow",
                ...(s.actions !== undefined ? { Action: one(list(s.actions)) } : {}),
                ...(s.notActions !== undefined ? { NotAction: one(list(s.notActions)) } : {}),
                ...(s.resources !== undefined ? { Resource: one(list(s.resources)) } : {}),
                ...(s.notResources !== undefined ? { NotResource: one(list(s.notResources)) } : {}),
                ...(s.principals !== undefined ? { Principal: principals(s.principals) } : {}),
                ...(s.notPrincipals !== undefined ? { NotPrincipal: principals(s.notPrincipals) } : {}),
                ...(Object.keys(conditions).length > 0 ? { Condition: conditions } : {}),
            };
        }),
    };
    return { id: "policy-document", json: JSON.stringify(doc, null, 2), minifiedJson: JSON.stringify(doc) };
}

/**
 * The offline answer to `token` called with `args`, or undefined when the plan has none. `region` is the region of
 * the provider the invoke goes through (its `region` input, else the stack's `aws:region`).
 */
export function offlineAnswer(token: string, args: Record<string, unknown>, region: string, fixtures: InvokeFixtures = {}): InvokeRecord | undefined {
    const fixture = fixtures[token];
    if (fixture !== undefined) return { token, source: "fixture", result: fixture };
    const r = typeof args.region === "string" ? args.region : typeof args.name === "string" && token === "aws:index/getRegion:getRegion" ? args.name : region;
    switch (token) {
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { token, source: "placeholder", result: {
                id: PLACEHOLDER_ACCOUNT_ID, accountId: PLACEHOLDER_ACCOUNT_ID, userId: "AIDAAIRLOCKPLANPLACEHOLDER",
                arn: `arn:${partitionOf(r).partition}:iam::${PLACEHOLDER_ACCOUNT_ID}:user/airlock-plan-placeholder`,
            } };
        case "aws:index/getPartition:getPartition":
            return { token, source: "placeholder", result: { id: partitionOf(r).partition, ...partitionOf(r) } };
        case "aws:index/getRegion:getRegion":
            return { token, source: "placeholder", result: {
                id: r, name: r, region: r, endpoint: `ec2.${r}.${partitionOf(r).dnsSuffix}`, description: `${r} (airlock plan placeholder)`,
            } };
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            const letters = ["a", "b", "c"];
            return { token, source: "placeholder", result: {
                id: r, region: r, names: letters.map((l) => `${r}${l}`), zoneIds: letters.map((_, i) => `${zoneIdPrefix(r)}-az${i + 1}`),
                groupNames: letters.map(() => r),
            } };
        }
        case "kubernetes:yaml:decode":
            return { token, source: "computed", result: { result: decodeManifests(String(args.text ?? "")) } };
        case "aws:iam/getPolicyDocument:getPolicyDocument": {
            const result = policyDocument(args);
            return result === undefined ? undefined : { token, source: "computed", result };
        }
        default:
            return undefined;
    }
}

/** The error for invokes the plan cannot answer: one line per cause. */
export function unansweredInvokeMessage(tokens: readonly string[]): string {
    const sorted = [...new Set(tokens)].sort();
    const providerOnly = sorted.flatMap((t) => PROVIDER_ONLY_INVOKES[t] ?? []);
    const lookups = sorted.filter((t) => PROVIDER_ONLY_INVOKES[t] === undefined);
    if (lookups.length === 0) return providerOnly.join("\n");
    const example = `{"${lookups[0]}": {…its result…}}`;
    return [...providerOnly, `the program calls the data source${lookups.length === 1 ? "" : "s"} ${lookups.map((t) => `"${t}"`).join(", ")}, which airlock plan ` +
        `cannot answer offline: pass ${lookups.length === 1 ? "its result" : "their results"} with --invoke-fixtures FILE (a JSON object such as ${example}), or take the value from config.`].join("\n");
}
