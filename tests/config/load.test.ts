import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDeployment } from "../../src/config";
import { UNBAKED_DIGEST } from "../../src/config/runpod";
import { MODEL_DIGEST, VLLM_DIGEST, runpodRaw, validRaw } from "../fixtures/config";
import { installMocks, unwrap } from "../support/mocks";

/** Config as the language host passes it: namespaced keys, objects as JSON. */
function setConfig(raw: Record<string, unknown>, secrets: Record<string, string> = {}, other: Record<string, string> = {}): void {
    const all: Record<string, string> = { ...other };
    for (const [k, v] of Object.entries(raw)) all[`airlock:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
    for (const [k, v] of Object.entries(secrets)) all[`airlock:${k}`] = v;
    pulumi.runtime.setAllConfig(all, Object.keys(secrets).map((k) => `airlock:${k}`));
}

beforeAll(async () => { await installMocks({ stack: "dev" }); });

describe("loadDeployment", () => {
    it("returns the validated config, digest-pinned images and secret API keys", async () => {
        setConfig(validRaw(), { qwenApiKey: "k1", ocrApiKey: "k2" });
        const d = loadDeployment();
        expect(d.project).toBe("airlock");
        expect(d.stack).toBe("dev");
        expect(d.images).toEqual({
            vllm: `localhost:5000/mirror/vllm/vllm-openai:v0.11.0@${VLLM_DIGEST}`,
            staging: `localhost:5000/mirror/vllm/vllm-openai:v0.11.0@${VLLM_DIGEST}`,
            trainer: `localhost:5000/mirror/axolotlai/axolotl@sha256:c33b21ad322e49fcc2db6116042cc206c69f26716482fc2902179fa303dd60b4`,
        });
        const key = d.secrets.apiKeys.get("qwenApiKey")!;
        expect(await pulumi.isSecret(key)).toBe(true);
        expect(await unwrap(key)).toBe("k1");
        expect(d.secrets.hfToken).toBeUndefined();
    });

    it("reads the HF token as a secret when it is set", async () => {
        setConfig(validRaw(), { qwenApiKey: "k1", ocrApiKey: "k2", hfToken: "hf_token" });
        const d = loadDeployment();
        expect(await pulumi.isSecret(d.secrets.hfToken!)).toBe(true);
    });

    it("lists every missing API key with the command that sets it", () => {
        setConfig(validRaw());
        expect(() => loadDeployment()).toThrow(/airlock:qwenApiKey: is the API key of inference server qwen and is not set/);
        try { loadDeployment(); } catch (e) {
            const msg = (e as Error).message;
            expect(msg).toContain("2 problems");
            expect(msg).toContain("airlock:ocrApiKey");
            expect(msg).toContain('fix: pulumi config set --secret airlock:qwenApiKey "$(openssl rand -hex 32)"');
        }
    });

    it("rejects an API key stored in plain text", () => {
        setConfig({ ...validRaw(), qwenApiKey: "plain" }, { ocrApiKey: "k2" });
        expect(() => loadDeployment()).toThrow(/airlock:qwenApiKey: holds a secret in plain text/);
    });

    it("ignores other namespaces (provider config such as docker:host)", () => {
        setConfig(validRaw(), { qwenApiKey: "k1", ocrApiKey: "k2" }, { "docker:host": "unix:///var/run/docker.sock" });
        expect(() => loadDeployment()).not.toThrow();
    });

    it("defaults the staging image to the vLLM image and honours an explicit one", () => {
        const raw = validRaw();
        raw.images.staging = { registry: "localhost:5000/mirror/stager", digest: VLLM_DIGEST };
        setConfig(raw, { qwenApiKey: "k1", ocrApiKey: "k2" });
        expect(loadDeployment().images.staging).toBe(`localhost:5000/mirror/stager@${VLLM_DIGEST}`);
    });
});

describe("loadDeployment: a RunPod model image not baked yet (the all-zero digest)", () => {
    const unbaked = () => runpodRaw((r) => { r.runpod.modelImages["qwen3-4b"].digest = UNBAKED_DIGEST; });

    it("is refused by a deployment, before anything is registered, with the bake command as the fix", async () => {
        await installMocks({ stack: "prod" });
        setConfig(unbaked());
        let message = "";
        try { loadDeployment(); } catch (e) { message = (e as Error).message; }
        expect(message.split("\n").slice(1)).toEqual([
            `  - airlock:runpod.modelImages["qwen3-4b"].digest: is the all-zero digest of a model image not baked yet; RunPod could not pull it (got "${UNBAKED_DIGEST}")`,
            "      fix: npx tsx scripts/runpod-bake-model.ts --stack prod --model qwen3-4b --run, then pulumi config set --path 'airlock:runpod.modelImages[\"qwen3-4b\"].digest' sha256:<the pushed digest>",
        ]);
    });

    it("is planned by a preview, with a warning", async () => {
        await installMocks({ stack: "prod", preview: true });
        setConfig(unbaked());
        expect(loadDeployment().config.runpod?.modelImages["qwen3-4b"]?.digest).toBe(UNBAKED_DIGEST);
    });

    it("a baked digest deploys", async () => {
        await installMocks({ stack: "prod" });
        setConfig(runpodRaw());
        expect(loadDeployment().config.runpod?.modelImages["qwen3-4b"]?.digest).toBe(MODEL_DIGEST);
    });
});
