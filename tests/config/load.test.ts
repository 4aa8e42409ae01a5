import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDeployment } from "../../src/config";
import { VLLM_DIGEST, validRaw } from "../fixtures/config";
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
