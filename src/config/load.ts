/**
 * Parse (pure, tested without Pulumi) and load (reads `pulumi.Config`) the stack config into one typed
 * `Deployment`. Everything here runs before the first resource is registered, so a bad config changes nothing.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { ConfigError, type ConfigProblem, keyPath } from "./errors";
import { RUNPOD_API_KEY_KEY, runpodSecretKeys, unbakedModelImages } from "./runpod";
import { HF_TOKEN_KEY, STRUCTURAL_KEYS, type StackConfig, StackConfigSchema, imageReference } from "./schema";

/** Digest-pinned image references, resolved from the config. */
export interface ImageRefs {
    readonly vllm: string;
    readonly staging: string;
    readonly trainer?: string;
    readonly gateway?: string;
}

/** Secret values: Pulumi secrets end to end, never plain strings. */
export interface DeploymentSecrets {
    /** Hugging Face token for staging gated models; absent for public models. */
    readonly hfToken?: pulumi.Output<string>;
    /** Secret config values by key: the API key of each inference server (`apiKeySecret`) and the gateway's TLS material. */
    readonly apiKeys: ReadonlyMap<string, pulumi.Output<string>>;
    /** The `.dockerconfigjson` named by `kubernetes.imagePullSecret`, when set. */
    readonly registryAuth?: pulumi.Output<string>;
    /** Secrets the RunPod platform reads (registry password, `secretEnv` values), keyed by config key. */
    readonly runpod?: ReadonlyMap<string, pulumi.Output<string>>;
}

/** The validated description handed to the platforms. */
export interface Deployment {
    readonly project: string;
    readonly stack: string;
    readonly config: StackConfig;
    readonly images: ImageRefs;
    readonly secrets: DeploymentSecrets;
}

function zodProblems(error: z.ZodError): ConfigProblem[] {
    return error.issues.flatMap((issue): ConfigProblem[] => {
        const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
        if (issue.code === "unrecognized_keys") {
            return issue.keys.map((k) => ({ path: [...path, k], message: "is not a known setting; check its spelling against docs/config.md" }));
        }
        return [{ path, message: issue.message }];
    });
}

/**
 * Validate the `airlock:` config. `raw` maps the plain-text config keys (without the namespace) to values as
 * Pulumi stores them (objects already parsed); `secretKeys` names the keys stored with `--secret`. Rejects
 * schema violations, unknown keys and secrets stored in plain text; throws {@link ConfigError} listing every
 * problem.
 */
export function parseStackConfig(raw: Record<string, unknown>, stack: string, secretKeys: readonly string[] = []): StackConfig {
    const structural: Record<string, unknown> = {};
    for (const k of STRUCTURAL_KEYS) if (raw[k] !== undefined) structural[k] = raw[k];
    const result = StackConfigSchema.safeParse(structural);
    if (!result.success) throw new ConfigError(stack, raw, zodProblems(result.error));
    const placement = checkKeyPlacement(result.data, Object.keys(raw), secretKeys);
    if (placement.length > 0) throw new ConfigError(stack, raw, placement);
    return result.data;
}

/**
 * Names of the API-key secret config keys a validated config needs (HF token excluded: it is optional). RunPod
 * servers take none: RunPod authenticates callers with RunPod API keys and its vLLM worker binds vLLM to loopback.
 */
export function requiredSecretKeys(config: StackConfig): string[] {
    const tls = config.gateway?.tls;
    return [...new Set([...config.inferenceServers.filter((s) => s.platform !== "runpod").map((s) => s.apiKeySecret), ...(tls ? [tls.certificateSecret, tls.keySecret] : [])])];
}

/** The secret config key of the registry pull secret (kubernetes), when the config names one. */
export function registryAuthKey(config: StackConfig): string | undefined {
    return config.platforms.includes("kubernetes") ? config.kubernetes?.imagePullSecret : undefined;
}

/**
 * Problems with keys outside the schema: plain-text secrets and typos. `plainKeys` are the `airlock:` keys
 * stored in plain text, `secretKeys` those stored with `--secret`.
 */
export function checkKeyPlacement(config: StackConfig, plainKeys: readonly string[], secretKeys: readonly string[]): ConfigProblem[] {
    const pull = registryAuthKey(config);
    const secretNames = new Set([HF_TOKEN_KEY, ...requiredSecretKeys(config), ...(pull ? [pull] : []), RUNPOD_API_KEY_KEY, ...runpodSecretKeys(config)]);
    const structural = new Set<string>(STRUCTURAL_KEYS);
    const problems: ConfigProblem[] = [];
    for (const k of plainKeys) {
        if (structural.has(k)) continue;
        if (secretNames.has(k)) {
            problems.push({
                path: [k], message: "holds a secret in plain text in the stack file; remove it and store it encrypted",
                fix: `pulumi config rm ${keyPath([k])} && pulumi config set --secret ${keyPath([k])} <value>`,
            });
        } else {
            problems.push({ path: [k], message: `is not a known setting (known: ${[...structural].join(", ")}, plus the secret keys the config names)` });
        }
    }
    for (const k of secretKeys) {
        if (structural.has(k)) {
            problems.push({
                path: [k], message: "is structural configuration stored as a secret; store it in plain text (secrets belong in dedicated keys)",
                fix: `pulumi config set --path ${keyPath([k])} <value> (without --secret)`,
            });
        }
    }
    return problems;
}

