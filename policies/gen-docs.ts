/**
 * Generates docs/policies.md from the pack's metadata: name, group, resource type, severity, the enforcement
 * level per environment (policies/config/<env>.json reconciled as the CLI does), what it checks (description),
 * why (rationale), how to fix (remediationSteps) and its tunables (configSchema defaults).
 *
 *   npx tsx policies/gen-docs.ts          # rewrite docs/policies.md
 *
 * `renderPolicyDocs()` is pure (given the config files) so a test can fail when the committed file is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PACK_NAME, allPolicies } from "./all";
import { ENVIRONMENTS, type Environment, type PolicyPackConfigFile, loadEnvironmentConfig, reconcilePolicyConfig } from "./lib/pack-config";
import { type AirlockPolicy, POLICY_GROUPS, type PolicyGroup, isStackPolicy } from "./lib/types";
import { AWSGUARD_COMPARISON, AWSGUARD_VERSION } from "./lib/awsguard-comparison";

/** Where the generated reference lives, relative to the repository root. */
export const DOCS_PATH = path.join(__dirname, "..", "docs", "policies.md");
export const REGENERATE_COMMAND = "npx tsx policies/gen-docs.ts";

const GROUP_TITLES: Record<PolicyGroup, string> = {
    network: "Network isolation",
    offline: "Offline serving and model supply chain",
    secrets: "Secrets",
    images: "Image supply chain",
    sandbox: "Container sandbox",
    kubernetes: "Kubernetes",
    runpod: "RunPod serverless",
    aws: "AWS: sealed enclaves, GPU instances, registries, keys and secrets",
};

