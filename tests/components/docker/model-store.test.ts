import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QWEN_SHA } from "../../fixtures/config";
import { drain, envMap, installMocks, isSecretInput, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/docker");
beforeAll(async () => { await installMocks(); m = await import("../../../components/docker"); });
beforeEach(() => { registrations.length = 0; });

const IMAGE = `localhost:5000/mirror/vllm/vllm-openai:v0.11.0@sha256:${"a".repeat(64)}`;
const enclave = { stagingNetworkName: pulumi.output("airlock-dev-staging") };
const model = { name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: QWEN_SHA };

describe("ModelStore (docker)", () => {
    it("stages hub id @ revision into a volume with a one-shot, sandboxed container on the staging network", async () => {
        const s = new m.ModelStore("qwen3-4b", { model, image: { ref: IMAGE }, enclave, hfToken: pulumi.secret("hf_x"), namePrefix: "airlock-dev", stack: "dev" });
        await settle(s);
        expect(only("docker:index/volume:Volume").map((v) => v.inputs.name)).toEqual(["airlock-dev-model-qwen3-4b-cdbee75f17c0"]);
        const [c] = only("docker:index/container:Container");
        expect(c!.name).toBe("qwen3-4b-stage");
        const i = c!.inputs;
        expect(i.name).toBe("airlock-dev-model-qwen3-4b-stage");
        expect(i.image).toBe(IMAGE);
        expect(i.networkMode).toBe("airlock-dev-staging");
        expect(i.entrypoints).toEqual(["hf"]);
        expect(i.command).toEqual(["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", QWEN_SHA, "--local-dir", "/models/Qwen--Qwen3-4B-Instruct-2507"]);
        expect(i.volumes).toEqual([{ volumeName: "airlock-dev-model-qwen3-4b-cdbee75f17c0", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: false }]);
        expect(isSecretInput(i.envs)).toBe(true);
        expect(envMap(i.envs)).toMatchObject({ HF_TOKEN: "hf_x", HF_HUB_DISABLE_TELEMETRY: "1", DO_NOT_TRACK: "1", VLLM_NO_USAGE_STATS: "1", HOME: "/cache/home" });
        expect(i).toMatchObject({
            attach: true, mustRun: false, restart: "no", user: "0:0", privileged: false, readOnly: true,
            capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"], memory: 4096, memorySwap: 4096, cpus: "2.0",
        });
        expect(i.ports).toBeUndefined();
        expect(i.labels).toContainEqual({ label: "airlock.dev/role", value: "model-staging" });
        expect(s.mounts).toHaveLength(1);
        expect(await unwrap(s.mounts[0]!.volumeName!)).toBe("airlock-dev-model-qwen3-4b-cdbee75f17c0");
        expect(s.mounts[0]!.readOnly).toBe(true);
        expect(await unwrap(s.ready)).toBe("/models/Qwen--Qwen3-4B-Instruct-2507");
    });

    it("keeps each revision in its own volume: a new revision renames the volume (same resource names), so the stage and every consumer are replaced onto it", async () => {
        const next = "0123456789abcdef0123456789abcdef01234567";
        const a = new m.ModelStore("qwen3-4b", { model, image: { ref: IMAGE }, enclave, namePrefix: "airlock-dev", stack: "dev" });
        await settle(a);
        const before = registrations.map((r) => ({ type: r.type, name: r.name, volumeName: r.inputs.name as string | undefined, volumes: r.inputs.volumes, labels: r.inputs.labels }));
        registrations.length = 0;
        const b = new m.ModelStore("qwen3-4b", { model: { ...model, revision: next }, image: { ref: IMAGE }, enclave, namePrefix: "airlock-dev", stack: "dev" });
        await settle(b);
        const after = registrations.map((r) => ({ type: r.type, name: r.name, volumeName: r.inputs.name as string | undefined, volumes: r.inputs.volumes, labels: r.inputs.labels }));
        // Resource names (state contract) do not change; the Docker volume does.
        expect(after.map((r) => `${r.type}::${r.name}`)).toEqual(before.map((r) => `${r.type}::${r.name}`));
        const vol = (rs: typeof before) => rs.find((r) => r.type === "docker:index/volume:Volume")!;
        expect(vol(before).volumeName).toBe("airlock-dev-model-qwen3-4b-cdbee75f17c0");
        expect(vol(after).volumeName).toBe("airlock-dev-model-qwen3-4b-0123456789ab");
        expect(vol(after).labels).toContainEqual({ label: "airlock.dev/revision", value: next });
        // The stage writes the new volume; consumers mount it (their `volumes` input changes: Docker replaces them).
        const stage = (rs: typeof before) => rs.find((r) => r.type === "docker:index/container:Container")!;
        expect(stage(after).volumes).toEqual([{ volumeName: "airlock-dev-model-qwen3-4b-0123456789ab", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: false }]);
        expect(await unwrap(b.mounts[0]!.volumeName!)).toBe("airlock-dev-model-qwen3-4b-0123456789ab");
        expect(await unwrap(a.mounts[0]!.volumeName!)).not.toBe(await unwrap(b.mounts[0]!.volumeName!));
    });

    it("omits HF_TOKEN for public models", async () => {
        const s = new m.ModelStore("pub", { model, image: { ref: IMAGE }, enclave, namePrefix: "airlock-dev", stack: "dev" });
        await settle(s);
        expect(Object.keys(envMap(only("docker:index/container:Container")[0]!.inputs.envs))).not.toContain("HF_TOKEN");
    });

    it("stages a separate tokenizer into its own volume", async () => {
        const s = new m.ModelStore("tok", {
            model: { ...model, tokenizer: { hubId: "Qwen/Qwen3-4B", revision: QWEN_SHA } }, image: { ref: IMAGE }, enclave, namePrefix: "airlock-dev", stack: "dev",
        });
        await settle(s);
        expect(only("docker:index/volume:Volume").map((v) => v.inputs.name)).toEqual(["airlock-dev-model-qwen3-4b-cdbee75f17c0", "airlock-dev-model-qwen3-4b-tokenizer-cdbee75f17c0"]);
        expect(only("docker:index/container:Container")[1]!.inputs.command).toContain("Qwen/Qwen3-4B");
        expect(s.tokenizerPath).toBe("/models/Qwen--Qwen3-4B");
        expect(s.mounts.map((x) => x.containerPath)).toEqual(["/models/Qwen--Qwen3-4B-Instruct-2507", "/models/Qwen--Qwen3-4B"]);
    });

    it("rejects a moving revision and an unsafe hub id before creating anything", async () => {
        registrations.length = 0;
        expect(() => new m.ModelStore("bad", { model: { ...model, hubId: "x; rm -rf /", revision: "main" }, image: { ref: IMAGE }, enclave, namePrefix: "airlock-dev", stack: "dev" }))
            .toThrow(/model\.hubId: must be a Hugging Face repo id 'org\/name'[\s\S]*model\.revision: must be a 40-character hex commit SHA, got "main"/);
        await drain();
        expect(registrations.map((r) => r.type)).toEqual(["airlock:docker:ModelStore"]);
    });
});
// Not proven here: that `hf download` succeeds against the hub (needs network); a failed stage is covered in inference-server.test.ts.


describe("providerCpus (cpus as the Docker provider reads it back)", () => {
    it.each([[2, "2.0"], [4, "4.0"], [0.5, "0.5"], [1.25, "1.25"], [1, "1.0"], [16, "16.0"], [10, "10."], [0.01, "0.01"], [0, "0"]] as [number, string][])(
        "%s → %s", async (n, s) => {
            const { providerCpus } = await import("../../../components/docker/sandbox");
            expect(providerCpus(n)).toBe(s);
        });
});
