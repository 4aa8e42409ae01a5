/**
 * The RunPod dynamic provider, every method, against a local fake of the REST API v2 (tests/support/fake-runpod.ts:
 * state kept, request bodies validated against the OpenAPI documents). Round trips, the exact request bodies, and
 * the fault suite: after every fault the fake holds exactly the intended objects (no orphan, no twin).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RUNPOD_PROVIDER_VERSION, runpodProvider as provider, type EndpointInputs } from "../../../components/runpod/provider";
import { FakeRunPod } from "../../support/fake-runpod";

const KEY = "rpa_TESTKEY0000000000000000000000";
const DIGEST = `sha256:${"a".repeat(64)}`;
const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/qwen3-4b:v1@${DIGEST}`;
const ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/qwen3-4b";

const endpointInputs = (over: Partial<EndpointInputs> = {}): Record<string, unknown> => ({
    resourceKind: "runpod:endpoint",
    providerVersion: RUNPOD_PROVIDER_VERSION,
    name: "airlock-prod-qwen",
    templateName: "airlock-prod-qwen",
    image: IMAGE,
    env: { MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", HF_HUB_OFFLINE: "1" },
    ports: [],
    ecrRepositoryArn: ARN,
    containerDiskGb: 20,
    args: "",
    public: false,
    startSsh: false,
    startJupyter: false,
    type: "QUEUE",
    gpuPools: ["ADA_48_PRO"],
    gpuExcludedTypes: [],
    gpuCount: 1,
    allowedCudaVersions: ["12.8"],
    workersMin: 0,
    workersMax: 2,
    idleTimeoutSec: 5,
    scalerType: "QUEUE_DELAY",
    scalerValue: 4,
    executionTimeoutMs: 600_000,
    flashboot: "FLASHBOOT",
    dataCenterIds: ["EU-RO-1"],
    networkVolumeIds: [],
    ...over,
});

/** As the engine hands inputs to the provider: with the serialized provider beside them. */
const withProvider = (i: Record<string, unknown>) => ({ ...i, __provider: "exports.handler = function() { /* serialized */ };" });

let fake: FakeRunPod;
const ENV_KEYS = ["RUNPOD_API_URL", "RUNPOD_API_KEY", "RUNPOD_RETRY_BASE_MS", "RUNPOD_RETRY_MAX_MS", "RUNPOD_HTTP_TIMEOUT_MS", "RUNPOD_MAX_ATTEMPTS"];
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));

beforeEach(async () => {
    fake = new FakeRunPod(KEY);
    process.env.RUNPOD_API_URL = await fake.start();
    process.env.RUNPOD_API_KEY = KEY;
    process.env.RUNPOD_RETRY_BASE_MS = "5";
    process.env.RUNPOD_RETRY_MAX_MS = "50";
    process.env.RUNPOD_HTTP_TIMEOUT_MS = "2000";
    process.env.RUNPOD_MAX_ATTEMPTS = "4";
    delete (globalThis as Record<string, unknown>).__airlockRunPodConfig;
    // The Enclave's delegation exists before servers are created.
    await provider.create(withProvider({ resourceKind: "runpod:ecr-delegation", providerVersion: "1", name: "airlock-prod-ecr", repositoryArn: ARN }));
    fake.requests.length = 0;
});

