/**
 * The Kubernetes rules, table-driven (cases.ts): for every rule at least one check per finding with the EXACT message,
 * the missing-property case (unset = the Kubernetes default), the unknown-at-preview case (a violation at the rule's
 * level naming the field, not the SDK's advisory), and a config case for every tunable. Default config:
 * policies/config/prod.json (where the kubernetes platform runs).
 */
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../../policies/all";
import { loadEnvironmentConfig, reconcilePolicyConfig } from "../../../policies/lib/pack-config";
import { analyzeResources, urnOf } from "../harness";
import { CASES } from "./cases";
import { secureEnclave, withLeaderWorkerSet } from "./fixtures";
import { isCustomResourceType } from "../../../policies/lib/kubernetes-types";

const prod = loadEnvironmentConfig("prod");
const k8sPolicies = allPolicies.filter((p) => p.name.startsWith("kubernetes-"));

describe("every Kubernetes policy has its cases", () => {
    it.each(k8sPolicies.map((p) => p.name))("%s has check, missing and unknown cases", (name) => {
        const kinds = new Set((CASES[name] ?? []).map((c) => c.kind));
        expect([...kinds].filter((k) => ["check", "missing", "unknown"].includes(k)).sort()).toEqual(["check", "missing", "unknown"]);
    });
    it("the table names no policy the pack lacks", () => {
        expect(Object.keys(CASES).filter((n) => !k8sPolicies.some((p) => p.name === n))).toEqual([]);
    });
    it("every Kubernetes policy that reads config has a config case", () => {
        const configurable = k8sPolicies.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0).map((p) => p.name);
        const withConfig = Object.entries(CASES).filter(([, cs]) => cs.some((c) => c.config !== undefined)).map(([n]) => n);
        expect(configurable.filter((n) => !withConfig.includes(n))).toEqual([]);
    });
    it("the secure enclave passes every policy of the pack", async () => {
        expect(await analyzeResources(secureEnclave(), prod)).toEqual([]);
    });
    it("a LeaderWorkerSet whose pod templates are the secure server's passes every policy of the pack", async () => {
        expect(await analyzeResources(withLeaderWorkerSet(), prod)).toEqual([]);
    });
    it("custom resources are read by shape; built-in kinds, Patches and Helm are not", () => {
        expect(isCustomResourceType("kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet")).toBe(true);
        expect(isCustomResourceType("kubernetes:serving.kserve.io/v1beta1:InferenceService")).toBe(true);
        expect(isCustomResourceType("kubernetes:ray.io/v1:RayCluster")).toBe(true);
        for (const t of ["kubernetes:core/v1:Secret", "kubernetes:apps/v1:DeploymentPatch", "kubernetes:gateway.networking.k8s.io/v1:Gateway",
            "kubernetes:helm.sh/v3:Release", "kubernetes:yaml:ConfigFile", "kubernetes:apps/v1:Deployment"]) expect(isCustomResourceType(t), t).toBe(false);
    });
});

for (const [policy, cases] of Object.entries(CASES)) {
    describe(policy, () => {
        it.each(cases.map((c) => [`${c.kind}: ${c.title}`, c] as const))("%s", async (_title, c) => {
            const config = c.config ?? prod;
            const resources = c.resources();
            const vs = (await analyzeResources(resources, config)).filter((v) => v.policy === policy);
            expect(vs.map((v) => v.message)).toEqual(c.expect);
            const level = reconcilePolicyConfig(allPolicies, config)[policy]!.enforcementLevel;
            for (const v of vs) {
                expect(v.enforcementLevel).toBe(level);
                if (c.on) expect(v.urn).toBe(urnOf(resources.find((r) => r.name === c.on)!));
            }
        });
    });
}

describe("unknown values in Kubernetes rules", () => {
    it("every unknown-at-preview case is a mandatory violation in prod", async () => {
        for (const [policy, cases] of Object.entries(CASES)) {
            for (const c of cases.filter((x) => x.kind === "unknown")) {
                const vs = (await analyzeResources(c.resources(), prod)).filter((v) => v.policy === policy);
                expect(vs.length, `${policy}: ${c.title}`).toBeGreaterThan(0);
                expect(vs.every((v) => v.enforcementLevel === "mandatory"), `${policy}: ${c.title}`).toBe(true);
            }
        }
    });
});
