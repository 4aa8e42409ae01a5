/**
 * The RunPod components under the mock runtime: the exact resources the platform registers for a config (ECR
 * delegation or registry credential, account secrets, template + endpoint per server) and their security inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMocks, only, registrations, settle, unsecret, unwrap } from "../../support/mocks";
import type { Deployment } from "../../../src/config/load";
import { QWEN_SHA, VLLM_DIGEST } from "../../fixtures/config";

const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
let parseStackConfig: typeof import("../../../src/config").parseStackConfig;
let RunPodPlatform: typeof import("../../../components/runpod").RunPodPlatform;
let bakeArgv: typeof import("../../../components/runpod").bakeArgv;

function deployment(mutate: (r: Record<string, any>) => void = () => undefined, runpodSecrets: Record<string, string> = {}): Deployment {
    const raw: Record<string, any> = {
        environment: "prod", platforms: ["runpod"],
        images: { vllm: { registry: `${ECR}/mirror/vllm/vllm-openai`, digest: VLLM_DIGEST } },
        models: [{ name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: QWEN_SHA, serving: { maxModelLen: 8192 } }],
        inferenceServers: [{ name: "qwen-runpod", model: "qwen3-4b", platform: "runpod", apiKeySecret: "unused", gpus: 2,
            runpod: { gpuPools: ["ADA_48_PRO"], workersMax: 2, dataCenterIds: ["EU-RO-1"] } }],
        runpod: {
            workerImage: { registry: `${ECR}/mirror/runpod/worker-v1-vllm`, digest: `sha256:${"1".repeat(64)}` },
            modelImages: { "qwen3-4b": { registry: `${ECR}/airlock/runpod-qwen3-4b`, tag: "v1", digest: `sha256:${"2".repeat(64)}` } },
            registryAuth: { kind: "ecr-delegation" },
        },
    };
    mutate(raw);
    const config = parseStackConfig(raw, "prod");
    return {
        project: "airlock", stack: "prod", config, images: { vllm: "unused", staging: "unused" },
        secrets: { apiKeys: new Map(), runpod: new Map(Object.entries(runpodSecrets).map(([k, v]) => [k, pulumi.secret(v)])) },
    };
}

beforeAll(async () => {
    await installMocks({ stack: "prod" });
    ({ parseStackConfig } = await import("../../../src/config"));
    ({ RunPodPlatform, bakeArgv } = await import("../../../components/runpod"));
});
beforeEach(() => { registrations.length = 0; });

const dynamic = (kind: string) => only(DYNAMIC).filter((r) => r.inputs.resourceKind === kind).map((r) => ({ name: r.name, inputs: unsecret<Record<string, any>>(r.inputs) }));

describe("RunPodPlatform", () => {
    it("registers the enclave's ECR delegation, the model store and one endpoint (with its template) per server", async () => {
        const p = new RunPodPlatform("runpod", { deployment: deployment() });
        await settle(p);
        expect(registrations.map((r) => `${r.type} ${r.name}`).sort()).toEqual([
            "airlock:runpod:Enclave runpod-enclave", "airlock:runpod:InferenceServer qwen-runpod", "airlock:runpod:ModelStore qwen3-4b",
            "airlock:runpod:Platform runpod", `${DYNAMIC} qwen-runpod`, `${DYNAMIC} runpod-enclave-ecr-0`,
        ]);
        const [delegation] = dynamic("runpod:ecr-delegation");
        expect(delegation!.inputs).toMatchObject({ repositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/runpod-qwen3-4b", providerVersion: "1" });
        expect(delegation!.inputs.name).toMatch(/^airlock-prod-ecr-[0-9a-f]{8}$/);
    });

    it("builds the endpoint from explicit, secure fields: private template, no SSH/Jupyter, no ports, offline worker env", async () => {
        const p = new RunPodPlatform("runpod", { deployment: deployment() });
        await settle(p);
        const [endpoint] = dynamic("runpod:endpoint");
        const { __provider, ...inputs } = endpoint!.inputs;
        expect(typeof __provider).toBe("string");
        expect(inputs).toEqual({
            resourceKind: "runpod:endpoint", providerVersion: "1", name: "airlock-prod-qwen-runpod", templateName: "airlock-prod-qwen-runpod",
            image: `${ECR}/airlock/runpod-qwen3-4b:v1@sha256:${"2".repeat(64)}`,
            env: {
                HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", HF_DATASETS_OFFLINE: "1", HF_HUB_DISABLE_TELEMETRY: "1", VLLM_NO_USAGE_STATS: "1", DO_NOT_TRACK: "1",
                MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", OPENAI_SERVED_MODEL_NAME_OVERRIDE: "qwen3-4b", TRUST_REMOTE_CODE: "false",
                TENSOR_PARALLEL_SIZE: "2", MAX_MODEL_LEN: "8192",
            },
            ports: [], ecrRepositoryArn: "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/runpod-qwen3-4b", containerDiskGb: 50, args: "",
            public: false, startSsh: false, startJupyter: false, type: "QUEUE", gpuPools: ["ADA_48_PRO"], gpuExcludedTypes: [], gpuCount: 2,
            allowedCudaVersions: [], workersMin: 0, workersMax: 2, idleTimeoutSec: 5, scalerType: "QUEUE_DELAY", scalerValue: 4,
            executionTimeoutMs: 600000, flashboot: "FLASHBOOT", dataCenterIds: ["EU-RO-1"], networkVolumeIds: [],
        });
        expect(only(DYNAMIC).find((r) => r.name === "qwen-runpod")!.inputs).not.toHaveProperty("apiKey");
    });

    it("with registry credentials and secretEnv: a credential and account secrets by digest, referenced as RUNPOD_SECRET", async () => {
        const p = new RunPodPlatform("runpod", { deployment: deployment((r) => {
            r.runpod.registryAuth = { kind: "credentials", username: "robot", passwordSecret: "runpodRegistryPassword" };
            r.runpod.modelImages["qwen3-4b"].registry = "registry.internal:5000/airlock/qwen";
            r.inferenceServers[0].runpod.secretEnv = { WANDB_API_KEY: "wandbKey" };
        }, { runpodRegistryPassword: "pw-value", wandbKey: "wandb-value" }) });
        await settle(p);
        const [registry] = dynamic("runpod:registry-auth");
        expect(registry!.inputs).toMatchObject({ name: "airlock-prod-registry", username: "robot", passwordConfigKey: "runpodRegistryPassword" });
        expect(registry!.inputs.passwordSha256).toMatch(/^[0-9a-f]{64}$/);
        const [secret] = dynamic("runpod:secret");
        expect(secret!.inputs).toMatchObject({ name: "airlock-prod-wandbKey", valueConfigKey: "wandbKey" });
        const all = JSON.stringify(registrations.map((r) => unsecret(r.inputs)));
        expect(all).not.toContain("pw-value");
        expect(all).not.toContain("wandb-value");
        const rawSecret = only(DYNAMIC).find((r) => r.inputs.resourceKind === "runpod:secret")!;
        expect(JSON.stringify(rawSecret.inputs.valueSha256)).toContain("1b47061264138c4ac30d75fd1eb44270"); // a Pulumi secret
        const [endpoint] = dynamic("runpod:endpoint");
        expect(endpoint!.inputs.env.WANDB_API_KEY).toBe("{{ RUNPOD_SECRET_airlock-prod-wandbKey }}");
        expect(endpoint!.inputs).not.toHaveProperty("ecrRepositoryArn");
        // The credential id is the provider's output (unknown at preview, unset under these mocks): the server takes it from the enclave.
        expect(p.enclave.registryId).toBeDefined();
    });

    it("exposes the endpoint id, invoke URL and template id as outputs", async () => {
        const p = new RunPodPlatform("runpod", { deployment: deployment() });
        await settle(p);
        const server = p.servers.get("qwen-runpod")!;
        expect(await unwrap(server.endpoint.urn)).toContain("airlock:runpod:InferenceServer$pulumi-nodejs:dynamic:Resource::qwen-runpod");
        expect(Object.keys((p.enclaveOutputs().endpoints ?? {}) as object)).toEqual(["qwen-runpod"]);
        expect(p.endpoints()["qwen-runpod"]!.platform).toBe("runpod");
    });

    it("bakes the model at its pinned revision into /models (exec-form argv, token as a BuildKit secret)", () => {
        const argv = bakeArgv({ name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: QWEN_SHA },
            { registry: `${ECR}/mirror/runpod/worker-v1-vllm`, digest: `sha256:${"1".repeat(64)}` }, `${ECR}/airlock/runpod-qwen3-4b:v1`);
        expect(argv.slice(0, 3)).toEqual(["docker", "buildx", "build"]);
        expect(argv).toContain(`WORKER_IMAGE=${ECR}/mirror/runpod/worker-v1-vllm@sha256:${"1".repeat(64)}`);
        expect(argv).toContain(`MODEL_REVISION=${QWEN_SHA}`);
        expect(argv).toContain("MODEL_DIR=/models/Qwen--Qwen3-4B-Instruct-2507");
        expect(argv).toContain("id=hf_token,env=HF_TOKEN");
        expect(argv.join(" ")).not.toMatch(/hf_[A-Za-z]{34}/);
    });
});
// Not proven here: RunPod's behaviour (tests/components/runpod/provider.test.ts runs the provider against a fake API).
