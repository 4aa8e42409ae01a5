/**
 * The real Pulumi CLI (built from its Go module by scripts/engine/build.sh, or AIRLOCK_PULUMI) running our policy
 * pack, compared with `airlock plan`. The program here has ComponentResources only, so no resource provider plugin
 * is involved; the Docker programs are in dev-stack.test.ts.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineSession, ROOT, engineSession, policyViolations, previewResources, runEngine } from "./support/engine";
import { RECORDER_PACK, airlockPlan, compareRecordings, identity, projectDir, readRecording, urnIdentity } from "./support/differential";

const PROGRAM = path.join(ROOT, "tests/fixtures/programs/components-only");
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
const SDK_VERSION = lock.packages["node_modules/@pulumi/pulumi"]!.version;

let session: EngineSession;
let dir: string;
beforeAll(() => {
    session = engineSession();
    dir = projectDir({ name: "fixture", program: PROGRAM, stack: "dev", stackYaml: "config: {}\n" });
    for (const env of ["staging", "prod"]) fs.writeFileSync(path.join(dir, `Pulumi.${env}.yaml`), "config: {}\n");
});
afterAll(() => { session?.dispose(); if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

const preview = (stack: string, packs: string[], configs: string[] = [], env: Record<string, string> = {}) => {
    const s: EngineSession = { ...session, env: { ...session.env, ...env } };
    return runEngine(s, { op: "preview", workDir: dir, stack, program: PROGRAM, policyPacks: packs, policyPackConfigs: configs });
};

describe("the Pulumi CLI built from its Go module", () => {
    it("is the version of @pulumi/pulumi in package-lock.json", () => {
        const r = session.pulumi(["version"]);
        expect(r.status).toBe(0);
        expect(r.stdout.trim()).toBe(`v${SDK_VERSION}`);
    });

    it.each(["dev", "staging", "prod"])("previews with policies/ and policies/config/%s.json: the pack loads, configures and passes", (env) => {
        const r = preview(env, [path.join(ROOT, "policies")], [path.join(ROOT, `policies/config/${env}.json`)]);
        expect(r.error ?? "").toBe("");
        expect(r.ok).toBe(true);
        expect(r.stdout).toMatch(/Policies:\s*\n\s*✅ airlock@v0\.1\.0 \(local: .*policies\)/);
        expect(policyViolations(r.events)).toEqual([]);
        // The engine ran the whole program: the stack and its 6 components.
        expect(previewResources(r.events).map(identity).sort()).toEqual([
            "fixture:index:Group::root", "fixture:index:Group::root-a", "fixture:index:Leaf::deny-me", "fixture:index:Leaf::loose",
            "fixture:index:Leaf::root-a-0", "fixture:index:Leaf::root-b", `pulumi:pulumi:Stack::fixture-${env}`,
        ]);
    });
});

describe("airlock plan and the engine send a policy pack the same resources (recording pack)", () => {
    let planRec: ReturnType<typeof readRecording>;
    let engineRec: ReturnType<typeof readRecording>;
    let engineRun: ReturnType<typeof preview>;
    let planRun: ReturnType<typeof airlockPlan>;
    beforeAll(() => {
        const planOut = path.join(dir, "plan.jsonl");
        const engineOut = path.join(dir, "engine.jsonl");
        planRun = airlockPlan(dir, "dev", ["--policy-pack", RECORDER_PACK], { AIRLOCK_RECORDER_OUT: planOut });
        engineRun = preview("dev", [RECORDER_PACK], [], { AIRLOCK_RECORDER_OUT: engineOut });
        planRec = readRecording(planOut);
        engineRec = readRecording(engineOut);
    });

    it("the same resources, parents, providers and props", () => {
        expect(engineRec.length).toBe(7);
        const diffs = compareRecordings(planRec, engineRec).filter((d) => d.field !== "urn");
        expect(diffs).toEqual([]);
    });

    it("the same mandatory violation, on the same resource", () => {
        expect(planRun.status).toBe(1);
        expect(engineRun.ok).toBe(false);
        const engine = policyViolations(engineRun.events).map((v) => [v.policyName, v.enforcementLevel, urnIdentity(v.resourceUrn ?? "")]);
        const plan = planRun.json!.violations.map((v) => [v.policy, v.enforcementLevel, urnIdentity(v.urn ?? "")]);
        expect(engine).toEqual([["recorder-deny-marked", "mandatory", "fixture:index:Leaf::deny-me"]]);
        expect(plan).toEqual(engine);
        // The engine prefixes the message with the policy's description (docs/fidelity.md); the finding is the same.
        expect(policyViolations(engineRun.events)[0]!.message).toBe("Reports every resource whose name starts with deny-.\ndeny-me is marked deny-\n");
        expect(planRun.json!.violations[0]!.message).toBe("deny-me is marked deny-");
    });

    // Fixed after docs/fidelity.md #1: the plan now builds URNs as the engine does (src/cli/run-program.ts engineUrn).
    it("the same URNs", () => {
        const urns = compareRecordings(planRec, engineRec).filter((d) => d.field === "urn");
        expect(urns).toEqual([]);
        const urn = (rs: typeof planRec, name: string) => rs.find((r) => r.name === name)!.urn;
        expect(urn(planRec, "root")).toBe("urn:pulumi:dev::fixture::fixture:index:Group::root");
        expect(urn(planRec, "root-a-0")).toBe("urn:pulumi:dev::fixture::fixture:index:Group$fixture:index:Group$fixture:index:Leaf::root-a-0");
    });
});

describe("policy config (--policy-pack-config): airlock plan accepts and rejects what the CLI does", () => {
    const cases: [string, unknown, boolean][] = [
        ["an invalid `all` level", { all: "blocking" }, false],
        ["an invalid per-policy level", { "docker-container-require-internal-network": { enforcementLevel: "nope" } }, false],
        ["a tunable of the wrong type (the pack's JSON schema)", { "docker-container-require-allowed-registry": { allowedRegistries: "localhost:5000" } }, false],
        ["an extra property beside a valid tunable", { "docker-container-require-allowed-registry": { allowedRegistries: ["x"], surprise: 1 } }, true],
        ["remediate on a policy", { "docker-container-require-allowed-registry": { enforcementLevel: "remediate" } }, true],
        ["a file that is not JSON", "not json", false],
    ];
    it.each(cases)("%s", (_label, config, accepted) => {
        const file = path.join(dir, `cfg-${Math.random().toString(36).slice(2)}.json`);
        fs.writeFileSync(file, typeof config === "string" ? config : JSON.stringify(config));
        const engine = preview("dev", [path.join(ROOT, "policies")], [file]);
        const plan = airlockPlan(dir, "dev", ["--policy-config", file]);
        expect(engine.ok).toBe(accepted);
        expect(plan.status).toBe(accepted ? 0 : 2);
    });

    // Fixed after docs/fidelity.md #2: the CLI ignores a config entry that names no policy of the pack, and so does
    // `airlock plan` now (with a warning).
    it("a policy name the pack does not have: both accept", () => {
        const file = path.join(dir, "cfg-unknown-policy.json");
        fs.writeFileSync(file, JSON.stringify({ "no-such-policy": "mandatory" }));
        const engine = preview("dev", [path.join(ROOT, "policies")], [file]);
        expect(engine.ok).toBe(true);
        expect(airlockPlan(dir, "dev", ["--policy-config", file]).status).toBe(0);
    });
});
