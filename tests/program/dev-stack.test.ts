/**
 * The dev stack end to end, in-process: Pulumi.dev.yaml → the program → every registered resource, recorded
 * by `airlock plan`'s monitor (resource options included), without policies.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { plan } from "../../src/cli/main";
import type { PlanResult } from "../../src/cli/render";
import type { RecordedResource } from "../../src/cli/run-program";
import { readable } from "../../src/cli/encoding";

let result: PlanResult;
const containers = () => result.resources.filter((r) => r.type === "docker:index/container:Container");
const input = (r: RecordedResource) => readable(r.inputs) as Record<string, any>;
const byName = (name: string) => containers().find((c) => input(c).name === name)!;
const role = (r: RecordedResource) => (input(r).labels as { label: string; value: string }[]).find((l) => l.label === "airlock.dev/role")?.value;
const env = (r: RecordedResource) => (input(r).envs as string[]);

beforeAll(async () => { result = await plan({ stack: "dev", format: "json", noPolicy: true }); }, 60_000);

describe("dev stack (Pulumi.dev.yaml) under the offline plan", () => {
    it("registers exactly the expected tree", () => {
        const count = (t: string) => result.resources.filter((r) => r.type === t).length;
        expect(count("docker:index/network:Network")).toBe(3);
        expect(count("docker:index/volume:Volume")).toBe(3);
        expect(count("docker:index/container:Container")).toBe(7);
        expect(count("docker:index/remoteImage:RemoteImage")).toBe(3);
        expect(containers().map(role).sort()).toEqual(["gateway", "inference", "inference", "model-staging", "model-staging", "training", "volume-init"]);
    });

    it("puts the serving network on internal: true; the staging and gateway networks apart", () => {
        const nets = result.resources.filter((r) => r.type === "docker:index/network:Network").map(input);
        expect(nets.map((n) => [n.name, n.internal])).toEqual([["airlock-dev-serving", true], ["airlock-dev-staging", false], ["airlock-dev-gateway", false]]);
    });

    it("routes the gateway to both servers, publishing only on 127.0.0.1:8080 with the keys as a secret", () => {
        const gw = byName("airlock-dev-gateway");
        const i = input(gw);
        expect([i.networkMode, i.networksAdvanced, i.ports]).toEqual([
            "airlock-dev-gateway", [{ name: "airlock-dev-serving" }], [{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }]]);
        // The keys: one secret entry; the config, script and routes carry none of them.
        expect((i.envs as string[]).map((e) => (e === "[secret]" ? e : e.slice(0, e.indexOf("="))))).toEqual([
            "AIRLOCK_GATEWAY_CONF", "AIRLOCK_GATEWAY_NJS", "AIRLOCK_GATEWAY_ROUTES", "[secret]"]);
        expect(JSON.stringify(i.envs)).not.toContain("placeholder");
        expect(gw.options.additionalSecretOutputs).toEqual(["envs"]);
        expect(gw.dependencies).toEqual(expect.arrayContaining([byName("airlock-dev-qwen-0").urn, byName("airlock-dev-ocr-0").urn]));
    });

    it.each(["airlock-dev-qwen-0", "airlock-dev-ocr-0"])("%s: internal network only, offline env, local model path, API key secret, limits", (name) => {
        const c = byName(name);
        const i = input(c);
        expect(i.networkMode).toBe("airlock-dev-serving");
        expect(i.networksAdvanced).toBeUndefined();
        expect(i.ports).toEqual([]);
        for (const kv of ["HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "HF_DATASETS_OFFLINE=1", "HF_HUB_DISABLE_TELEMETRY=1", "VLLM_NO_USAGE_STATS=1", "DO_NOT_TRACK=1"]) {
            expect(env(c)).toContain(kv);
        }
        expect(env(c)).toContain("[secret]"); // VLLM_API_KEY, a Pulumi secret element
        expect(c.options.additionalSecretOutputs).toEqual(["envs"]);
        expect(i.command[0]).toMatch(/^\/models\/[A-Za-z0-9._-]+--[A-Za-z0-9._-]+$/);
        expect(i.command.join(" ")).not.toMatch(/--api-key|--trust-remote-code|--revision/);
        expect(i).toMatchObject({ readOnly: true, user: "1000:1000", memory: 24576, memorySwap: 24576, cpus: "4.0", shmSize: 4096, capabilities: { drops: ["ALL"] } });
        expect(i.volumes).toHaveLength(1);
        expect(i.volumes[0].readOnly).toBe(true);
        expect(i.volumes[0].containerPath).toBe(i.command[0]);
        expect(i.image).toMatch(/@sha256:[0-9a-f]{64}$/);
        expect(c.dependencies.some((d) => d.endsWith("-stage"))).toBe(true);
    });

    it("stages each served model at its pinned revision on the staging network", () => {
        const qwen = input(byName("airlock-dev-model-qwen3-4b-stage"));
        expect(qwen.networkMode).toBe("airlock-dev-staging");
        expect(qwen.command).toEqual(["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", "cdbee75f17c01a7cc42f958dc650907174af0554", "--local-dir", "/models/Qwen--Qwen3-4B-Instruct-2507"]);
        const ocr = input(byName("airlock-dev-model-nanonets-ocr-stage"));
        expect(ocr.command).toContain("3baad182cc87c65a1861f0c30357d3467e978172");
        expect(qwen.ports).toBeUndefined();
    });

    it("runs the training job with networkMode none, limits and read-only inputs", () => {
        const i = input(byName("airlock-dev-qwen-lora"));
        expect(i.networkMode).toBe("none");
        expect(i.ulimits).toEqual([{ name: "nproc", soft: 1024, hard: 1024 }]);
        expect(i).toMatchObject({ memory: 32768, cpus: "8.0", readOnly: true, user: "1000:1000" });
        expect(i.volumes).toEqual([
            { volumeName: "airlock-dev-model-qwen3-4b-cdbee75f17c0", containerPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true },
            { volumeName: "airlock-dev-training-data", containerPath: "/data", readOnly: true },
        ]);
        expect(i.mounts).toEqual([{ type: "volume", source: "airlock-dev-qwen-lora-output", target: "/output", readOnly: false, volumeOptions: { noCopy: true } }]);
    });

    it("exports per-server internal URLs, served model names and the network names", () => {
        expect(readable(result.outputs)).toEqual({
            environment: "dev",
            inferenceServers: {
                qwen: { platform: "docker", url: "http://airlock-dev-qwen-0:8000/v1", urls: ["http://airlock-dev-qwen-0:8000/v1"], servedModelName: "qwen3-4b" },
                ocr: { platform: "docker", url: "http://airlock-dev-ocr-0:8000/v1", urls: ["http://airlock-dev-ocr-0:8000/v1"], servedModelName: "nanonets-ocr" },
            },
            enclaves: { docker: { servingNetwork: "airlock-dev-serving", stagingNetwork: "airlock-dev-staging", gatewayNetwork: "airlock-dev-gateway" } },
            gateways: { docker: { url: "http://127.0.0.1:8080", routes: { qwen: "http://127.0.0.1:8080/qwen/v1", ocr: "http://127.0.0.1:8080/ocr/v1" } } },
        });
    });

    it("plans the unset API keys with placeholders and says so", () => {
        expect(result.placeholderSecrets).toEqual(["airlock:ocrApiKey", "airlock:qwenApiKey"]);
    });
});
// Not proven here: Docker behaviour (see the Docker smoke test) and GPU serving (no GPU on CI).
