/**
 * The Kubernetes platform: turns the validated Deployment into one Enclave (the environment's namespace), a
 * ModelStore per served or mounted model, and the InferenceServers and TrainingJobs that target Kubernetes. The
 * cluster is the default provider's: `kubernetes:kubeconfig` / `kubernetes:context` in the stack config.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Deployment } from "../../src/config/load";
import { KubernetesConfigSchema, KubernetesJobOptionsSchema, KubernetesServerOptionsSchema } from "../../src/config/kubernetes";
import { imageReference } from "../../src/config/schema";
import type { PlatformComponent, ServerEndpoint } from "../shared/platform";
import { Enclave } from "./enclave";
import { InferenceServer } from "./inference-server";
import { ModelStore } from "./model-store";
import { TrainingJob } from "./training-job";

/** Arguments for {@link KubernetesPlatform}. */
export interface KubernetesPlatformArgs {
    readonly deployment: Deployment;
}

export class KubernetesPlatform extends pulumi.ComponentResource implements PlatformComponent {
    public static readonly TYPE = "airlock:kubernetes:Platform";

    public readonly enclave: Enclave;
    public readonly modelStores: ReadonlyMap<string, ModelStore>;
    public readonly servers: ReadonlyMap<string, InferenceServer>;
    public readonly jobs: ReadonlyMap<string, TrainingJob>;

    constructor(name: string, args: KubernetesPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(KubernetesPlatform.TYPE, name, {}, opts);
        const d = args.deployment;
        const cfg = d.config;
        // The section's defaults when the stack sets none (only possible without servers: they need a gateway).
        const k = cfg.kubernetes ?? KubernetesConfigSchema.parse({});
        const servers = cfg.inferenceServers.filter((s) => s.platform === "kubernetes");
        const jobs = cfg.trainingJobs.filter((j) => j.platform === "kubernetes");
        const scheduling = { nodeSelector: k.nodeSelector, tolerations: k.tolerations };

        const apiKeys = new Map<string, pulumi.Output<string>>();
        for (const s of servers) {
            const key = d.secrets.apiKeys.get(s.apiKeySecret);
            if (!key) throw new pulumi.ResourceError(`No API key loaded for "${s.apiKeySecret}" (server ${s.name})`, this, true);
            apiKeys.set(s.name, key);
        }
        this.enclave = new Enclave(`${name}-enclave`, {
            namespace: k.namespace ?? `airlock-${cfg.environment}`,
            stack: d.stack,
            dns: k.dns,
            clusterCidrs: k.clusterCidrs,
            apiKeys,
            ...(d.secrets.hfToken ? { hfToken: d.secrets.hfToken } : {}),
            ...(d.secrets.registryAuth ? { registryAuth: d.secrets.registryAuth } : {}),
        }, { parent: this });

        const needed = new Set<string>([
            ...servers.map((s) => s.model),
            ...jobs.flatMap((j) => j.mounts.flatMap((m) => ("model" in m ? [m.model] : []))),
        ]);
        const stores = new Map<string, ModelStore>();
        for (const model of cfg.models.filter((m) => needed.has(m.name))) {
            stores.set(model.name, new ModelStore(model.name, {
                model, image: d.images.staging, enclave: this.enclave, stack: d.stack, scheduling, timeoutMin: k.stagingTimeoutMin,
                storage: { className: k.storage.className, accessMode: k.storage.accessMode, sizeGiB: k.storage.sizeGiBByModel[model.name] ?? k.storage.modelSizeGiB },
            }, { parent: this }));
        }

        const models = new Map(cfg.models.map((m) => [m.name, m]));
        const serverMap = new Map<string, InferenceServer>();
        for (const s of servers) {
            const options = s.kubernetes ?? KubernetesServerOptionsSchema.parse({});
            serverMap.set(s.name, new InferenceServer(s.name, {
                server: { ...s, kubernetes: options }, model: models.get(s.model)!, image: d.images.vllm, enclave: this.enclave,
                apiKeySecret: this.enclave.apiKeySecrets.get(s.name)!, store: stores.get(s.model)!, gateway: k.gateway!, stack: d.stack,
                scheduling: { nodeSelector: options.nodeSelector ?? k.nodeSelector, tolerations: options.tolerations ?? k.tolerations },
            }, { parent: this }));
        }

        const jobMap = new Map<string, TrainingJob>();
        for (const j of jobs) {
            const options = j.kubernetes ?? KubernetesJobOptionsSchema.parse({});
            jobMap.set(j.name, new TrainingJob(j.name, {
                job: { ...j, kubernetes: options },
                image: j.image ? imageReference(j.image) : d.images.trainer!,
                enclave: this.enclave,
                models: j.mounts.flatMap((m) => ("model" in m ? [stores.get(m.model)!] : [])),
                dataClaims: j.mounts.flatMap((m) => ("volume" in m ? [{ claimName: m.volume, path: m.path }] : [])),
                storage: { className: k.storage.className },
                scheduling: { nodeSelector: options.nodeSelector ?? k.nodeSelector, tolerations: options.tolerations ?? k.tolerations },
                stack: d.stack,
            }, { parent: this }));
        }

        this.modelStores = stores;
        this.servers = serverMap;
        this.jobs = jobMap;
        this.registerOutputs({ namespace: this.enclave.namespace });
    }

    /** Stack-output view of the servers. */
    public endpoints(): Record<string, ServerEndpoint> {
        return Object.fromEntries([...this.servers].map(([n, s]) => [n, { platform: "kubernetes" as const, url: s.url, urls: s.urls, servedModelName: s.servedModelName }]));
    }

    /** The namespace clients (the gateway) send to. */
    public enclaveOutputs(): Record<string, pulumi.Input<unknown>> {
        return { namespace: this.enclave.namespace };
    }
}
