/**
 * Components comply with our own policies: every resource the dev stack registers (recorded by the plan's
 * monitor, options included) goes through the pack's policies in-process, per environment config. A real
 * HF token (as a Pulumi secret) must pass: the components deliver it under a secret-named key with envs as
 * an additional secret output.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { readProjectFile, readStackConfig } from "../../src/cli/project";
import { type RecordedResource, runProgram } from "../../src/cli/run-program";
import { ROOT } from "../support/cli";
import { type FixtureResource, analyzeResources } from "../policies/harness";

const toFixture = (r: RecordedResource): FixtureResource => ({
    type: r.type, name: r.name, props: r.inputs, parent: r.parent, dependencies: r.dependencies,
    opts: { additionalSecretOutputs: r.options.additionalSecretOutputs, protect: r.options.protect },
});

let resources: RecordedResource[];
beforeAll(async () => {
    // The dev stack with an HF token set, as `pulumi config set --secret airlock:hfToken` would (a token-shaped value).
    const file = readStackConfig(readProjectFile(ROOT)!, "dev", false);
    const run = await runProgram({
        project: "airlock", stack: "dev", entry: path.join(ROOT, "src/index.ts"), sdkRoot: ROOT,
        config: { ...file.config, "airlock:hfToken": `hf_${"Z".repeat(34)}` }, secretKeys: [...file.secretKeys, "airlock:hfToken"],
    });
    resources = run.resources;
}, 60_000);

describe("the dev stack's resources comply with the policy pack", () => {
    it.each(["dev", "staging", "prod"] as const)("no violation under the %s config (registry rules aside outside dev)", async (env) => {
        const violations = await analyzeResources(resources.map(toFixture), loadEnvironmentConfig(env));
        // Staging and prod allow only private ECR registries; the dev stack mirrors into localhost:5000.
        const registryRules = new Set(["docker-container-require-allowed-registry", "docker-remote-image-require-allowed-registry"]);
        const relevant = env === "dev" ? violations : violations.filter((v) => !registryRules.has(v.policy));
        expect(relevant).toEqual([]);
    });

    it("delivers the HF token to the staging containers only, as a secret", () => {
        const withToken = resources.filter((r) => JSON.stringify(r.inputs).includes("HF_TOKEN="));
        expect(withToken.map((r) => r.name).sort()).toEqual(["nanonets-ocr-stage", "qwen3-4b-stage"]);
        for (const r of withToken) expect(r.options.additionalSecretOutputs).toEqual(["envs"]);
    });
});
// Not proven here: the real engine's Check step (provider defaults) - the e2e tests run the pack over gRPC.
