/**
 * The Kubernetes rules through `airlock plan` (subprocess, the pack over the real Analyzer protocol, prod config):
 * raw @pulumi/kubernetes programs written as Kubernetes users write manifests (tests/fixtures/programs/kubernetes).
 * The insecure program holds one copy of the secure enclave per mutation, each in its own namespace; every copy must
 * be blocked by its mutation's policy on the mutated resource, and by nothing else than the policies the mutation
 * names. A yaml.ConfigFile manifest goes through the plan's offline `kubernetes:yaml:decode`.
 */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { MUTATIONS } from "../fixtures/programs/kubernetes/manifests";
import { ROOT, airlock } from "../support/cli";

const programs = path.join(ROOT, "tests/fixtures/programs/kubernetes");
interface Doc {
    resources: { type: string; name: string; inputs: Record<string, any> }[];
    violations: { policy: string; urn: string; enforcementLevel: string; message: string }[];
}
const plan = (program: string) => airlock(["plan", "--stack", "prod", "--program", path.join(programs, program), "--format", "json"], { timeoutMs: 180_000 });
const nameOf = (urn: string) => urn.split("::").pop()!;

/** One plan of the insecure program (every mutation and the manifest), shared by the cases below. */
let insecure: Doc | undefined;
function load(): Doc {
    if (insecure) return insecure;
    const r = plan("insecure.ts");
    expect(r.status, r.stderr).toBe(1);
    insecure = JSON.parse(r.stdout) as Doc;
    return insecure;
}

describe("airlock plan: Kubernetes rules on raw @pulumi/kubernetes programs (prod)", () => {
    it("passes the secure enclave", { timeout: 200_000 }, () => {
        const r = plan("secure.ts");
        expect(r.status, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as Doc;
        expect(doc.violations).toEqual([]);
        expect(doc.resources.map((x) => x.type).filter((t) => t.startsWith("kubernetes:")).sort()).toEqual([
            "kubernetes:apps/v1:Deployment", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:Job", "kubernetes:core/v1:Namespace",
            "kubernetes:core/v1:PersistentVolumeClaim", "kubernetes:core/v1:Secret", "kubernetes:core/v1:Service", "kubernetes:core/v1:ServiceAccount",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes:networking.k8s.io/v1:NetworkPolicy",
        ]);
    });

    describe("blocks every mutation with its own policy", () => {
        it("covers every Kubernetes rule", () => {
            const k8sPolicies = allPolicies.filter((p) => p.name.startsWith("kubernetes-")).map((p) => p.name).sort();
            expect([...new Set(MUTATIONS.map((m) => m[1]))].sort()).toEqual(k8sPolicies);
        });
        it.each(MUTATIONS.map((m, i) => [m[0], i, m] as const))("%s", { timeout: 200_000 }, (_title, i, [, policy, on, , also]) => {
            const vs = load().violations.filter((v) => nameOf(v.urn).startsWith(`m${i}-`));
            expect(vs.length).toBeGreaterThan(0);
            expect(vs.filter((v) => v.policy === policy && nameOf(v.urn) === `m${i}-${on}` && v.enforcementLevel === "mandatory"),
                JSON.stringify(vs, null, 2)).not.toHaveLength(0);
            expect([...new Set(vs.map((v) => v.policy))].sort()).toEqual([policy, ...(also ?? [])].sort());
        });
    });

    it("checks the objects of a yaml.ConfigFile manifest: a privileged vLLM Deployment is blocked", { timeout: 200_000 }, () => {
        const doc = load();
        // The decoded manifest registers as resources, a List expanded into its items.
        expect(doc.resources.filter((x) => x.name.startsWith("yaml-team") || x.name === "team-manifest").map((x) => `${x.type}::${x.name}`).sort()).toEqual([
            "kubernetes:apps/v1:Deployment::yaml-team/vllm",
            "kubernetes:core/v1:Namespace::yaml-team",
            "kubernetes:core/v1:Service::yaml-team/vllm",
            "kubernetes:networking.k8s.io/v1:NetworkPolicy::yaml-team/default-deny",
            "kubernetes:yaml:ConfigFile::team-manifest",
        ]);
        expect(doc.violations.filter((v) => nameOf(v.urn).startsWith("yaml-team")).map((v) => [v.policy, v.enforcementLevel, nameOf(v.urn), v.message])).toEqual([[
            "kubernetes-pod-disallow-privileged", "mandatory", "yaml-team/vllm",
            'spec.template.spec.containers[0].securityContext.privileged is true, which gives container "vllm" every capability and every device of the node: set it to false (GPUs come from nvidia.com/gpu limits).',
        ]]);
    });

    it("fails in one line naming the provider when a Helm chart must be rendered", () => {
        const r = airlock(["plan", "--stack", "prod", "--program", path.join(programs, "helm-chart.ts"), "--no-policy"]);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toEqual([
            "error: helm.v3.Chart renders its chart with `helm template` (invoke \"kubernetes:helm:template\"), which needs the Kubernetes provider " +
            "(airlock plan runs none): plan this program with `pulumi preview --policy-pack policies`, or render the chart to YAML once " +
            "(helm template …) and apply it with yaml.ConfigFile",
        ]);
    });
});
