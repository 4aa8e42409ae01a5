import { describe, expect, it } from "vitest";
import {
    OFFLINE_ENV, OFFLINE_ENV_KEYS, buildVllmArgv, hubIsTrue, isSecretName, localModelPath, modelDirName, secretShapeIn,
    unsafeIdentifierReason,
} from "@airlock/baseline";

describe("offline env", () => {
    it("holds exactly the hub-offline and telemetry-off switches", () => {
        expect(OFFLINE_ENV).toEqual({
            HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", HF_DATASETS_OFFLINE: "1",
            HF_HUB_DISABLE_TELEMETRY: "1", VLLM_NO_USAGE_STATS: "1", DO_NOT_TRACK: "1",
        });
        expect(OFFLINE_ENV_KEYS).toHaveLength(6);
    });
    it.each([["1", true], ["on", true], ["Yes", true], ["TRUE", true], [" TRUE ", false], [" 1", false], ["1 ", false], ["0", false],
        ["false", false], ["", false], [undefined, false], ["2", false]])(
        "hubIsTrue(%j) is %s (huggingface_hub's _is_true: upper-cased, never trimmed)", (v, expected) => { expect(hubIsTrue(v as string | undefined)).toBe(expected); });
});

describe("model paths", () => {
    it("maps org/name to /models/org--name", () => {
        expect(modelDirName("Qwen/Qwen3-4B-Instruct-2507")).toBe("Qwen--Qwen3-4B-Instruct-2507");
        expect(localModelPath("nanonets/Nanonets-OCR-s")).toBe("/models/nanonets--Nanonets-OCR-s");
    });
});

describe("buildVllmArgv", () => {
    it("serves the local path with every served option and no API key", () => {
        expect(buildVllmArgv({
            hubId: "Qwen/Qwen3-4B-Instruct-2507", servedModelName: "qwen3-4b", port: 8000,
            tokenizerHubId: "Qwen/Qwen3-4B",
            options: { maxModelLen: 8192, gpuMemoryUtilization: 0.45, tensorParallelSize: 2, dtype: "bfloat16", quantization: "awq" },
        })).toEqual([
            "vllm", "serve", "/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0",
            "--port", "8000", "--tokenizer", "/models/Qwen--Qwen3-4B", "--max-model-len", "8192", "--gpu-memory-utilization", "0.45",
            "--tensor-parallel-size", "2", "--dtype", "bfloat16", "--quantization", "awq",
        ]);
    });
    it("adds --trust-remote-code only when asked", () => {
        const base = { hubId: "a/b", servedModelName: "b", port: 8000 };
        expect(buildVllmArgv(base)).not.toContain("--trust-remote-code");
        expect(buildVllmArgv({ ...base, trustRemoteCode: true }).at(-1)).toBe("--trust-remote-code");
    });
    it("refuses an unsafe identifier", () => {
        expect(() => buildVllmArgv({ hubId: "a/b", servedModelName: "x; rm -rf /", port: 8000 }))
            .toThrow('buildVllmArgv: servedModelName "x; rm -rf /" contains characters outside');
    });
});

describe("identifiers and secret shapes", () => {
    it.each([["Qwen/Qwen3-4B", undefined], ["a/../b", "must not contain `.` or `..` path segments"], ["", "must not be empty"],
        ["$(curl x)", "contains characters outside letters, digits and -_./:@ (starting with a letter or digit)"], ["a\nb", "contains characters outside letters, digits and -_./:@ (starting with a letter or digit)"]])(
        "unsafeIdentifierReason(%j)", (v, reason) => { expect(unsafeIdentifierReason(v)).toBe(reason); });
    it.each([
        [`hf_${"a".repeat(34)}`, "Hugging Face token"], ["AKIAABCDEFGHIJKLMNOP", "AWS access key id"],
        [`sk-${"x".repeat(24)}`, "OpenAI-style secret key"], [`--token rpa_${"A".repeat(30)}`, "RunPod API key"],
        ["hello", undefined], ["hf_short", undefined],
    ])("secretShapeIn(%j) is %j", (v, kind) => { expect(secretShapeIn(v)).toBe(kind); });
    it.each([["HF_TOKEN", true], ["VLLM_API_KEY", true], ["DB_PASSWORD", true], ["HF_HUB_OFFLINE", false], ["PORT", false]])(
        "isSecretName(%j) is %s", (n, expected) => { expect(isSecretName(n)).toBe(expected); });
});
