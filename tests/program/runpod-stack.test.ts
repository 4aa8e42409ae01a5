/**
 * The prod stack's RunPod part end to end, in-process: Pulumi.prod.yaml → the program → every registration (the
 * plan's recording monitor, preview mode), then the policy pack over them under each environment's config: the
 * RunPod endpoint complies, every RunPod rule ran on it, and its insecure twin is blocked by each rule.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { readable } from "../../src/cli/encoding";
import { readProjectFile, readStackConfig } from "../../src/cli/project";
import { type RecordedResource, runProgram } from "../../src/cli/run-program";
import { ROOT } from "../support/cli";
import { type FixtureResource, analyze, urnOf } from "../policies/harness";

const toFixture = (r: RecordedResource): FixtureResource => ({
    type: r.type, name: r.name, props: r.inputs, parent: r.parent, dependencies: r.dependencies,
    opts: { additionalSecretOutputs: r.options.additionalSecretOutputs, protect: r.options.protect },
});

let resources: RecordedResource[];
beforeAll(async () => {
    const file = readStackConfig(readProjectFile(ROOT)!, "prod", false);
    const run = await runProgram({ project: "airlock", stack: "prod", entry: path.join(ROOT, "src/index.ts"), sdkRoot: ROOT, config: file.config, secretKeys: file.secretKeys });
    resources = run.resources;
}, 120_000);

const endpoint = () => resources.find((r) => r.type === "pulumi-nodejs:dynamic:Resource" && r.name === "qwen-runpod")!;
const runpodRules = allPolicies.filter((p) => p.group === "runpod").map((p) => p.name);

describe("the prod stack's RunPod endpoint", () => {
    it("is registered with its discriminator and the secure settings (the serialized provider beside them)", () => {
        const i = readable(endpoint().inputs) as Record<string, any>;
        expect(i).toMatchObject({ resourceKind: "runpod:endpoint", public: false, startSsh: false, startJupyter: false, ports: [], workersMax: 2, type: "QUEUE" });
        expect(i.env.MODEL_NAME).toBe("/models/Qwen--Qwen3-4B-Instruct-2507");
        expect(typeof i.__provider).toBe("string");
    });

    it.each(["dev", "staging", "prod"] as const)("complies with the pack under the %s config, every RunPod rule applying", async (env) => {
        const { violations, notApplicable } = await analyze(resources.map(toFixture), loadEnvironmentConfig(env));
        expect(violations).toEqual([]);
        const urn = urnOf({ type: "pulumi-nodejs:dynamic:Resource", name: "qwen-runpod" });
        expect(notApplicable.filter((n) => n.urn === urn && runpodRules.includes(n.policy))).toEqual([]);
    });

    it("an insecure copy (public, SSH, a port, a literal key, latest image, online hub id, remote code, no bounds) is blocked by every RunPod rule", async () => {
        const insecure = toFixture(endpoint());
        const props = structuredClone(readable(insecure.props) as Record<string, any>);
        Object.assign(props, {
            public: true, startSsh: true, ports: ["8888/http"], image: "runpod/worker-v1-vllm:latest", workersMax: 50,
            env: { ...props.env, HF_HUB_OFFLINE: "0", VLLM_NO_USAGE_STATS: "0", MODEL_NAME: "Qwen/Qwen3-4B-Instruct-2507", TRUST_REMOTE_CODE: "true", WANDB_API_KEY: "literal" },
        });
        delete props.ecrRepositoryArn;
        const { violations } = await analyze([{ ...insecure, props }], loadEnvironmentConfig("prod"));
        expect([...new Set(violations.map((v) => v.policy))].sort()).toEqual([...runpodRules].sort());
        expect(violations.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
    });
});
// Not proven here: the engine's Check step and RunPod itself (the provider tests run against a local fake of its API).
