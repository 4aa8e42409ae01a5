/**
 * ModelStore, InferenceServer and TrainingJob (kubernetes) under mocks: exact pod specs (securityContext, probes,
 * volumes, env, resources), the objects around them, parentage, and OpenAPI validity of every manifest.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installMocks, only, registrations, settle, unwrap } from "../../support/mocks";
import { validateManifest } from "../../support/kubernetes-schema";

let m: typeof import("../../../components/kubernetes");
beforeAll(async () => { await installMocks(); m = await import("../../../components/kubernetes"); });
beforeEach(() => { registrations.length = 0; });

const IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/vllm/vllm-openai:v0.11.0@sha256:${"a".repeat(64)}`;
const REV = "cdbee75f17c01a7cc42f958dc650907174af0554";
const enclave = {
    namespace: pulumi.output("airlock-prod"),
    serviceAccountName: pulumi.output("airlock-workload"),
    imagePullSecrets: [pulumi.output("registry-auth")],
    hfTokenSecret: { name: pulumi.output("hf-token"), key: "token" },
};
const scheduling = {
    nodeSelector: { "nvidia.com/gpu.present": "true" },
    tolerations: [{ key: "nvidia.com/gpu", operator: "Exists" as const, effect: "NoSchedule" as const }],
};
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, fsGroupChangePolicy: "OnRootMismatch", seccompProfile: { type: "RuntimeDefault" } };
const CONTAINER_SECURITY = {
    allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000,
    capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
};
const podBase = {
    serviceAccountName: "airlock-workload", automountServiceAccountToken: false, enableServiceLinks: false, securityContext: POD_SECURITY,
    imagePullSecrets: [{ name: "registry-auth" }], nodeSelector: scheduling.nodeSelector, tolerations: scheduling.tolerations,
};
const CACHE_ENV = [
    { name: "HOME", value: "/cache/home" }, { name: "XDG_CACHE_HOME", value: "/cache" }, { name: "HF_HOME", value: "/cache/huggingface" },
    { name: "VLLM_CACHE_ROOT", value: "/cache/vllm" }, { name: "TRITON_CACHE_DIR", value: "/cache/triton" }, { name: "TORCHINDUCTOR_CACHE_DIR", value: "/cache/inductor" },
];
const TELEMETRY_ENV = [{ name: "HF_HUB_DISABLE_TELEMETRY", value: "1" }, { name: "VLLM_NO_USAGE_STATS", value: "1" }, { name: "DO_NOT_TRACK", value: "1" }];
const OFFLINE_ENV = [{ name: "HF_HUB_OFFLINE", value: "1" }, { name: "TRANSFORMERS_OFFLINE", value: "1" }, { name: "HF_DATASETS_OFFLINE", value: "1" }, ...TELEMETRY_ENV];
const scratch = (cacheMiB: number) => ({
    volumes: [{ name: "cache", emptyDir: { sizeLimit: `${cacheMiB}Mi` } }, { name: "tmp", emptyDir: { sizeLimit: "1Gi" } }],
    mounts: [{ name: "cache", mountPath: "/cache" }, { name: "tmp", mountPath: "/tmp" }],
});
const validateAll = () => { for (const r of registrations.filter((x) => x.type.startsWith("kubernetes:"))) validateManifest(r.type, r.name, r.inputs); };

const model = { name: "qwen3-4b", hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: REV };
const store = () => new m.ModelStore("qwen3-4b", {
    model, image: IMAGE, enclave, stack: "prod", scheduling, timeoutMin: 360,
    storage: { className: "gp3", accessMode: "ReadWriteOnce", sizeGiB: 50 },
});

describe("ModelStore (kubernetes)", () => {
    it("claims a volume per model and revision and fills it with a one-shot download Job", async () => {
        const s = store();
        await settle(s);
        const pvc = only("kubernetes:core/v1:PersistentVolumeClaim");
        expect(pvc.map((p) => p.inputs.metadata.name)).toEqual(["model-qwen3-4b-cdbee75f"]);
        expect(pvc[0]!.inputs.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "50Gi" } } });
        expect(pvc[0]!.inputs.metadata.annotations).toEqual({ "airlock.dev/hub-id": model.hubId, "airlock.dev/revision": REV });
        const jobs = only("kubernetes:batch/v1:Job");
        expect(jobs).toHaveLength(1);
        const job = jobs[0]!.inputs;
        const labels = { "airlock.dev/role": "model-staging", "airlock.dev/stack": "prod", "app.kubernetes.io/part-of": "airlock", "airlock.dev/model": "qwen3-4b", "airlock.dev/revision": "cdbee75f" };
        expect(job.metadata).toEqual({ name: "stage-qwen3-4b-cdbee75f", namespace: "airlock-prod", labels });
        expect({ ...job.spec, template: undefined }).toEqual({ backoffLimit: 2, completions: 1, parallelism: 1, activeDeadlineSeconds: 21600, template: undefined });
        expect(job.spec.template.metadata).toEqual({ labels });
        const { volumes, mounts } = scratch(1024);
        expect(job.spec.template.spec).toEqual({
            ...podBase,
            restartPolicy: "Never",
            containers: [{
                name: "download",
                image: IMAGE,
                command: ["hf", "download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", REV, "--local-dir", "/models/Qwen--Qwen3-4B-Instruct-2507"],
                env: [...TELEMETRY_ENV, ...CACHE_ENV, { name: "HF_TOKEN", valueFrom: { secretKeyRef: { name: "hf-token", key: "token" } } }],
                resources: { requests: { cpu: "2", memory: "4096Mi" }, limits: { cpu: "2", memory: "4096Mi" } },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [{ name: "model", mountPath: "/models/Qwen--Qwen3-4B-Instruct-2507" }, ...mounts],
            }],
            volumes: [{ name: "model", persistentVolumeClaim: { claimName: "model-qwen3-4b-cdbee75f" } }, ...volumes],
        });
        expect(s.volumes.map((v) => v.mountPath)).toEqual(["/models/Qwen--Qwen3-4B-Instruct-2507"]);
        expect(await unwrap(s.volumes[0]!.claimName)).toBe("model-qwen3-4b-cdbee75f");
        validateAll();
    });

    it("a new revision is a new volume and a new Job (the servers roll onto it)", async () => {
        const s = new m.ModelStore("qwen3-4b", {
            model: { ...model, revision: "0123456789abcdef0123456789abcdef01234567" }, image: IMAGE, enclave, stack: "prod", scheduling, timeoutMin: 60,
            storage: { accessMode: "ReadWriteMany", sizeGiB: 10 },
        });
        await settle(s);
        expect(only("kubernetes:core/v1:PersistentVolumeClaim").map((p) => [p.name, p.inputs.metadata.name, p.inputs.spec.accessModes, p.inputs.spec.storageClassName]))
            .toEqual([["qwen3-4b", "model-qwen3-4b-01234567", ["ReadWriteMany"], undefined]]);
        expect(only("kubernetes:batch/v1:Job").map((j) => [j.name, j.inputs.metadata.name])).toEqual([["qwen3-4b-stage", "stage-qwen3-4b-01234567"]]);
    });

    it("stages a separate tokenizer into its own volume; no HF token without a Secret", async () => {
        const s = new m.ModelStore("tok", {
            model: { ...model, name: "tok", tokenizer: { hubId: "Qwen/Qwen3-4B", revision: "b".repeat(40) } }, image: IMAGE,
            enclave: { ...enclave, hfTokenSecret: undefined }, stack: "prod", scheduling, timeoutMin: 60, storage: { accessMode: "ReadWriteOnce", sizeGiB: 10 },
        });
        await settle(s);
        expect(only("kubernetes:core/v1:PersistentVolumeClaim").map((p) => p.inputs.metadata.name)).toEqual(["model-tok-cdbee75f", "tok-tok-bbbbbbbb"]);
        const jobs = only("kubernetes:batch/v1:Job");
        expect(jobs.map((j) => j.inputs.metadata.name)).toEqual(["stage-tok-cdbee75f", "stage-tok-tok-bbbbbbbb"]);
        for (const j of jobs) expect(j.inputs.spec.template.spec.containers[0].env.map((e: { name: string }) => e.name)).not.toContain("HF_TOKEN");
        expect(s.tokenizerPath).toBe("/models/Qwen--Qwen3-4B");
    });
});

describe("InferenceServer (kubernetes)", () => {
    const server = (over: Record<string, unknown> = {}, k8s: Record<string, unknown> = {}) => {
        const s = store();
        return new m.InferenceServer("qwen", {
            server: { name: "qwen", replicas: 2, gpus: 2, port: 8000, resources: { cpus: 8, memoryMiB: 49152, shmSizeMiB: 8192 },
                kubernetes: { startupTimeoutMin: 20, podDisruptionBudget: true, ...k8s }, ...over },
            model: { name: "qwen3-4b", hubId: model.hubId, trustRemoteCode: false, serving: { maxModelLen: 32768 } },
            image: IMAGE, enclave, apiKeySecret: { name: pulumi.output("qwen-api-key"), key: "api-key" }, store: s,
            gateway: { namespace: "ingress-gateway", podLabels: { "app.kubernetes.io/name": "envoy" } }, scheduling, stack: "prod",
        });
    };
    const selector = { "app.kubernetes.io/name": "qwen", "app.kubernetes.io/instance": "prod" };
    const labels = { "airlock.dev/role": "inference", "airlock.dev/stack": "prod", "app.kubernetes.io/part-of": "airlock", "airlock.dev/model": "qwen3-4b", ...selector };

    it("deploys vLLM on the staged path, offline, tensor parallel over its GPUs, in the restricted sandbox", async () => {
        const s = server();
        await settle(s);
        const deps = only("kubernetes:apps/v1:Deployment");
        expect(deps).toHaveLength(1);
        const d = deps[0]!.inputs;
        expect(d.metadata).toEqual({ name: "qwen", namespace: "airlock-prod", labels });
        expect({ ...d.spec, template: undefined }).toEqual({
            replicas: 2, selector: { matchLabels: selector }, revisionHistoryLimit: 3,
            strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, progressDeadlineSeconds: 1800, template: undefined,
        });
        expect(d.spec.template.metadata).toEqual({ labels });
        const health = { httpGet: { path: "/health", port: "http" } };
        const { volumes, mounts } = scratch(4096);
        expect(d.spec.template.spec).toEqual({
            ...podBase,
            terminationGracePeriodSeconds: 60,
            containers: [{
                name: "vllm",
                image: IMAGE,
                command: ["vllm", "serve"],
                args: ["/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000",
                    "--max-model-len", "32768", "--tensor-parallel-size", "2"],
                ports: [{ name: "http", containerPort: 8000, protocol: "TCP" }],
                env: [...OFFLINE_ENV, ...CACHE_ENV, { name: "VLLM_API_KEY", valueFrom: { secretKeyRef: { name: "qwen-api-key", key: "api-key" } } }],
                resources: { requests: { cpu: "8", memory: "49152Mi" }, limits: { cpu: "8", memory: "49152Mi", "nvidia.com/gpu": "2" } },
                securityContext: CONTAINER_SECURITY,
                volumeMounts: [{ name: "model-0", mountPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true }, ...mounts, { name: "dshm", mountPath: "/dev/shm" }],
                startupProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 120 },
                readinessProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
                livenessProbe: { ...health, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
            }],
            volumes: [
                { name: "model-0", persistentVolumeClaim: { claimName: "model-qwen3-4b-cdbee75f", readOnly: true } },
                ...volumes,
                { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "8192Mi" } },
            ],
        });
        validateAll();
    });

    it("exposes a ClusterIP Service, lets only the gateway in, and keeps one replica up during drains", async () => {
        const s = server();
        await settle(s);
        expect(only("kubernetes:core/v1:Service").map((r) => r.inputs.spec)).toEqual([{
            type: "ClusterIP", selector, ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }],
        }]);
        const np = only("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        expect(np.map((r) => [r.inputs.metadata.name, r.inputs.spec])).toEqual([["qwen-ingress", {
            podSelector: { matchLabels: selector },
            policyTypes: ["Ingress"],
            ingress: [{
                from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-gateway" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "envoy" } } }],
                ports: [{ protocol: "TCP", port: 8000 }],
            }],
        }]]);
        expect(only("kubernetes:policy/v1:PodDisruptionBudget").map((r) => r.inputs.spec)).toEqual([{ maxUnavailable: 1, selector: { matchLabels: selector } }]);
        expect(only("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(0);
        expect(await unwrap(s.url)).toBe("http://qwen.airlock-prod.svc.cluster.local:8000/v1");
        expect(await unwrap(s.pdb!.urn)).toContain("airlock:kubernetes:InferenceServer$kubernetes:policy/v1:PodDisruptionBudget::qwen-pdb");
    });

    it("hands the replica count to an autoscaler when one is configured; no PDB when disabled", async () => {
        const s = server({}, { podDisruptionBudget: false, autoscaling: { maxReplicas: 4, podsMetric: { name: "vllm:num_requests_waiting", averageValue: "5" } } });
        await settle(s);
        expect(only("kubernetes:apps/v1:Deployment")[0]!.inputs.spec.replicas).toBeUndefined();
        expect(only("kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((r) => r.inputs.spec)).toEqual([{
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "qwen" }, minReplicas: 2, maxReplicas: 4,
            metrics: [{ type: "Pods", pods: { metric: { name: "vllm:num_requests_waiting" }, target: { type: "AverageValue", averageValue: "5" } } }],
        }]);
        expect(only("kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(0);
        expect(s.pdb).toBeUndefined();
        validateAll();
    });

    it("requests no GPU for a CPU server and adds no tensor parallelism", async () => {
        const s = server({ gpus: 0 });
        await settle(s);
        const c = only("kubernetes:apps/v1:Deployment")[0]!.inputs.spec.template.spec.containers[0];
        expect(c.resources.limits).toEqual({ cpu: "8", memory: "49152Mi" });
        expect(c.args).not.toContain("--tensor-parallel-size");
    });

    it("rejects tensor parallelism beyond the GPUs of one replica", () => {
        expect(() => new m.InferenceServer("tp", {
            server: { name: "tp", replicas: 1, gpus: 2, port: 8000, resources: { cpus: 8, memoryMiB: 49152, shmSizeMiB: 8192 }, kubernetes: { startupTimeoutMin: 20, podDisruptionBudget: true } },
            model: { name: "qwen3-4b", hubId: model.hubId, trustRemoteCode: false, serving: { tensorParallelSize: 4 } },
            image: IMAGE, enclave, apiKeySecret: { name: "k", key: "k" }, store: { volumes: [], stagingJobs: [] },
            gateway: { namespace: "gw", podLabels: {} }, scheduling, stack: "prod",
        })).toThrow(/model\.serving\.tensorParallelSize: is 4, more than the 2 GPUs of one replica/);
    });
});

describe("TrainingJob (kubernetes)", () => {
    it("runs a batch Job in the sandbox with deadlines, GPU limits, read-only inputs and one writable output claim", async () => {
        const s = store();
        const j = new m.TrainingJob("qwen-lora", {
            job: {
                name: "qwen-lora", command: ["axolotl", "train", "/data/cfg.yml"], env: { WANDB_MODE: "offline" }, runAsUser: "1001:1002",
                limits: { cpus: 16, memoryMiB: 131072, pids: 4096, gpus: 2 },
                kubernetes: { activeDeadlineMin: 720, backoffLimit: 0, ttlAfterFinishedMin: 4320, outputSizeGiB: 200 },
            },
            image: IMAGE, enclave, models: [s], dataClaims: [{ claimName: "qwen-lora-data", path: "/data" }], storage: { className: "gp3" }, scheduling, stack: "prod",
        });
        await settle(s, j);
        const out = only("kubernetes:core/v1:PersistentVolumeClaim").find((p) => p.name === "qwen-lora-output")!.inputs;
        expect(out.spec).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "200Gi" } } });
        const job = only("kubernetes:batch/v1:Job").find((r) => r.name === "qwen-lora")!.inputs;
        const labels = { "airlock.dev/role": "training", "airlock.dev/stack": "prod", "app.kubernetes.io/part-of": "airlock", "airlock.dev/job": "qwen-lora" };
        expect(job.metadata).toEqual({ name: "qwen-lora", namespace: "airlock-prod", labels, annotations: { "pulumi.com/skipAwait": "true" } });
        expect({ ...job.spec, template: undefined }).toEqual({
            backoffLimit: 0, completions: 1, parallelism: 1, activeDeadlineSeconds: 43200, ttlSecondsAfterFinished: 259200, template: undefined,
        });
        const { volumes, mounts } = scratch(4096);
        expect(job.spec.template.spec).toEqual({
            ...podBase,
            securityContext: { ...POD_SECURITY, runAsUser: 1001, runAsGroup: 1002, fsGroup: 1002 },
            restartPolicy: "Never",
            containers: [{
                name: "train",
                image: IMAGE,
                command: ["axolotl", "train", "/data/cfg.yml"],
                env: [...OFFLINE_ENV, ...CACHE_ENV, { name: "WANDB_MODE", value: "offline" }],
                resources: { requests: { cpu: "16", memory: "131072Mi" }, limits: { cpu: "16", memory: "131072Mi", "nvidia.com/gpu": "2" } },
                securityContext: { ...CONTAINER_SECURITY, runAsUser: 1001, runAsGroup: 1002 },
                volumeMounts: [
                    { name: "model-0", mountPath: "/models/Qwen--Qwen3-4B-Instruct-2507", readOnly: true },
                    { name: "data-0", mountPath: "/data", readOnly: true },
                    { name: "output", mountPath: "/output" },
                    ...mounts,
                    { name: "dshm", mountPath: "/dev/shm" },
                ],
            }],
            volumes: [
                { name: "model-0", persistentVolumeClaim: { claimName: "model-qwen3-4b-cdbee75f", readOnly: true } },
                { name: "data-0", persistentVolumeClaim: { claimName: "qwen-lora-data", readOnly: true } },
                { name: "output", persistentVolumeClaim: { claimName: "qwen-lora-output" } },
                ...volumes,
                { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "8192Mi" } },
            ],
        });
        expect(await unwrap(j.outputClaimName)).toBe("qwen-lora-output");
        validateAll();
    });
});
// Not proven here: the provider's await logic (Job completion, Deployment rollout), GPU scheduling, vLLM starting.
