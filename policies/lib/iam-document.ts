/**
 * IAM policy documents read as IAM reads them: a JSON string or an object, `Statement` one object or a list,
 * `Action`/`NotAction`/`Resource`/`NotResource` a string or a list, actions matched case-insensitively with `*`
 * and `?` wildcards, `Principal` either `"*"` or a map whose values are a string or a list.
 */

export interface IamStatement {
    /** Position in the document, for messages. */
    readonly index: number;
    readonly sid: string | undefined;
    readonly effect: string;
    readonly actions: readonly string[] | undefined;
    readonly notActions: readonly string[] | undefined;
    readonly resources: readonly string[] | undefined;
    readonly notResources: readonly string[] | undefined;
    /** `"*"`, or the principal map's values flattened (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
    readonly principals: readonly string[] | undefined;
    readonly hasCondition: boolean;
    readonly condition: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type ParsedDocument = { readonly statements: readonly IamStatement[] } | { readonly problem: string };

const strings = (v: unknown): string[] | undefined => {
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.map((x) => String(x));
    return [String(v)];
};

function principalsOf(p: unknown): string[] | undefined {
    if (p === undefined || p === null) return undefined;
    if (typeof p === "string") return [p];
    if (typeof p === "object" && !Array.isArray(p)) return Object.values(p as Record<string, unknown>).flatMap((v) => strings(v) ?? []);
    return [String(p)];
}

/** Parses a policy document (JSON text or object). */
export function parsePolicyDocument(doc: unknown): ParsedDocument {
    let d: unknown = doc;
    if (typeof doc === "string") {
        try { d = JSON.parse(doc); } catch { return { problem: "is not valid JSON, so its permissions cannot be read" }; }
    }
    if (d === null || typeof d !== "object" || Array.isArray(d)) return { problem: "is not a policy document object" };
    const raw = (d as { Statement?: unknown }).Statement;
    if (raw === undefined) return { problem: "has no Statement" };
    const list = Array.isArray(raw) ? raw : [raw];
    const statements: IamStatement[] = [];
    for (const [index, s] of list.entries()) {
        if (s === null || typeof s !== "object" || Array.isArray(s)) return { problem: `Statement[${index}] is not an object` };
        const o = s as Record<string, unknown>;
        const condition = (o.Condition !== null && typeof o.Condition === "object" ? o.Condition : {}) as Record<string, Record<string, unknown>>;
        statements.push({
            index, sid: typeof o.Sid === "string" ? o.Sid : undefined, effect: String(o.Effect ?? ""),
            actions: strings(o.Action), notActions: strings(o.NotAction), resources: strings(o.Resource), notResources: strings(o.NotResource),
            principals: principalsOf(o.Principal ?? o.NotPrincipal), hasCondition: Object.keys(condition).length > 0, condition,
        });
    }
    return { statements };
}

/** How a statement is named in messages: `Statement[2] ("EcrPull")`. */
export const statementName = (s: IamStatement): string => `Statement[${s.index}]${s.sid ? ` (${JSON.stringify(s.sid)})` : ""}`;

/** Whether an action pattern grants every action of a service or of all services (`*`, `s3:*`, `iam:*`, `s3:*Object*`… only the first two kinds). */
export function isServiceWildcard(action: string): boolean {
    const a = action.trim();
    return a === "*" || /^[A-Za-z0-9-]+:\*$/.test(a);
}

/** Whether a resource pattern is every resource. */
export const isAllResources = (r: string): boolean => r.trim() === "*";

/** AWS managed policies that grant administrator or write-everything access. */
export const ADMIN_MANAGED_POLICIES: readonly string[] = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];

/** The AWS managed admin policy an ARN names, or undefined. */
export function adminManagedPolicy(arn: string): string | undefined {
    const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:.*\/)?([A-Za-z0-9+=,.@_-]+)$/.exec(arn.trim());
    return m && ADMIN_MANAGED_POLICIES.includes(m[1]!) ? m[1] : undefined;
}
