/**
 * Policy pack config files (`--policy-pack-config` format) for the pack's own tooling: the docs generator
 * (levels per environment) and the test harness (what `Configure` would send). The reconciliation itself is
 * the one `airlock plan` runs (src/cli/policy-config.ts), so the two can never disagree.
 */
import type { EnforcementLevel, PolicyConfigSchema } from "@pulumi/policy";
import * as fs from "node:fs";
import * as path from "node:path";
import { type PolicyMeta, parsePolicyConfigFile, reconcilePolicyConfig as reconcile } from "@airlock/policy-config";

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

export { ENFORCEMENT_LEVELS } from "@airlock/policy-config";

/** The environments with a config file in `policies/config/`. */
export const ENVIRONMENTS = ["dev", "staging", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/**
 * Reconciles `file` against the pack's policies with the same code `airlock plan` uses for any pack
 * (src/cli/policy-config.ts): schema defaults, `all`, per-policy entries, JSON-schema validation of the
 * properties; throws on an invalid level and on a key that names no policy.
 */
export function reconcilePolicyConfig(
    policies: readonly ConfigurablePolicy[], file: PolicyPackConfigFile = {}, packLevel: EnforcementLevel = "mandatory",
): Record<string, ReconciledPolicyConfig> {
    return reconcile("airlock", policies.map((p) => ({
        name: p.name,
        enforcementLevel: p.enforcementLevel ?? packLevel,
        ...(p.configSchema ? { configSchema: p.configSchema as PolicyMeta["configSchema"] } : {}),
    })), {}, parsePolicyConfigFile(file, "policy config"), (message) => { throw new Error(message); });
}

/** Directory of the per-environment config files. */
export const CONFIG_DIR = path.join(__dirname, "..", "config");

/** Reads `policies/config/<env>.json`. */
export function loadEnvironmentConfig(env: Environment): PolicyPackConfigFile {
    return JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, `${env}.json`), "utf8")) as PolicyPackConfigFile;
}
