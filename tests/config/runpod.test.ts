/** The airlock:runpod section and inferenceServers[].runpod: defaults, cross-key checks, secret keys and placement. */
import { describe, expect, it } from "vitest";
import { ConfigError, parseStackConfig } from "../../src/config";
import { checkKeyPlacement, requiredSecretKeys } from "../../src/config/load";
import { ecrRepositoryArn, runpodSecretKeys } from "../../src/config/runpod";
import { ECR, runpodRaw } from "../fixtures/config";

function problemsOf(raw: Record<string, unknown>): string {
    try {
        parseStackConfig(raw, "prod");
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("airlock:runpod", () => {
    it("applies the server defaults", () => {
        const c = parseStackConfig(runpodRaw(), "prod");
        expect(c.inferenceServers[0]!.runpod).toEqual({
            gpuPools: ["ADA_48_PRO"], gpuExcludedTypes: [], allowedCudaVersions: [], workersMin: 0, workersMax: 1,
            scaler: { type: "QUEUE_DELAY", value: 4 }, executionTimeoutMs: 600000, flashboot: "FLASHBOOT", dataCenterIds: [],
            containerDiskGb: 50, secretEnv: {},
        });
    });

    it.each<[string, (r: Record<string, any>) => void, string]>([
        ["the section is missing", (r) => { delete r.runpod; }, "airlock:runpod: is required when airlock:platforms includes runpod"],
        ["the section without the platform", (r) => { r.platforms = ["docker"]; r.inferenceServers = []; }, "airlock:runpod: is set but airlock:platforms does not include runpod"],
        ["a runpod server without options", (r) => { delete r.inferenceServers[0].runpod; }, "airlock:inferenceServers[0].runpod: is required for a server on runpod"],
        ["no baked image for the model", (r) => { r.runpod.modelImages = {}; }, 'airlock:runpod.modelImages["qwen3-4b"]: is missing: server "qwen-runpod" serves model "qwen3-4b" from an image that bakes it in'],
        ["a non-ECR image with an ECR delegation", (r) => { r.runpod.modelImages["qwen3-4b"].registry = "registry.internal:5000/airlock/qwen"; },
            'airlock:runpod.modelImages["qwen3-4b"].registry: must be a private ECR repository with registryAuth kind ecr-delegation'],
        ["an unknown GPU pool", (r) => { r.inferenceServers[0].runpod.gpuPools = ["ADA_480"]; }, "airlock:inferenceServers[0].runpod.gpuPools[0]: must be one of AMPERE_16"],
        ["an idle timeout with REQUEST_COUNT scaling", (r) => { r.inferenceServers[0].runpod.scaler = { type: "REQUEST_COUNT", value: 2 }; r.inferenceServers[0].runpod.idleTimeoutSec = 5; },
            "airlock:inferenceServers[0].runpod.idleTimeoutSec: must not be set with REQUEST_COUNT scaling"],
        ["a queue delay under half a second", (r) => { r.inferenceServers[0].runpod.scaler = { type: "QUEUE_DELAY", value: 0.2 }; }, "airlock:inferenceServers[0].runpod.scaler.value: must be at least 0.5 seconds"],
        ["min above max workers", (r) => { r.inferenceServers[0].runpod.workersMin = 3; }, "airlock:inferenceServers[0].runpod.workersMin: must not exceed workersMax (1)"],
        ["a secretEnv on a baseline variable", (r) => { r.inferenceServers[0].runpod.secretEnv = { MODEL_NAME: "x" }; }, "airlock:inferenceServers[0].runpod.secretEnv.MODEL_NAME: is set by Airlock"],
        ["no GPU", (r) => { r.inferenceServers[0].gpus = 0; }, "airlock:inferenceServers[0].gpus: must be at least 1 on runpod"],
        ["runpod options on a docker server", (r) => { r.platforms = ["docker", "runpod"]; r.inferenceServers[0].platform = "docker"; }, "airlock:inferenceServers[0].runpod: is set but the server runs on docker"],
        ["a training job on runpod", (r) => { r.trainingJobs = [{ name: "j", platform: "runpod", command: ["x"], limits: { cpus: 1, memoryMiB: 512, pids: 64 } }]; r.images.trainer = r.images.vllm; },
            "airlock:trainingJobs[0].platform: is runpod, which runs no training jobs"],
        ["a typo in the section", (r) => { r.runpod.workerImages = r.runpod.workerImage; }, "airlock:runpod.workerImages: is not a known setting"],
    ])("rejects %s", (_n, mutate, message) => {
        expect(problemsOf(runpodRaw(mutate))).toContain(message);
    });

    it("needs no API-key secret for a runpod server; names the RunPod secrets it reads", () => {
        const c = parseStackConfig(runpodRaw((r) => {
            r.runpod.registryAuth = { kind: "credentials", username: "robot", passwordSecret: "runpodRegistryPassword" };
            r.runpod.modelImages["qwen3-4b"].registry = "registry.internal:5000/airlock/qwen";
            r.inferenceServers[0].runpod.secretEnv = { WANDB_API_KEY: "wandbKey" };
        }), "prod");
        expect(requiredSecretKeys(c)).toEqual([]);
        expect(runpodSecretKeys(c)).toEqual(["runpodRegistryPassword", "wandbKey"]);
    });

    it("the RunPod API key and the RunPod secrets are rejected in plain text", () => {
        const c = parseStackConfig(runpodRaw((r) => { r.inferenceServers[0].runpod.secretEnv = { WANDB_API_KEY: "wandbKey" }; }), "prod");
        expect(checkKeyPlacement(c, ["runpodApiKey", "wandbKey"], []).map((p) => [p.path, p.message])).toEqual([
            [["runpodApiKey"], "holds a secret in plain text in the stack file; remove it and store it encrypted"],
            [["wandbKey"], "holds a secret in plain text in the stack file; remove it and store it encrypted"],
        ]);
        expect(checkKeyPlacement(c, [], ["runpodApiKey", "wandbKey"])).toEqual([]);
    });

    it("derives the ECR repository ARN of an ECR image registry only", () => {
        expect(ecrRepositoryArn(`${ECR}/airlock/runpod-qwen3-4b`)).toBe("arn:aws:ecr:eu-west-1:123456789012:repository/airlock/runpod-qwen3-4b");
        expect(ecrRepositoryArn("registry.internal:5000/airlock/qwen")).toBeUndefined();
    });
});
