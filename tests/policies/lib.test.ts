/** The pure helpers behind the rules: image references, registry matching, argv parsing, config reading. */
import { describe, expect, it } from "vitest";
import { argvOf, flagValues, hubDownloads, isVllmServeArgv, servedModels, tokensOf } from "../../policies/lib/argv";
import { ECR_REGISTRY_PATTERN, readConfig } from "../../policies/lib/config";
import { parseEnvs } from "../../policies/lib/env";
import { formatPropertyPath } from "../../policies/lib/fail-closed";
import { isRegistryAllowed, parseImageRef } from "../../policies/lib/image";
import { isUnder } from "../../policies/lib/paths";
import { classify } from "../../policies/lib/workload";

describe("parseImageRef (Docker normalisation)", () => {
    it.each([
        ["vllm/vllm-openai", { registry: "docker.io", repository: "vllm/vllm-openai" }],
        ["ubuntu:24.04", { registry: "docker.io", repository: "library/ubuntu", tag: "24.04" }],
        ["localhost:5000/mirror/x:v1@sha256:abc", { registry: "localhost:5000", repository: "mirror/x", tag: "v1", digest: "sha256:abc" }],
        ["localhost/x", { registry: "localhost", repository: "x" }],
        ["Registry.Internal:5000/a/b@sha256:d", { registry: "registry.internal:5000", repository: "a/b", digest: "sha256:d" }],
    ])("%s", (ref, want) => expect(parseImageRef(ref)).toEqual(want));
});

describe("isRegistryAllowed", () => {
    const allowed = ["localhost:5000", "registry.internal:5000/mirror"];
    it.each([
        ["localhost:5000/anything/x", true],
        ["localhost:5001/x", false],
        ["registry.internal:5000/mirror/vllm/x", true],
        ["registry.internal:5000/mirror", true], // the prefix itself is "that path"
        ["registry.internal:5000/mirrorx/y", false],
        ["registry.internal:5000/other/y", false],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/m/x", true],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/m/x", false],
        ["vllm/vllm-openai", false],
    ])("%s → %s", (ref, ok) => expect(isRegistryAllowed(parseImageRef(ref), allowed, [ECR_REGISTRY_PATTERN])).toBe(ok));
    it("docker.io can be allowed explicitly per namespace", () => {
        expect(isRegistryAllowed(parseImageRef("vllm/vllm-openai"), ["docker.io/vllm"], [])).toBe(true);
        expect(isRegistryAllowed(parseImageRef("evil/vllm-openai"), ["docker.io/vllm"], [])).toBe(false);
    });
});

describe("argv", () => {
    it("joins entrypoints and command and splits shell strings", () => {
        expect(tokensOf(argvOf({ entrypoints: ["sh", "-c"], command: ["vllm serve '/models/a' --port 8000"] })))
            .toEqual(["sh", "-c", "vllm", "serve", "/models/a", "--port", "8000"]);
    });
    it("reads --flag value and --flag=value", () => {
        expect(flagValues(["--model", "a/b", "--model=c/d", "--model"], "--model")).toEqual(["a/b", "c/d", ""]);
    });
    it.each([
        [["vllm", "serve", "/models/x"], true],
        [["/usr/local/bin/vllm", "serve", "/models/x"], true],
        [["python3", "-m", "vllm.entrypoints.openai.api_server", "--model", "x"], true],
        [["hf", "download", "a/b"], false],
        [["axolotl", "train", "cfg.yml"], false],
    ])("isVllmServeArgv(%j) = %s", (argv, want) => expect(isVllmServeArgv(argv)).toBe(want));
    it("finds served models: positional, --model, image entrypoint", () => {
        expect(servedModels(["vllm", "serve", "/models/a", "--model", "b/c"], undefined)).toEqual(["/models/a", "b/c"]);
        expect(servedModels([], { command: ["/models/a", "--port", "1"] })).toEqual(["/models/a"]);
        expect(servedModels(["vllm", "serve", "--port", "1"], undefined)).toEqual([]);
    });
    it("finds hub downloads", () => {
        expect(hubDownloads(["huggingface-cli", "download", "a/b", "--revision", "x"])).toEqual([{ repo: "a/b", revisions: ["x"] }]);
    });
});

describe("classification", () => {
    const vllm = "localhost:5000/mirror/vllm/vllm-openai:v1@sha256:" + "0".repeat(64);
    it.each([
        ["labeled inference", { labels: [{ label: "airlock.dev/role", value: "inference" }], image: "x", entrypoints: ["srv"] }, "inference", false],
        ["vLLM image, own entrypoint, no label", { image: vllm }, "inference", true],
        ["vLLM image running hf download", { image: vllm, entrypoints: ["hf"], labels: [{ label: "airlock.dev/role", value: "model-staging" }] }, "model-staging", false],
        ["vLLM argv labeled model-staging", { image: "x", entrypoints: ["vllm", "serve"], labels: [{ label: "airlock.dev/role", value: "model-staging" }] }, "inference", true],
        ["unknown role label", { image: "x", entrypoints: ["srv"], labels: [{ label: "airlock.dev/role", value: "batch" }] }, "unclassified", false],
    ])("%s", (_t, c, role, vllmServer) => {
        const w = classify(c);
        expect([w.role, w.vllmServer]).toEqual([role, vllmServer]);
    });
});

describe("small helpers", () => {
    it("parseEnvs splits on the first = and keeps bare keys", () => {
        expect(parseEnvs(["A=b=c", "B"])).toEqual([{ key: "A", value: "b=c", index: 0 }, { key: "B", value: undefined, index: 1 }]);
    });
    it("isUnder normalises", () => {
        expect(isUnder("/models/a/../b", "/models")).toBe(true);
        expect(isUnder("/models/../etc", "/models")).toBe(false);
        expect(isUnder("/modelsx", "/models")).toBe(false);
    });
    it("formatPropertyPath", () => {
        expect(formatPropertyPath(["ports", "0", "ip"])).toBe("ports[0].ip");
        expect(formatPropertyPath(["capabilities", "drops"])).toBe("capabilities.drops");
    });
    it("readConfig merges over defaults and rejects malformed values", () => {
        const args = (c: object) => ({ getConfig: <T extends object>() => c as T });
        expect(readConfig(args({}), "p", "allowedPortBindIps", "allowedModelRoots"))
            .toEqual({ allowedPortBindIps: ["127.0.0.1"], allowedModelRoots: ["/models"] });
        expect(() => readConfig(args({ allowedModelRoots: ["models"] }), "p", "allowedModelRoots"))
            .toThrow('Invalid policy config for "p": allowedModelRoots entries must be absolute paths, got "models".');
        expect(() => readConfig(args({ trustRemoteCodeAllowlist: [{ model: "a/b", revision: "main" }] }), "p", "trustRemoteCodeAllowlist"))
            .toThrow(/trustRemoteCodeAllowlist entries must be/);
    });
});
