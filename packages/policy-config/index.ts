/**
 * The Pulumi CLI's policy-config reconciliation (pkg/resource/analyzer/config.go), reproduced so the offline
 * plan configures a pack exactly as `pulumi preview --policy-pack-config FILE` would:
 *   1. each policy's own enforcement level and every `configSchema.properties[k].default`;
 *   2. the pack's initial config;
 *   3. the file: `all` sets every policy's level, then per-policy entries (a level string, or an object
 *      with an optional `enforcementLevel` and properties);
 *   4. properties validated against the policy's schema; any error aborts.
 * An entry naming a policy the pack does not have is ignored, as the CLI ignores it (observed with CLI v3.248.0,
 * docs/fidelity.md); `onUnknownPolicy` hears about it (the plan warns, the pack's own tooling refuses).
 */

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export interface JsonSchema {
    readonly type?: string | string[];
    readonly items?: JsonSchema;
    readonly properties?: Record<string, JsonSchema>;
    readonly required?: string[];
    readonly enum?: unknown[];
    readonly default?: unknown;
    readonly minimum?: number;
    readonly maximum?: number;
    readonly pattern?: string;
    readonly additionalProperties?: boolean | JsonSchema;
}

export interface PolicyMeta {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly configSchema?: { readonly properties: Record<string, JsonSchema>; readonly required?: string[] };
}

export interface PolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

export class PolicyConfigError extends Error {
    constructor(message: string) { super(message); this.name = "PolicyConfigError"; }
}

function typeOf(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "array";
    if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
    return typeof v;
}

/** A small JSON-schema validator (type, enum, items, properties, required, pattern, bounds). */
export function validateJsonSchema(value: unknown, schema: JsonSchema, at: string): string[] {
    const errors: string[] = [];
    if (schema.type !== undefined) {
        const types = Array.isArray(schema.type) ? schema.type : [schema.type];
        const actual = typeOf(value);
        const ok = types.some((t) => t === actual || (t === "number" && actual === "integer"));
        if (!ok) return [`${at}: Invalid type. Expected: ${types.join(" or ")}, given: ${actual}`];
    }
    if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
        errors.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
    }
    if (typeof value === "number") {
        if (schema.minimum !== undefined && value < schema.minimum) errors.push(`${at}: must be >= ${schema.minimum}`);
        if (schema.maximum !== undefined && value > schema.maximum) errors.push(`${at}: must be <= ${schema.maximum}`);
    }
    if (typeof value === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
        errors.push(`${at}: does not match pattern ${JSON.stringify(schema.pattern)}`);
    }
    if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validateJsonSchema(v, schema.items!, `${at}.${i}`)));
    if (typeOf(value) === "object") {
        const o = value as Record<string, unknown>;
        for (const r of schema.required ?? []) if (!(r in o)) errors.push(`${at}: ${r} is required`);
        for (const [k, v] of Object.entries(o)) {
            const sub = schema.properties?.[k];
            if (sub) errors.push(...validateJsonSchema(v, sub, `${at}.${k}`));
            else if (schema.additionalProperties === false) errors.push(`${at}: Additional property ${k} is not allowed`);
            else if (typeof schema.additionalProperties === "object") errors.push(...validateJsonSchema(v, schema.additionalProperties, `${at}.${k}`));
        }
    }
    return errors;
}

function level(value: unknown, where: string): EnforcementLevel {
    if (typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value)) return value as EnforcementLevel;
    throw new PolicyConfigError(`${where}: invalid enforcement level ${JSON.stringify(value)}; use one of ${ENFORCEMENT_LEVELS.join(", ")}`);
}

/** Parses a `--policy-pack-config` document into per-key entries. */
export function parsePolicyConfigFile(doc: unknown, file: string): Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new PolicyConfigError(`${file}: must be a JSON object keyed by policy name (or "all")`);
    const out: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
        if (key === "environments") continue; // ESC references; not resolved offline
        if (typeof value === "string") { out[key] = { enforcementLevel: level(value, `${file}: ${key}`), properties: {} }; continue; }
        if (value === null || typeof value !== "object" || Array.isArray(value)) {
            throw new PolicyConfigError(`${file}: ${key} must be an enforcement level or an object`);
        }
        const { enforcementLevel, ...properties } = value as Record<string, unknown>;
        if (key === "all" && Object.keys(properties).length > 0) throw new PolicyConfigError(`${file}: "all" takes only an enforcement level`);
        out[key] = { ...(enforcementLevel !== undefined ? { enforcementLevel: level(enforcementLevel, `${file}: ${key}.enforcementLevel`) } : {}), properties };
    }
    return out;
}

/** The reconciled config the CLI sends with `Configure`. */
export function reconcilePolicyConfig(
    pack: string,
    policies: readonly PolicyMeta[],
    initialConfig: Readonly<Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>>,
    fileConfig: Readonly<Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }>>,
    onUnknownPolicy: (message: string) => void = () => undefined,
): Record<string, PolicyConfig> {
    const result: Record<string, PolicyConfig> = {};
    for (const p of policies) {
        const defaults: Record<string, unknown> = {};
        for (const [k, s] of Object.entries(p.configSchema?.properties ?? {})) if (s.default !== undefined) defaults[k] = structuredClone(s.default);
        result[p.name] = { enforcementLevel: p.enforcementLevel, properties: defaults };
    }
    const apply = (cfg: typeof fileConfig, source: string) => {
        const all = cfg.all?.enforcementLevel;
        if (all) for (const name of Object.keys(result)) result[name]!.enforcementLevel = all;
        for (const [name, entry] of Object.entries(cfg)) {
            if (name === "all") continue;
            const target = result[name];
            if (!target) {
                onUnknownPolicy(`${source}: no policy named "${name}" in pack "${pack}" (known: ${Object.keys(result).sort().join(", ")})`);
                continue;
            }
            if (entry.enforcementLevel) target.enforcementLevel = entry.enforcementLevel;
            Object.assign(target.properties, entry.properties);
        }
    };
    apply(initialConfig, "initial config");
    apply(fileConfig, "policy config");
    const errors: string[] = [];
    for (const p of policies) {
        const schema = p.configSchema;
        if (!schema) continue;
        errors.push(...validateJsonSchema(result[p.name]!.properties, { type: "object", properties: schema.properties, required: schema.required }, p.name));
    }
    if (errors.length > 0) throw new PolicyConfigError(`validating policy config for "${pack}": ${errors.join("; ")}`);
    return result;
}