/**
 * Whether a config key is stored as a secret. The SDK knows (`PULUMI_CONFIG_SECRET_KEYS`) but marks the
 * function internal, so it is reached through a typed accessor that fails loudly if it ever disappears.
 */
function isConfigSecret(fullKey: string): boolean {
    const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
    if (typeof fn !== "function") throw new Error("@pulumi/pulumi no longer exposes runtime.isConfigSecret; update src/config/load.ts");
    return fn(fullKey);
}

function parseConfigValue(value: string): unknown {
    try { return JSON.parse(value); } catch { return value; }
}

/**
 * Load the stack config from the Pulumi runtime: validate it, read the secrets it names with
 * `requireSecret`, and resolve image references. Throws a `RunError` before any resource exists.
 */
export function loadDeployment(): Deployment {
    const project = pulumi.getProject();
    const stack = pulumi.getStack();
    const prefix = `${project}:`;
    const all = pulumi.runtime.allConfig();
    const raw: Record<string, unknown> = {};
    const secretKeys: string[] = [];
    for (const [fullKey, value] of Object.entries(all)) {
        if (!fullKey.startsWith(prefix)) continue;
        const k = fullKey.slice(prefix.length);
        if (isConfigSecret(fullKey)) { secretKeys.push(k); continue; }
        raw[k] = parseConfigValue(value);
    }
    const config = parseStackConfig(raw, stack, secretKeys);

    const cfg = new pulumi.Config(project);
    const missing: ConfigProblem[] = [];
    const apiKeys = new Map<string, pulumi.Output<string>>();
    for (const key of requiredSecretKeys(config)) {
        try {
            apiKeys.set(key, cfg.requireSecret(key));
        } catch {
            const tls = config.gateway?.tls;
            if (tls && (key === tls.certificateSecret || key === tls.keySecret)) {
                const what = key === tls.certificateSecret ? "certificate (PEM, the chain after it)" : "private key (PEM)";
                missing.push({
                    path: [key], message: `is the gateway's TLS ${what} and is not set`,
                    fix: `pulumi config set --secret ${keyPath([key], project)} < ${key === tls.certificateSecret ? "gateway.crt" : "gateway.key"}`,
                });
                continue;
            }
            const users = config.inferenceServers.filter((s) => s.apiKeySecret === key).map((s) => s.name).join(", ");
            missing.push({
                path: [key], message: `is the API key of inference server ${users} and is not set`,
                fix: `pulumi config set --secret ${keyPath([key], project)} "$(openssl rand -hex 32)"`,
            });
        }
    }
    const pullKey = registryAuthKey(config);
    let registryAuth: pulumi.Output<string> | undefined;
    if (pullKey !== undefined) {
        try {
            registryAuth = cfg.requireSecret(pullKey);
        } catch {
            missing.push({
                path: [pullKey], message: "is the registry pull secret named by airlock:kubernetes.imagePullSecret and is not set",
                fix: `pulumi config set --secret ${keyPath([pullKey], project)} "$(cat ~/.docker/config.json)"   (a .dockerconfigjson for the private registry)`,
            });
        }
    }
    const runpod = new Map<string, pulumi.Output<string>>();
    for (const key of runpodSecretKeys(config)) {
        try {
            runpod.set(key, cfg.requireSecret(key));
        } catch {
            missing.push({ path: [key], message: "is a secret the RunPod platform sends to RunPod (registry password or a secretEnv value) and is not set",
                fix: `pulumi config set --secret ${keyPath([key], project)} <value>` });
        }
    }
    // Phase 1 on RunPod has not run for these models: a preview may plan them, a deployment may not.
    const unbaked = unbakedModelImages(config.runpod);
    const bake = (m: string) => `npx tsx scripts/runpod-bake-model.ts --stack ${stack} --model ${m} --run, then ` +
        `pulumi config set --path '${keyPath(["runpod", "modelImages", m, "digest"], project)}' sha256:<the pushed digest>`;
    if (pulumi.runtime.isDryRun()) {
        for (const m of unbaked) {
            void pulumi.log.warn(`${keyPath(["runpod", "modelImages", m, "digest"], project)} is the all-zero digest of a model image not baked yet: ` +
                `this preview plans it, \`pulumi up\` refuses it. Bake it: ${bake(m)}`);
        }
    } else {
        for (const m of unbaked) {
            missing.push({ path: ["runpod", "modelImages", m, "digest"], message: "is the all-zero digest of a model image not baked yet; RunPod could not pull it", fix: bake(m) });
        }
    }
    if (missing.length > 0) throw new ConfigError(stack, raw, missing);
    const hfToken = secretKeys.includes(HF_TOKEN_KEY) ? cfg.requireSecret(HF_TOKEN_KEY) : undefined;

    const images: ImageRefs = {
        vllm: imageReference(config.images.vllm),
        staging: imageReference(config.images.staging ?? config.images.vllm),
        ...(config.images.trainer ? { trainer: imageReference(config.images.trainer) } : {}),
        ...(config.images.gateway ? { gateway: imageReference(config.images.gateway) } : {}),
    };
    return { project, stack, config, images, secrets: { hfToken, apiKeys, ...(registryAuth ? { registryAuth } : {}), ...(runpod.size > 0 ? { runpod } : {}) } };
}
