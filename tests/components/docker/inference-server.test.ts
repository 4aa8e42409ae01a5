import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drain, envMap, installMocks, isSecretInput, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/docker");
beforeAll(async () => { await installMocks(); m = await import("../../../components/docker"); });
beforeEach(() => { registrations.length = 0; });

const IMAGE = `localhost:5000/mirror/vllm/vllm-openai:v0.11.0@sha256:${"a".repeat(64)}`;
const store = {
    mounts: [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true }],
    stagingContainers: [],
    ready: pulumi.output("/models/Qwen--Qwen3-4B-Instruct-2507"),
};
const base = {
    server: { name: "qwen", replicas: 1, gpus: 1, port: 8000, resources: { cpus: 4, memoryMiB: 24576, shmSizeMiB: 4096 } },
    model: { name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", trustRemoteCode: false, serving: { maxModelLen: 8192 } },
    image: { ref: IMAGE },
    enclave: { servingNetworkName: pulumi.output("airlock-dev-serving") },
    store,
    apiKey: pulumi.secret("sentinel-api-key"),
    namePrefix: "airlock-dev",
    stack: "dev",
};

describe("InferenceServer (docker)", () => {
    it("serves the local path with the offline env, internal network only, and a hardened sandbox", async () => {
        const s = new m.InferenceServer("qwen", base);
        await settle(s);
        const containers = only("docker:index/container:Container");
        expect(containers.map((c) => c.name)).toEqual(["qwen-0"]);
        const i = containers[0]!.inputs;
        expect(i.name).toBe("airlock-dev-qwen-0");
        expect(i.image).toBe(IMAGE);
        expect(i.networkMode).toBe("airlock-dev-serving");
        expect(i.networksAdvanced).toBeUndefined();
        expect(i.entrypoints).toEqual(["vllm", "serve"]);
        expect(i.command).toEqual(["/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000", "--max-model-len", "8192"]);
        expect(i.command.join(" ")).not.toContain("api-key");
        expect(envMap(i.envs)).toEqual({
            HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", HF_DATASETS_OFFLINE: "1", HF_HUB_DISABLE_TELEMETRY: "1",
            VLLM_NO_USAGE_STATS: "1", DO_NOT_TRACK: "1", HOME: "/cache/home", XDG_CACHE_HOME: "/cache", HF_HOME: "/cache/huggingface",
            VLLM_CACHE_ROOT: "/cache/vllm", TRITON_CACHE_DIR: "/cache/triton", TORCHINDUCTOR_CACHE_DIR: "/cache/inductor",
            VLLM_API_KEY: "sentinel-api-key",
        });
        expect(isSecretInput(i.envs)).toBe(true);
        expect(i.volumes).toEqual(store.mounts);
        expect(i.ports).toEqual([]);
        expect(i.publishAllPorts).toBe(false);
        expect(i).toMatchObject({
            user: "1000:1000", privileged: false, readOnly: true,
            tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=1g", "/cache": "rw,nosuid,nodev,size=4096m" },
            capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"],
            memory: 24576, memorySwap: 24576, cpus: "4.0", shmSize: 4096,
            deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }],
            restart: "on-failure", maxRetryCount: 3, mustRun: true,
            hostname: "airlock-dev-qwen-0",
        });
        expect(i.healthcheck.tests.join(" ")).toContain("http://127.0.0.1:8000/health");
        expect(i.labels).toEqual([
            { label: "airlock.dev/role", value: "inference" }, { label: "airlock.dev/stack", value: "dev" }, { label: "airlock.dev/model", value: "qwen3-4b" },
        ]);
        expect(await unwrap(s.url)).toBe("http://airlock-dev-qwen-0:8000/v1");
        expect(s.servedModelName).toBe("qwen3-4b");
    });

    it("runs one container per replica, none with a published port", async () => {
        const s = new m.InferenceServer("pub", { ...base, server: { ...base.server, name: "pub", replicas: 2 } });
        await settle(s);
        const cs = only("docker:index/container:Container");
        expect(cs.map((c) => c.inputs.name)).toEqual(["airlock-dev-pub-0", "airlock-dev-pub-1"]);
        expect(cs.map((c) => [c.inputs.ports, c.inputs.networkMode])).toEqual([[[], "airlock-dev-serving"], [[], "airlock-dev-serving"]]);
        expect(await Promise.all(s.urls.map(unwrap))).toEqual(["http://airlock-dev-pub-0:8000/v1", "http://airlock-dev-pub-1:8000/v1"]);
    });

    it("requests no GPU for a CPU-only server", async () => {
        const s = new m.InferenceServer("cpu", { ...base, server: { ...base.server, name: "cpu", gpus: 0 } });
        await settle(s);
        expect(only("docker:index/container:Container")[0]!.inputs.deviceRequests).toBeUndefined();
    });

    it("adds --trust-remote-code and a local tokenizer path when the model asks for them", async () => {
        const s = new m.InferenceServer("trc", {
            ...base, server: { ...base.server, name: "trc" },
            model: { ...base.model, trustRemoteCode: true, tokenizer: { hubId: "Qwen/Qwen3-4B", revision: "b".repeat(40) } },
        });
        await settle(s);
        const cmd = only("docker:index/container:Container")[0]!.inputs.command as string[];
        expect(cmd).toContain("--trust-remote-code");
        expect(cmd.slice(cmd.indexOf("--tokenizer"), cmd.indexOf("--tokenizer") + 2)).toEqual(["--tokenizer", "/models/Qwen--Qwen3-4B"]);
    });

    it("parents its containers to the component", async () => {
        const s = new m.InferenceServer("par", { ...base, server: { ...base.server, name: "par" } });
        expect(await unwrap(s.containers[0]!.urn)).toContain("airlock:docker:InferenceServer$docker:index/container:Container::par-0");
    });

    it("rejects out-of-range sizes, listing every problem, and creates nothing", async () => {
        await drain();
        registrations.length = 0;
        expect(() => new m.InferenceServer("bad", {
            ...base, server: { ...base.server, name: "bad", replicas: 0, gpus: 9, port: 80 },
        })).toThrow(/server\.replicas: must be a whole number 1–16, got 0\n {2}- server\.gpus: must be a whole number 0–8, got 9\n {2}- server\.port: must be a whole number 1024–65535, got 80/);
        await drain();
        expect(registrations.map((r) => r.type)).toEqual(["airlock:docker:InferenceServer"]);
    });
});
// Not proven here: vLLM actually starting on a GPU host (no GPU on CI) and the healthcheck passing.
