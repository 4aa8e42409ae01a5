/**
 * Pack metadata, per-environment config files and the generated reference. No policy is run here except where
 * the config's effect is asserted.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { DOCS_PATH, REGENERATE_COMMAND, renderPolicyDocs } from "../../policies/gen-docs";
import { CONFIG_PROPERTIES } from "../../policies/lib/config";
import { DOCKER_TYPES } from "../../policies/lib/docker-types";
import { ENVIRONMENTS, loadEnvironmentConfig, reconcilePolicyConfig } from "../../policies/lib/pack-config";
import { POLICY_GROUPS, POLICY_VENDORS, isStackPolicy, ruleFileOf } from "../../policies/lib/types";

const RULES_DIR = path.join(__dirname, "../../policies/rules");

describe("policy metadata", () => {
    it.each(allPolicies.map((p) => [p.name, p] as const))("%s", (_n, p) => {
        expect(p.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(POLICY_VENDORS.some((v) => p.name.startsWith(`${v}-`)), "vendor prefix").toBe(true);
        expect(p.description).toMatch(/^[A-Z].*\.$/);
        expect(p.description.trim().split(/(?<=\.)\s+(?=[A-Z])/)).toHaveLength(1); // one sentence
        expect(["advisory", "mandatory", "remediate", "disabled"]).toContain(p.enforcementLevel);
        expect(["low", "medium", "high", "critical"]).toContain(p.severity);
        expect(p.remediationSteps.length).toBeGreaterThan(20);
        expect(p.rationale.length).toBeGreaterThan(20);
        expect(POLICY_GROUPS).toContain(p.group);
        if (p.name.startsWith("docker-")) expect(Object.values(DOCKER_TYPES)).toContain(p.resourceType);
        for (const t of p.resourceTypes ?? []) expect(t).toMatch(/^[a-z0-9-]+:[A-Za-z0-9/._-]*:[A-Za-z0-9]+$/);
        expect(p.resourceType).toMatch(/^[a-z0-9-]+:[A-Za-z0-9/._-]*:[A-Za-z0-9]+$/);
        // One policy per file: rules/<group>/<name without the vendor prefix>.ts
        expect(fs.existsSync(path.join(RULES_DIR, ruleFileOf(p)))).toBe(true);
        // serve() rejects these (crossguard.md 1.1)
        expect(p.name).not.toBe("all");
        expect(Object.keys(p.configSchema?.properties ?? {})).not.toContain("enforcementLevel");
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            expect(schema, k).toHaveProperty("default");
        }
    });
    it("names are unique", () => {
        const names = allPolicies.map((p) => p.name);
        expect(new Set(names).size).toBe(names.length);
    });
    it("every rule file is registered in allPolicies", () => {
        const files = POLICY_GROUPS.flatMap((g) => fs.readdirSync(path.join(RULES_DIR, g)).map((f) => `${g}/${f.replace(/\.ts$/, "")}`));
        expect(files.sort()).toEqual(allPolicies.map((p) => ruleFileOf(p).replace(/\.ts$/, "")).sort());
    });
    it("validateResource of resource policies carries the type tag (server short-circuit survives the fail-closed wrapper)", () => {
        for (const p of allPolicies.filter((x) => !isStackPolicy(x) && x.resourceTypes === undefined)) {
            expect((p as { validateResource?: { __pulumiType?: string } }).validateResource?.__pulumiType, p.name).toBe(p.resourceType);
        }
    });
    it("a policy of several types lists resourceType first, carries no single tag and reports other types not applicable", async () => {
        const multi = allPolicies.filter((x) => x.resourceTypes !== undefined);
        expect(multi.length).toBeGreaterThan(0);
        const { analyze } = await import("./harness");
        for (const p of multi) {
            expect(p.resourceTypes![0], p.name).toBe(p.resourceType);
            expect(new Set(p.resourceTypes).size, p.name).toBe(p.resourceTypes!.length);
            if (isStackPolicy(p)) continue;
            expect((p as { validateResource?: { __pulumiType?: string } }).validateResource?.__pulumiType, p.name).toBeUndefined();
            const result = await analyze([{ type: DOCKER_TYPES.volume, name: "v", props: { name: "v" } }], {}, { policies: [p] });
            expect(result.violations, p.name).toEqual([]);
            expect(result.notApplicable.map((n) => n.policy), p.name).toEqual([p.name]);
        }
    });
    it("index.ts only constructs the PolicyPack from allPolicies", () => {
        const src = fs.readFileSync(path.join(__dirname, "../../policies/index.ts"), "utf8");
        expect(src).toMatch(/new PolicyPack\(PACK_NAME, \{\s*policies: allPolicies,\s*enforcementLevel: PACK_ENFORCEMENT_LEVEL,/);
        expect(src.match(/^import .*$/gm)).toEqual([
            'import { PolicyPack } from "@pulumi/policy";',
            'import { PACK_DESCRIPTION, PACK_ENFORCEMENT_LEVEL, PACK_NAME, allPolicies } from "./all";',
            'import { memoizeDeserialization } from "./lib/memoize-deserialize";',
        ]);
        expect(src).toContain("\nmemoizeDeserialization();\n");
    });
});

describe("per-environment policy config", () => {
    const NEVER_RELAXED = ["network", "offline", "secrets"];
    it.each(ENVIRONMENTS)("%s.json is valid: known policies, valid levels, properties the policy declares", (env) => {
        const file = loadEnvironmentConfig(env);
        expect(() => reconcilePolicyConfig(allPolicies, file)).not.toThrow();
        for (const [name, entry] of Object.entries(file)) {
            if (name === "all" || typeof entry !== "object" || Array.isArray(entry)) continue;
            const declared = Object.keys(allPolicies.find((p) => p.name === name)?.configSchema?.properties ?? {});
            expect(Object.keys(entry).filter((k) => k !== "enforcementLevel" && !declared.includes(k)), name).toEqual([]);
        }
    });
    it("prod and staging make every rule mandatory", () => {
        for (const env of ["prod", "staging"] as const) {
            const levels = reconcilePolicyConfig(allPolicies, loadEnvironmentConfig(env));
            expect(Object.entries(levels).filter(([, c]) => c.enforcementLevel !== "mandatory").map(([n]) => n), env).toEqual([]);
        }
    });
    it("dev relaxes only image rules (and the Helm Release and Patch advisories), never a network, offline or secrets rule", () => {
        const levels = reconcilePolicyConfig(allPolicies, loadEnvironmentConfig("dev"));
        const relaxed = allPolicies.filter((p) => levels[p.name]!.enforcementLevel !== "mandatory");
        expect(relaxed.map((p) => p.group).filter((g) => NEVER_RELAXED.includes(g))).toEqual([]);
        expect(relaxed.map((p) => p.name).sort()).toEqual([
            "docker-container-require-allowed-registry", "docker-remote-image-require-allowed-registry", "kubernetes-helm-release-disallow-opaque",
            "kubernetes-patch-disallow-checked-kinds"]);
    });
    it("dev allows the local mirror localhost:5000 for both registry rules", () => {
        const levels = reconcilePolicyConfig(allPolicies, loadEnvironmentConfig("dev"));
        for (const n of ["docker-container-require-allowed-registry", "docker-remote-image-require-allowed-registry"]) {
            expect(levels[n]!.properties.allowedRegistries).toEqual(["localhost:5000"]);
            expect(levels[n]!.properties.allowedRegistryPatterns).toEqual(CONFIG_PROPERTIES.allowedRegistryPatterns.default);
        }
    });
    it("reconciliation: defaults, then \"all\", then per-policy entries; typos are errors", () => {
        const r = reconcilePolicyConfig(allPolicies, {
            all: "advisory",
            "docker-container-disallow-privileged": "mandatory",
            "docker-container-restrict-published-ports": { allowedPortBindIps: ["::1"] },
            environments: ["ignored"],
        });
        expect(r["docker-container-disallow-privileged"]!.enforcementLevel).toBe("mandatory");
        expect(r["docker-container-restrict-published-ports"]).toEqual({ enforcementLevel: "advisory", properties: { allowedPortBindIps: ["::1"] } });
        expect(r["docker-container-require-pinned-model"]!.properties).toEqual({ allowedModelRoots: ["/models"] });
        expect(() => reconcilePolicyConfig(allPolicies, { "docker-container-disalow-privileged": "mandatory" }))
            .toThrow(/no policy named "docker-container-disalow-privileged" in pack "airlock"/);
        expect(() => reconcilePolicyConfig(allPolicies, { all: "warn" as never })).toThrow(/all: invalid enforcement level "warn"/);
    });
});

describe("docs/policies.md", () => {
    it("is up to date with the pack's metadata and config files", () => {
        const committed = fs.existsSync(DOCS_PATH) ? fs.readFileSync(DOCS_PATH, "utf8") : "";
        expect(committed === renderPolicyDocs(), `docs/policies.md is stale: run \`${REGENERATE_COMMAND}\` and commit the result`).toBe(true);
    });
    it("documents every policy with its per-environment levels and remediation", () => {
        const md = renderPolicyDocs();
        for (const p of allPolicies) {
            expect(md).toContain(`### ${p.name}`);
            expect(md).toContain(p.remediationSteps);
        }
        expect(md).toContain("| [`docker-container-require-allowed-registry`](#docker-container-require-allowed-registry) | images | `docker:index/container:Container` | high | advisory | mandatory | mandatory |");
    });
});
