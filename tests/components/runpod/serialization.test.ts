/**
 * The dynamic provider as Pulumi serializes it into `__provider`: constructing the components runs the real closure
 * serialization. Under the mock runtime, with `RUNPOD_API_KEY` set to a sentinel (and the provider configured with
 * another one), the serialized text must contain neither; it must be self-contained (no project module, no
 * transform helper); and, loaded the way the dynamic-provider host loads it (require-from-string, plain Node, no
 * TypeScript loader) in another process, it must create an endpoint on the local fake RunPod API.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installMocks, only, registrations, settle, unsecret } from "../../support/mocks";
import { FakeRunPod } from "../../support/fake-runpod";

const SENTINEL = "sentinel-key";
const CONFIGURED = "configured-sentinel-key";
const ROOT = path.resolve(__dirname, "../../..");

let serialized: string;
let endpointInputs: Record<string, unknown>;

beforeAll(async () => {
    process.env.RUNPOD_API_KEY = SENTINEL;
    await installMocks({ stack: "prod" });
    const { runpodProvider } = await import("../../../components/runpod/provider");
    // As if this process had been the provider process: configure keeps the key in a process-global slot only.
    await runpodProvider.configure!({ config: { get: (k: string) => (k === "airlock:runpodApiKey" ? CONFIGURED : undefined), require: () => CONFIGURED } });
    const { RunPodEndpoint, RunPodSecret } = await import("../../../components/runpod/resources");
    const e = new RunPodEndpoint("qwen-runpod", {
        name: "airlock-prod-qwen-runpod", templateName: "airlock-prod-qwen-runpod",
        image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/runpod-qwen3-4b:v1@sha256:${"b".repeat(64)}`,
        env: { MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", HF_HUB_OFFLINE: "1" }, ports: [], containerDiskGb: 50, args: "",
        public: false, startSsh: false, startJupyter: false, type: "QUEUE", gpuPools: ["ADA_48_PRO"], gpuExcludedTypes: [], gpuCount: 1,
        allowedCudaVersions: [], workersMin: 0, workersMax: 2, idleTimeoutSec: 5, scalerType: "QUEUE_DELAY", scalerValue: 4,
        executionTimeoutMs: 300_000, flashboot: "OFF", dataCenterIds: [], networkVolumeIds: [],
    });
    const s = new RunPodSecret("secret", { name: "airlock-prod-wandbKey", description: "", valueConfigKey: "wandbKey", valueSha256: "1".repeat(64) });
    await settle(e, s);
    const dynamic = only("pulumi-nodejs:dynamic:Resource");
    expect(dynamic.map((r) => r.name).sort()).toEqual(["qwen-runpod", "secret"]);
    const endpoint = dynamic.find((r) => r.name === "qwen-runpod")!;
    serialized = unsecret<string>(endpoint.inputs.__provider);
    endpointInputs = unsecret(endpoint.inputs);
}, 120_000);

afterAll(() => { delete process.env.RUNPOD_API_KEY; });

describe("the serialized RunPod provider", () => {
    it("is a string that contains neither the environment's key nor the configured one", () => {
        expect(typeof serialized).toBe("string");
        expect(serialized.length).toBeGreaterThan(1000);
        expect(serialized).not.toContain(SENTINEL);
        expect(serialized).not.toContain(CONFIGURED);
        for (const r of registrations) expect(JSON.stringify(r.inputs)).not.toContain(SENTINEL);
    });

    it("is self-contained: no project module, no module-scope client or schema, openapi-fetch loaded at run time", () => {
        expect(serialized).toContain('require("openapi-fetch")');
        expect(serialized).not.toMatch(/components\/runpod|@airlock\/|zod|__vi_|__vite_ssr/);
        // The API key slot is process-global and read at run time.
        expect(serialized).toContain("__airlockRunPodConfig");
    });

    it("never carries a secret value: inputs hold the config key and a digest", () => {
        expect(Object.keys(endpointInputs).sort()).not.toContain("apiKey");
        const secret = unsecret<Record<string, unknown>>(only("pulumi-nodejs:dynamic:Resource").find((r) => r.name === "secret")!.inputs);
        expect(secret).toMatchObject({ resourceKind: "runpod:secret", valueConfigKey: "wandbKey", valueSha256: "1".repeat(64) });
    });

    it("loaded as the dynamic-provider host loads it (plain Node, require-from-string), creates an endpoint on the fake API", async () => {
        const fake = new FakeRunPod("runtime-key");
        const url = await fake.start();
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-provider-"));
        try {
            const providerFile = path.join(dir, "provider.js");
            const inputsFile = path.join(dir, "inputs.json");
            fs.writeFileSync(providerFile, serialized);
            fs.writeFileSync(inputsFile, JSON.stringify({ ...endpointInputs, ecrRepositoryArn: undefined }));
            const script = `
                const fs = require("fs");
                const requireFromString = require("require-from-string");
                const provider = requireFromString(fs.readFileSync(${JSON.stringify(providerFile)}, "utf8")).handler();
                const inputs = JSON.parse(fs.readFileSync(${JSON.stringify(inputsFile)}, "utf8"));
                provider.create(inputs).then((r) => { process.stdout.write(JSON.stringify(r)); }, (e) => { process.stderr.write(String(e && e.stack || e)); process.exit(3); });`;
            const child = spawn(process.execPath, ["-e", script], {
                cwd: ROOT,
                env: { PATH: process.env.PATH ?? "", RUNPOD_API_URL: url, RUNPOD_API_KEY: "runtime-key", RUNPOD_RETRY_BASE_MS: "5" },
            });
            let stdout = "";
            let stderr = "";
            child.stdout.on("data", (d) => { stdout += String(d); });
            child.stderr.on("data", (d) => { stderr += String(d); });
            const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
            expect(code, stderr).toBe(0);
            const result = JSON.parse(stdout) as { id: string; outs: Record<string, unknown> };
            expect(fake.inventory()).toMatchObject({ templates: ["airlock-prod-qwen-runpod"], endpoints: ["airlock-prod-qwen-runpod"] });
            expect(result.outs).toMatchObject({ endpointId: result.id, invokeUrl: `https://api.runpod.ai/v2/${result.id}/runsync` });
            for (const r of fake.requests) {
                expect(r.headers.authorization).toBe("Bearer runtime-key");
                expect(r.raw).not.toContain("runtime-key");
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
            await fake.stop();
        }
    }, 60_000);
});
// Not proven here: the Pulumi engine's own dynamic-provider host (the CLI is not installed); it loads the same text the
// same way (require-from-string in a Node process whose working directory is the program's).
