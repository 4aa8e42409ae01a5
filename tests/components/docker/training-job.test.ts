import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { drain, envMap, installMocks, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/docker");
beforeAll(async () => { await installMocks(); m = await import("../../../components/docker"); });
beforeEach(() => { registrations.length = 0; });

const IMAGE = `localhost:5000/mirror/axolotlai/axolotl@sha256:${"c".repeat(64)}`;
const store = {
    mounts: [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true }],
    stagingContainers: [],
    ready: pulumi.output("/models/Qwen--Qwen3-4B-Instruct-2507"),
};
const job = {
    name: "qwen-lora", command: ["axolotl", "train", "/data/lora.yml"], env: { WANDB_MODE: "disabled" }, runAsUser: "1000:1000",
    limits: { cpus: 8, memoryMiB: 32768, pids: 1024, gpus: 1 },
};
const args = { job, image: { ref: IMAGE }, models: [store], dataVolumes: [{ volume: "training-data", path: "/data" }], namePrefix: "airlock-dev", stack: "dev" };

describe("TrainingJob (docker)", () => {
    it("runs with no network, limits on cpu / memory / pids / GPUs, read-only inputs and one writable output", async () => {
        const t = new m.TrainingJob("qwen-lora", args);
        await settle(t);
        const cs = only("docker:index/container:Container");
        expect(cs.map((c) => c.name)).toEqual(["qwen-lora-output-init", "qwen-lora"]);
        const i = cs[1]!.inputs;
        expect(i.name).toBe("airlock-dev-qwen-lora");
        expect(i.networkMode).toBe("none");
        expect(i.entrypoints).toEqual(["axolotl"]);
        expect(i.command).toEqual(["train", "/data/lora.yml"]);
        expect(envMap(i.envs)).toMatchObject({ HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", HF_DATASETS_OFFLINE: "1", VLLM_NO_USAGE_STATS: "1", DO_NOT_TRACK: "1", WANDB_MODE: "disabled" });
        expect(i.volumes).toEqual([
            { volumeName: "airlock-dev-model-qwen3-4b", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true },
            { volumeName: "training-data", containerPath: "/data", readOnly: true },
        ]);
        // The output volume without copy-up (an image's own /output would otherwise undo the init step's chmod).
        expect(i.mounts).toEqual([{ type: "volume", source: "airlock-dev-qwen-lora-output", target: "/output", readOnly: false, volumeOptions: { noCopy: true } }]);
        expect(i).toMatchObject({
            user: "1000:1000", privileged: false, readOnly: true, capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"],
            memory: 32768, memorySwap: 32768, cpus: "8.0", ulimits: [{ name: "nproc", soft: 1024, hard: 1024 }],
            deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }], mustRun: false, restart: "no",
        });
        expect(i.ports).toBeUndefined();
        expect(i.labels).toContainEqual({ label: "airlock.dev/role", value: "training" });
        expect(await unwrap(t.outputVolumeName)).toBe("airlock-dev-qwen-lora-output");
    });

    it("opens the output volume with a one-shot step that has no network and no capabilities", async () => {
        const t = new m.TrainingJob("init", { ...args, job: { ...job, name: "init" } });
        await settle(t);
        const init = only("docker:index/container:Container")[0]!.inputs;
        expect(init).toMatchObject({
            networkMode: "none", entrypoints: ["chmod"], command: ["1777", "/output"], user: "0:0", attach: true, mustRun: false,
            capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"], readOnly: true,
            mounts: [{ type: "volume", source: "airlock-dev-init-output", target: "/output", readOnly: false, volumeOptions: { noCopy: true } }],
        });
        expect(init.volumes).toBeUndefined();
    });

    it("rejects root, secrets in env and an empty command before creating anything", async () => {
        await drain();
        registrations.length = 0;
        expect(() => new m.TrainingJob("bad", { ...args, job: { ...job, name: "bad", runAsUser: "0", command: [], env: { HF_TOKEN: "x" } } }))
            .toThrow(/job\.runAsUser: must be 'uid:gid' with a non-zero uid and gid, got "0"[\s\S]*job\.command: must have at least one element[\s\S]*job\.env\.HF_TOKEN: looks like a secret/);
        await drain();
        expect(registrations.map((r) => r.type)).toEqual(["airlock:docker:TrainingJob"]);
    });
});
// Not proven here: the trainer image's behaviour (GPU, datasets) - configuration only.
