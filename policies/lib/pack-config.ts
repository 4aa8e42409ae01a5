/**
 * Policy pack config files (`--policy-pack-config` format) and the CLI's reconciliation of them, reproduced
 * from pulumi/pulumi `pkg/resource/analyzer/config.go` (crossguard.md 1.5):
 *   1. start from each policy's own `enforcementLevel` (else the pack's) and its `configSchema` defaults;
 *   2. the key "all" sets the enforcement level of every policy;
 *   3. per-policy entries (a level string, or `{ enforcementLevel?, ...properties }`) override level and properties.
 * Used by the docs generator (levels per environment) and by the test harness (what `Configure` would send).
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";

/** One entry of a config file. */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** A `--policy-pack-config` file: policy name (or "all") → entry; "environments" (ESC refs) is ignored. */
export type PolicyPackConfigFile = Record<string, PolicyConfigEntry | string[]>;

/** The reconciled config of one policy: what the CLI sends in `Configure`. */
export interface ReconciledPolicyConfig {
    readonly enforcementLevel: EnforcementLevel;
    readonly properties: Readonly<Record<string, unknown>>;
}

/** The subset of a policy the reconciliation reads. */
export interface ConfigurablePolicy {
    readonly name: string;
    readonly enforcementLevel?: EnforcementLevel;
    readonly configSchema?: PolicyConfigSchema;
}

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** The environments with a config file in `policies/config/`. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

function isLevel(v: unknown): v is EnforcementLevel {
    return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/**
 * Reconciles `file` against the policies. Throws, like the CLI, on an invalid enforcement level; also throws
 * on a key that names no policy (a typo would otherwise silently leave a rule at its default).
 */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[], file: PolicyPackConfigFile = {}, packLevel: EnforcementLevel = "mandatory",
): Record<string, ReconciledPolicyConfig> {
    const result: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }> = {};
    for (const p of policies) {
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (typeof schema === "object" && schema !== null && "default" in schema) properties[k] = structuredClone(schema.default);
        }
        result[p.name] = { enforcementLevel: p.enforcementLevel ?? packLevel, properties };
    }
    const entries = Object.entries(file).filter(([k]) => k !== "environments");
    const levelOf = (key: string, entry: unknown): EnforcementLevel | undefined => {
        const level = typeof entry === "string" ? entry : (entry as { enforcementLevel?: unknown } | null)?.enforcementLevel;
        if (level === undefined) return undefined;
        if (!isLevel(level)) throw new Error(`Invalid enforcement level ${JSON.stringify(level)} for "${key}"; expected one of ${ENFORCEMENT_LEVELS.join(", ")}.`);
        return level;
    };
    const all = entries.find(([k]) => k === "all");
    if (all) {
        const level = levelOf("all", all[1]);
        if (level) for (const r of Object.values(result)) r.enforcementLevel = level;
    }
    for (const [name, entry] of entries) {
        if (name === "all") continue;
        const target = result[name];
        if (!target) throw new Error(`Policy config names unknown policy "${name}"; known policies: ${Object.keys(result).join(", ")}.`);
        const level = levelOf(name, entry);
        if (level) target.enforcementLevel = level;
        if (typeof entry === "object" && entry !== null && !Array.isArray(entry)) {
            for (const [k, v] of Object.entries(entry)) if (k !== "enforcementLevel") target.properties[k] = v;
        }
    }
    return result;
}

/** Directory of the per-environment config files. */
export const CONFIG_DIR = path.join(__dirname, "..", "config");

/** Reads `policies/config/<env>.json`. */
export function loadEnvironmentConfig(env: Environment): PolicyPackConfigFile {
    return JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${env}.json`), "utf8")) as PolicyPackConfigFile;
}