afterEach(async () => {
    await fake.stop();
    for (const [k, v] of Object.entries(savedEnv)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
});

const only = { templates: ["airlock-prod-qwen"], endpoints: ["airlock-prod-qwen"], secrets: [], registries: [], delegations: ["airlock-prod-ecr"], volumes: [] };
const nothing = { ...only, templates: [], endpoints: [] };

describe("check", () => {
    it("accepts the secure inputs unchanged", async () => {
        const news = withProvider(endpointInputs());
        expect(await provider.check!({}, news)).toEqual({ inputs: news });
    });
    it("reports every problem with its property, in plain code", async () => {
        const r = await provider.check!({}, endpointInputs({ image: "vllm/vllm-openai:latest", gpuPools: [], workersMin: 3, workersMax: 1, scalerValue: 0.1 } as never));
        expect(r.failures).toEqual([
            { property: "image", reason: 'must be a digest-pinned image reference <registry>/<repository>[:<tag>]@sha256:<64 hex>, got "vllm/vllm-openai:latest"' },
            { property: "gpuPools", reason: "must list at least one GPU pool" },
            { property: "scalerValue", reason: "must be at least 0.5 seconds of queue delay, got 0.1" },
            { property: "workersMin", reason: "must not exceed workersMax (3 > 1)" },
        ]);
    });
    it("skips values unknown at preview", async () => {
        const r = await provider.check!({}, endpointInputs({ image: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }));
        expect(r.failures).toBeUndefined();
    });
    it("rejects an idle timeout on a QUEUE endpoint scaled by REQUEST_COUNT (RunPod refuses it)", async () => {
        const r = await provider.check!({}, endpointInputs({ scalerType: "REQUEST_COUNT", scalerValue: 2 }));
        expect(r.failures).toEqual([{ property: "idleTimeoutSec", reason: "is rejected by RunPod for a QUEUE endpoint scaled by REQUEST_COUNT; omit it" }]);
    });
});

describe("endpoint: create, read, update, delete round trip", () => {
    it("creates the template then the endpoint with exact bodies (no key, no __provider), and returns the outputs", async () => {
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        expect(fake.mutations()).toEqual(["POST /v2/templates", "POST /v2/serverless"]);
        const [tpl, ep] = fake.requests.filter((r) => r.method === "POST");
        expect(tpl!.body).toEqual({
            name: "airlock-prod-qwen", image: IMAGE, env: { MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", HF_HUB_OFFLINE: "1" },
            ports: [], disk: 20, args: "", category: "NVIDIA", serverless: true, public: false, startSsh: false, startJupyter: false,
            allowedCudaVersions: ["12.8"],
        });
        const templateId = [...fake.templates.keys()][0]!;
        expect(ep!.body).toEqual({
            name: "airlock-prod-qwen", type: "QUEUE", templateId, image: IMAGE,
            env: { MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", HF_HUB_OFFLINE: "1" }, ports: [], disk: 20, args: "",
            gpu: { pools: ["ADA_48_PRO"], count: 1, allowedCudaVersions: ["12.8"] },
            workers: { min: 0, max: 2, idleTimeout: 5 }, scaling: { type: "QUEUE_DELAY", queueDelay: 4 },
            timeout: 600000, flashboot: "FLASHBOOT", dataCenterIds: ["EU-RO-1"], networkVolumes: [],
        });
        for (const r of fake.requests) {
            expect(r.raw).not.toContain(KEY);
            expect(r.raw).not.toContain("__provider");
            expect(r.headers.authorization).toBe(`Bearer ${KEY}`);
        }
        expect(id).toBe([...fake.endpoints.keys()][0]);
        expect(outs).toMatchObject({
            endpointId: id, templateId, invokeUrl: `https://api.runpod.ai/v2/${id}/runsync`, healthUrl: `https://api.runpod.ai/v2/${id}/health`,
            openaiBaseUrl: `https://api.runpod.ai/v2/${id}/openai/v1`, workersMax: 2, idleTimeoutSec: 5, startSsh: false, public: false,
        });
        expect(JSON.stringify(outs)).not.toContain(KEY);
        expect(fake.inventory()).toEqual(only);
    });

    it("reads what RunPod holds, and diff shows RunPod lowering an idle endpoint's max workers as drift", async () => {
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        expect((await provider.read!(id, outs)).props).toEqual(outs);
        fake.lowerIdleWorkers(id, 0);
        const read = await provider.read!(id, outs);
        expect(read.props).toMatchObject({ workersMax: 0, workersMin: 0 });
        // diff compares with the live endpoint: the preview shows the change instead of silently fighting it.
        const d = await provider.diff!(id, outs, endpointInputs());
        expect(d).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
        // Offline (no key) the diff compares with the state.
        delete process.env.RUNPOD_API_KEY;
        expect((await provider.diff!(id, outs, endpointInputs())).changes).toBe(false);
    });

    it("diff: unknown values at preview are not differences; the endpoint type replaces (old one deleted first)", async () => {
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        expect((await provider.diff!(id, outs, endpointInputs({ image: "04da6b54-80e4-46f7-96ec-b56ff0331ba9" }))).changes).toBe(false);
        const d = await provider.diff!(id, outs, endpointInputs({ type: "LOAD_BALANCER", scalerType: "REQUEST_COUNT", scalerValue: 4 }));
        expect(d).toEqual({ changes: true, replaces: ["type"], deleteBeforeReplace: true });
        // A change RunPod makes in place is an update.
        expect(await provider.diff!(id, outs, endpointInputs({ executionTimeoutMs: 300_000 }))).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    });

    it("updates template and endpoint in place with PATCH (explicit fields), then deletes both", async () => {
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        const news = endpointInputs({ workersMax: 3, env: { MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", HF_HUB_OFFLINE: "1", MAX_MODEL_LEN: "8192" } });
        fake.requests.length = 0;
        const { outs: updated } = await provider.update!(id, outs, withProvider(news));
        expect(fake.mutations()).toEqual([`PATCH /v2/templates/${outs.templateId}`, `PATCH /v2/serverless/${id}`]);
        const patch = fake.requests.find((r) => r.method === "PATCH" && r.path.startsWith("/v2/serverless"))!;
        expect(patch.body).toMatchObject({ workers: { min: 0, max: 3, idleTimeout: 5 }, env: news.env as object });
        expect(patch.body).not.toHaveProperty("type");
        expect(patch.body).not.toHaveProperty("templateId");
        expect(updated).toMatchObject({ workersMax: 3, env: news.env as object });
        expect(fake.endpoints.get(id)!.env).toEqual(news.env);

        fake.requests.length = 0;
        await provider.delete!(id, updated);
        expect(fake.mutations()).toEqual([`DELETE /v2/serverless/${id}`, `DELETE /v2/templates/${outs.templateId}`]);
        expect(fake.inventory()).toEqual(nothing);
        // Deleting again is a no-op (404 = gone).
        await provider.delete!(id, updated);
        expect(fake.inventory()).toEqual(nothing);
    });

    it("read reports a deleted endpoint as gone", async () => {
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        fake.endpoints.delete(id);
        expect(await provider.read!(id, outs)).toEqual({ id: undefined, props: undefined });
    });

    it("fails before creating anything when a GPU pool is not in the catalog, naming it", async () => {
        await expect(provider.create(withProvider(endpointInputs({ gpuPools: ["ADA_480"] }))))
            .rejects.toThrow('gpuPools/gpuExcludedTypes name GPUs RunPod\'s catalog (GET /v2/catalog/gpus) does not have: "ADA_480"; serverless pools: ADA_24, ADA_48_PRO, ADA_80_PRO, AMPERE_80');
        expect(fake.mutations()).toEqual([]);
    });

    it("fails before creating anything without an ECR delegation for the image's repository", async () => {
        fake.delegations.clear();
        await expect(provider.create(withProvider(endpointInputs()))).rejects.toThrow(`No RunPod ECR delegation covers ${ARN}`);
        expect(fake.mutations()).toEqual([]);
    });

    it("fails clearly without an API key, and never sends a request", async () => {
        delete process.env.RUNPOD_API_KEY;
        await expect(provider.create(withProvider(endpointInputs())))
            .rejects.toThrow("No RunPod API key: set it with `pulumi config set --secret airlock:runpodApiKey <key>` or export RUNPOD_API_KEY before running Pulumi.");
        expect(fake.requests).toEqual([]);
    });

    it("reads the key from the stack config handed to configure (airlock:runpodApiKey)", async () => {
        delete process.env.RUNPOD_API_KEY;
        await provider.configure!({ config: { get: (k: string) => (k === "airlock:runpodApiKey" ? KEY : undefined), require: () => { throw new Error("unused"); } } });
        const { id } = await provider.create(withProvider(endpointInputs()));
        expect(fake.endpoints.has(id)).toBe(true);
        expect(Object.values(provider)).not.toContain(KEY);
        expect(JSON.stringify(provider)).not.toContain(KEY);
    });
});

describe("fault suite: after every fault the fake holds exactly the intended objects", () => {
    it("429 with Retry-After: waits as told, then succeeds (no duplicate)", async () => {
        fake.inject("POST", "/v2/serverless", { kind: "status", status: 429, headers: { "Retry-After": "1" }, body: { title: "Too Many Requests", status: 429, detail: "rate limit exceeded for the minute window" } });
        const started = Date.now();
        await provider.create(withProvider(endpointInputs()));
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(fake.mutations()).toEqual(["POST /v2/templates", "POST /v2/serverless", "POST /v2/serverless"]);
        expect(fake.inventory()).toEqual(only);
    });

    it("500s on reads are retried with backoff", async () => {
        fake.inject("GET", "/v2/catalog/gpus", { kind: "status", status: 500 }, 2);
        await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.path === "/v2/catalog/gpus")).toHaveLength(3);
        expect(fake.inventory()).toEqual(only);
    });

    it("a 500 on a create after the server acted: found by name and adopted, not created twice", async () => {
        fake.inject("POST", "/v2/serverless", { kind: "status-after-act", status: 502 });
        const { id } = await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/serverless")).toHaveLength(1);
        expect([...fake.endpoints.keys()]).toEqual([id]);
        expect(fake.inventory()).toEqual(only);
    });

    it("a 500 before acting: looks, finds nothing, creates once", async () => {
        fake.inject("POST", "/v2/templates", { kind: "status", status: 503 });
        await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/templates")).toHaveLength(2);
        expect(fake.inventory()).toEqual(only);
    });

    it("a response lost after the server acted (template and endpoint): adopted, no duplicate", async () => {
        fake.inject("POST", "/v2/templates", { kind: "drop-after-act" });
        fake.inject("POST", "/v2/serverless", { kind: "drop-after-act" });
        const { id, outs } = await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(2);
        expect(outs.endpointId).toBe(id);
        expect(outs.templateId).toBe([...fake.templates.keys()][0]);
        expect(fake.inventory()).toEqual(only);
    });

    it("a response that never comes (timeout after the server acted): adopted, no duplicate", async () => {
        process.env.RUNPOD_HTTP_TIMEOUT_MS = "300";
        fake.inject("POST", "/v2/serverless", { kind: "hang-after-act" });
        await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/serverless")).toHaveLength(1);
        expect(fake.inventory()).toEqual(only);
    });

    it("a connection reset before the server acted: retried once the list shows nothing", async () => {
        fake.inject("POST", "/v2/serverless", { kind: "reset" });
        fake.inject("GET", "/v2/serverless", { kind: "reset" });
        await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/serverless")).toHaveLength(2);
        expect(fake.inventory()).toEqual(only);
    });

    it("a 400 with a field error on the endpoint: clear message with the field, and the template it made is deleted", async () => {
        fake.inject("POST", "/v2/serverless", { kind: "status", status: 400, body: {
            title: "Bad Request", status: 400, detail: "allowedCudaVersions and minCudaVersion are mutually exclusive",
            errors: ["$.gpu.allowedCudaVersions: conflicts with gpu.minCudaVersion"] } });
        await expect(provider.create(withProvider(endpointInputs()))).rejects.toThrow(
            "RunPod API POST /v2/serverless failed with 400: allowedCudaVersions and minCudaVersion are mutually exclusive ($.gpu.allowedCudaVersions: conflicts with gpu.minCudaVersion)");
        expect(fake.mutations()).toEqual(["POST /v2/templates", "POST /v2/serverless", `DELETE /v2/templates/${fake.requests.find((r) => r.path.startsWith("/v2/templates/"))?.path.split("/").pop()}`]);
        expect(fake.inventory()).toEqual(nothing);
    });

    it("a 400 on the template (a field error, not a taken name) is reported once, as RunPod said it, nothing left behind", async () => {
        fake.inject("POST", "/v2/templates", { kind: "status", status: 400, body: { title: "Bad Request", status: 400, detail: "image is not pullable", errors: ["$.image: manifest unknown"] } });
        await expect(provider.create(withProvider(endpointInputs()))).rejects.toThrow(
            "RunPod API POST /v2/templates failed with 400: image is not pullable ($.image: manifest unknown)");
        expect(fake.requests.filter((r) => r.method === "POST")).toHaveLength(1);
        expect(fake.inventory()).toEqual(nothing);
    });

    it("a response whose body never completes on a create is a lost response: adopted, no duplicate", async () => {
        process.env.RUNPOD_HTTP_TIMEOUT_MS = "300";
        fake.inject("POST", "/v2/templates", { kind: "truncate-after-act" });
        await provider.create(withProvider(endpointInputs()));
        expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/v2/templates")).toHaveLength(1);
        expect(fake.inventory()).toEqual(only);
    });

    it("a body the API rejects (422 from schema validation) names the field and leaves nothing behind", async () => {
        await expect(provider.create(withProvider(endpointInputs({ gpuCount: 0 }))))
            .rejects.toThrow("RunPod API POST /v2/serverless failed with 422: Request validation failed. ($.gpu.count: must be >= 1)");
        expect(fake.inventory()).toEqual(nothing);
    });

    it("an interrupted earlier run left the template and endpoint: both adopted, nothing posted", async () => {
        await provider.create(withProvider(endpointInputs()));
        fake.requests.length = 0;
        await provider.create(withProvider(endpointInputs()));
        expect(fake.mutations()).toEqual([]);
        expect(fake.inventory()).toEqual(only);
    });

    it("twins left by an earlier lost response are removed: exactly one endpoint survives", async () => {
        const first = await provider.create(withProvider(endpointInputs()));
        const templateId = first.outs.templateId as string;
        const twin = structuredClone(fake.endpoints.get(first.id)!);
        twin.id = "eptwin1";
        fake.endpoints.set(twin.id, twin);
        fake.requests.length = 0;
        const again = await provider.create(withProvider(endpointInputs()));
        expect(fake.mutations()).toEqual([`DELETE /v2/serverless/${again.id === "eptwin1" ? first.id : "eptwin1"}`]);
        expect(fake.inventory()).toEqual(only);
        expect(fake.templates.has(templateId)).toBe(true);
    });

    it("a same-named object with a different configuration is never taken over", async () => {
        await provider.create(withProvider(endpointInputs()));
        fake.requests.length = 0;
        await expect(provider.create(withProvider(endpointInputs({ workersMax: 5 })))).rejects.toThrow(
            /endpoint "airlock-prod-qwen": endpoint ep[0-9a-z]+ \("airlock-prod-qwen"\) already exists with the same name but a different configuration/);
        expect(fake.mutations()).toEqual([]);
        expect(fake.inventory()).toEqual(only);
    });

    it("persistent 5xx on a create: gives up, and no object of the name exists", async () => {
        fake.inject("POST", "/v2/serverless", { kind: "status", status: 500 }, 10);
        await expect(provider.create(withProvider(endpointInputs()))).rejects.toThrow(
            'endpoint "airlock-prod-qwen": RunPod API POST /v2/serverless: 500 from the server; gave up after 4 attempts (nothing was left behind: no object with this name exists)');
        expect(fake.inventory()).toEqual(nothing);
    });
});

describe("secrets, registry credentials, ECR delegations, network volumes", () => {
    const config = (values: Record<string, string>) => provider.configure!({
        config: { get: (k: string) => values[k], require: (k: string) => values[k]! },
    });

    it("secret: value read from the stack config at run time, rotated on a digest change, deleted", async () => {
        await config({ "airlock:hfToken": "hf_value_one" });
        const i = { resourceKind: "runpod:secret", providerVersion: "1", name: "airlock-prod-hfToken", description: "HF read token", valueConfigKey: "hfToken", valueSha256: "1".repeat(64) };
        const { id, outs } = await provider.create(withProvider(i));
        expect(fake.requests.find((r) => r.method === "POST")!.body).toEqual({ name: "airlock-prod-hfToken", value: "hf_value_one", description: "HF read token" });
        expect(fake.secretValues.get(id)).toBe("hf_value_one");
        expect(JSON.stringify(outs)).not.toContain("hf_value_one");
        await config({ "airlock:hfToken": "hf_value_two" });
        const d = await provider.diff!(id, outs, { ...i, valueSha256: "2".repeat(64) });
        expect(d).toMatchObject({ changes: true, replaces: [] });
        await provider.update!(id, outs, withProvider({ ...i, valueSha256: "2".repeat(64) }));
        expect(fake.secretValues.get(id)).toBe("hf_value_two");
        expect((await provider.diff!(id, outs, { ...i, name: "airlock-prod-other" })).replaces).toEqual(["name"]);
        await provider.delete!(id, outs);
        expect(fake.secrets.size).toBe(0);
    });

    it("secret: a 409 after a lost response adopts the secret and sets our value (no twin)", async () => {
        await config({ "airlock:hfToken": "hf_value_one" });
        fake.inject("POST", "/v2/account/secrets", { kind: "drop-after-act" });
        const i = { resourceKind: "runpod:secret", providerVersion: "1", name: "airlock-prod-hfToken", description: "", valueConfigKey: "hfToken", valueSha256: "1".repeat(64) };
        const { id } = await provider.create(withProvider(i));
        expect([...fake.secrets.keys()]).toEqual([id]);
    });

    it("secret: a missing config value fails clearly before any request", async () => {
        await config({});
        const i = { resourceKind: "runpod:secret", providerVersion: "1", name: "airlock-prod-hfToken", description: "", valueConfigKey: "hfToken", valueSha256: "1".repeat(64) };
        await expect(provider.create(withProvider(i))).rejects.toThrow("secret \"airlock-prod-hfToken\": the secret config key airlock:hfToken is not available to the provider; set it with `pulumi config set --secret airlock:hfToken <value>`");
        expect(fake.mutations()).toEqual([]);
    });

    it("registry credential: password from the config, never in outputs; every change replaces", async () => {
        await config({ "airlock:registryPassword": "s3cret-pass" });
        const i = { resourceKind: "runpod:registry-auth", providerVersion: "1", name: "airlock-prod-registry-0a1b2c3d", username: "robot", passwordConfigKey: "registryPassword", passwordSha256: "3".repeat(64) };
        const { id, outs } = await provider.create(withProvider(i));
        expect(fake.registryPasswords.get(id)).toBe("s3cret-pass");
        expect(JSON.stringify(outs)).not.toContain("s3cret-pass");
        expect((await provider.diff!(id, outs, { ...i, passwordSha256: "4".repeat(64) })).replaces).toEqual(["passwordSha256"]);
        expect((await provider.read!(id, outs)).props).toMatchObject({ registryId: id });
        await provider.delete!(id, outs);
        expect(fake.registries.size).toBe(0);
    });

    it("ECR delegation: created from the ARN, read back, revoked", async () => {
        const i = { resourceKind: "runpod:ecr-delegation", providerVersion: "1", name: "airlock-prod-ecr2", repositoryArn: "arn:aws:ecr:us-east-2:123456789012:repository/airlock/other" };
        const { id, outs } = await provider.create(withProvider(i));
        expect(fake.requests.find((r) => r.method === "POST")!.body).toEqual({ resource: i.repositoryArn, name: "airlock-prod-ecr2" });
        expect(outs).toMatchObject({ awsUser: "418399314813", dockerRegistryUri: "123456789012.dkr.ecr.us-east-2.amazonaws.com" });
        expect((await provider.read!(id, outs)).props).toEqual(outs);
        await provider.delete!(id, outs);
        expect(fake.inventory().delegations).toEqual(["airlock-prod-ecr"]);
    });

    it("network volume: create, grow in place, refuse to shrink, data centre replaces, delete", async () => {
        const i = { resourceKind: "runpod:network-volume", providerVersion: "1", name: "airlock-prod-models", sizeGb: 50, dataCenterId: "EU-RO-1", volumeType: "STANDARD" };
        const { id, outs } = await provider.create(withProvider(i));
        expect(fake.requests.find((r) => r.method === "POST")!.body).toEqual({ name: "airlock-prod-models", size: 50, dataCenter: "EU-RO-1", type: "STANDARD" });
        const { outs: grown } = await provider.update!(id, outs, withProvider({ ...i, sizeGb: 80 }));
        expect(grown).toMatchObject({ sizeGb: 80 });
        await expect(provider.update!(id, grown, withProvider({ ...i, sizeGb: 60 }))).rejects.toThrow(`network volume ${id}: sizeGb 60 is smaller than 80; RunPod volumes only grow (replace the volume to shrink it)`);
        expect((await provider.diff!(id, grown, { ...i, sizeGb: 80, dataCenterId: "US-TX-3" })).replaces).toEqual(["dataCenterId"]);
        await provider.delete!(id, grown);
        expect(fake.volumes.size).toBe(0);
    });
});