/** Markdown-safe table cell. */
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** Renders the policy reference for `policies`, with per-environment levels from `configs`. */
export function renderPolicyDocs(
    policies: readonly AirlockPolicy[] = allPolicies,
    configs: Readonly<Record<Environment, PolicyPackConfigFile>> = Object.fromEntries(
        ENVIRONMENTS.map((e) => [e, loadEnvironmentConfig(e)])) as Record<Environment, PolicyPackConfigFile>,
): string {
    const levels = Object.fromEntries(ENVIRONMENTS.map((e) => [e, reconcilePolicyConfig(policies, configs[e])])) as
        Record<Environment, ReturnType<typeof reconcilePolicyConfig>>;
    const out: string[] = [];
    out.push(
        "# Airlock policy reference",
        "",
        `<!-- Generated from the \`${PACK_NAME}\` policy pack's metadata and policies/config/*.json by \`${REGENERATE_COMMAND}\`. Do not edit by hand. -->`,
        "",
        `The \`${PACK_NAME}\` CrossGuard pack (\`policies/\`) checks the resources a Pulumi program registers, whoever wrote the program. ` +
        "Run it with `pulumi preview --policy-pack policies --policy-pack-config policies/config/<env>.json`, or offline with `airlock plan`.",
        "",
        "## How the rules decide",
        "",
        "- **Sealed by default.** Every container, labelled or not, is held to the sealed rules: internal networks only (or none), the " +
        "offline and telemetry-off env, a numeric non-root user, read-only model volumes, the sandbox. Airlock labels its containers " +
        "`airlock.dev/role`; a label is a claim the pack checks, never a pass. Three roles relax something, and only when the container " +
        "looks like the role: `model-staging` (a one-shot exec-form `hf download` that writes only where it downloads: egress allowed, " +
        "root without capabilities), `volume-init` (a one-shot exec-form chmod/chown of its own volumes without network: root " +
        "without capabilities, no env) and `gateway` (a known reverse-proxy image with no volume, GPU or foreign credential: one routed " +
        "network of its own beside internal ones, no offline env; where its proxy forwards is not read — see the README's isolation " +
        "section). A recognised model server (vLLM, TGI, SGLang, Ollama, llama.cpp, Triton, TensorRT-LLM, NIM, " +
        "LMDeploy, LocalAI — by argv or image) is inference whatever its label says; recognition only names it in messages.",
        "- **Values are read as their consumers read them** (`@airlock/baseline`): huggingface_hub's truthiness without trimming, vLLM's " +
        "exact `\"1\"` and `bool(int(v))` readings, vLLM's flag spellings (`_` for `-`, unambiguous prefixes), Docker's env set (a key " +
        "set twice with different values is unverifiable), numeric users parsed like the runtime (`00` is root), security options in " +
        "both separators and inline seccomp JSON. What cannot be read (an argument file, a shell string that expands) is a violation.",
        "- **Every path out**: networks per Docker host (a network on one provider never vouches for another), log drivers, volume " +
        "drivers and options, volumes the stack does not declare, other containers' namespaces and volumes, swarm services, plugins, " +
        "builders.",
        "- **Kubernetes pods are sealed the same way.** One reader covers the pod template of every kind that runs pods (Deployment, " +
        "StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod, retired API versions included) and its regular, " +
        "init and ephemeral containers. Only `model-staging` relaxes anything (egress through a NetworkPolicy, writing the model " +
        "volume), and only for a Job (or run-once Pod) of exec-form `hf download` containers; there is no root exception (fsGroup opens " +
        "volumes). Env is read as kubelet resolves it (`envFrom` first, then `env` in order, `$(VAR)` expanded, the last entry wins); " +
        "a value from a Secret, ConfigMap or `envFrom` cannot be read. Unset fields mean the Kubernetes default (`allowPrivilegeEscalation` " +
        "true, `automountServiceAccountToken` the ServiceAccount's, seccomp Unconfined, the namespace the kubeconfig context's).",
        "- **Missing properties** mean the provider default (e.g. unset `networkMode` is Docker's default bridge, unset `ports[].ip` is 0.0.0.0).",
        "- **Unknown at preview = violation.** A security-relevant field computed from another resource's output is unknown during " +
        "`pulumi preview`. The SDK would report such a policy as an advisory \"can't run policy\" and let the preview pass; every Airlock " +
        "rule instead reports a violation at its own level naming the field (\"`networkMode` is unknown at preview; … make it a plain value\").",
        "- **Secrets are seen unwrapped.** CrossGuard decrypts Pulumi secrets before a policy runs, so no rule can tell a `pulumi.secret()` " +
        "value from a literal. The rules therefore check what is verifiable: secret-named env keys require `additionalSecretOutputs: [\"envs\"]`, " +
        "credential-shaped values are rejected in argv and under env names that do not announce a secret, and accepted under a secret-named key (`HF_TOKEN`) only when `envs` is an additional secret output, and vLLM's API key must come " +
        "from `VLLM_API_KEY`, never `--api-key`.",
        "- **AWS.** A subnet, security group or key is matched to the instances that use it through the engine's property " +
        "dependencies (ids are unknown in a first preview), and anything the stack does not declare cannot be verified. A setting " +
        "left unset is read as EC2 applies it (the AMI's metadata defaults, the subnet's public-IP mapping, the default security " +
        "group). User data is decoded (base64, gzip, #cloud-config) and parsed as the shell splits it; each `docker run` is read " +
        "with the Docker CLI's option rules, so the LLM rules apply to what the instance really starts. The staging subnet's tag " +
        "is a claim the stack rules verify.",
        "- **Config.** Tunables have JSON-schema defaults; the pack applies the same defaults itself, so a missing value always means the " +
        "documented default. Levels per environment come from `policies/config/<env>.json` (`\"all\"` first, then per-policy entries).",
        "",
        "## Summary",
        "",
        `| Policy | Group | Resource | Severity | ${ENVIRONMENTS.join(" | ")} |`,
        `|---|---|---|---|${ENVIRONMENTS.map(() => "---").join("|")}|`,
    );
    for (const p of policies) {
        out.push(`| [\`${p.name}\`](#${p.name}) | ${p.group} | \`${p.resourceType}\`${p.resourceTypes ? ` (+${p.resourceTypes.length - 1})` : ""}${isStackPolicy(p) ? " (stack)" : ""} | ${p.severity} | ` +
            `${ENVIRONMENTS.map((e) => levels[e][p.name]!.enforcementLevel).join(" | ")} |`);
    }
    const aws = policies.filter((p) => p.name.startsWith("aws-"));
    if (aws.length > 0) {
        const shared = aws.filter((p) => AWSGUARD_COMPARISON[p.name]?.awsguard !== undefined).length;
        out.push(
            "",
            "## Airlock's AWS rules and @pulumi/awsguard",
            "",
            `Which of the AWS rules [@pulumi/awsguard](https://github.com/pulumi/pulumi-policy-aws) ${AWSGUARD_VERSION} (Pulumi's published AWS pack) ` +
            `also has: ${shared} of ${aws.length} (notes below). The timing comparison is in docs/performance.md.`,
            "",
            "| Airlock rule | awsguard | What awsguard checks |",
            "|---|---|---|",
            ...aws.map((p) => {
                const c = AWSGUARD_COMPARISON[p.name];
                return `| [\`${p.name}\`](#${p.name}) | ${c?.awsguard ? `\`${c.awsguard}\`` : "—"} | ${cell(c?.note ?? "not compared")} |`;
            }),
        );
    }
    for (const group of POLICY_GROUPS) {
        const inGroup = policies.filter((p) => p.group === group);
        if (inGroup.length === 0) continue;
        out.push("", `## ${GROUP_TITLES[group]}`);
        for (const p of inGroup) {
            out.push(
                "",
                `### ${p.name}`,
                "",
                `- **Resource:** ${(p.resourceTypes ?? [p.resourceType]).map((t) => `\`${t}\``).join(", ")} (${isStackPolicy(p) ? "stack policy: sees every resource of the stack" : "resource policy"})`,
                `- **Severity:** ${p.severity}`,
                `- **Enforcement:** ${ENVIRONMENTS.map((e) => `${e}: ${levels[e][p.name]!.enforcementLevel}`).join(", ")}`,
                "",
                `**What it checks.** ${p.description}`,
                "",
                `**Why.** ${p.rationale}`,
                "",
                `**How to fix.** ${p.remediationSteps}`,
            );
            const props = Object.entries(p.configSchema?.properties ?? {});
            if (props.length > 0) {
                out.push("", "**Config.**", "", "| Property | Default | dev | Meaning |", "|---|---|---|---|");
                for (const [k, schema] of props) {
                    const s = schema as { default?: unknown; description?: string };
                    const devValue = levels.dev[p.name]!.properties[k];
                    out.push(`| \`${k}\` | \`${cell(JSON.stringify(s.default))}\` | \`${cell(JSON.stringify(devValue))}\` | ${cell(s.description ?? "")} |`);
                }
            }
        }
    }
    return `${out.join("\n")}\n`;
}

if (require.main === module) {
    fs.mkdirSync(path.dirname(DOCS_PATH), { recursive: true });
    fs.writeFileSync(DOCS_PATH, renderPolicyDocs());
    process.stdout.write(`wrote ${path.relative(process.cwd(), DOCS_PATH)} (${allPolicies.length} policies)\n`);
}
