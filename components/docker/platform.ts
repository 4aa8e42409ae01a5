/**
 * The Docker platform: turns the validated Deployment into one Enclave, the pulled images, a ModelStore per
 * served or mounted model, and the InferenceServers and TrainingJobs that target Docker.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import type { Deployment } from "../../src/config/load";
import { imageReference } from "../../src/config/schema";
import { Enclave } from "./enclave";
import { InferenceServer } from "./inference-server";
import { ModelStore, type PulledImage } from "./model-store";
import { TrainingJob } from "./training-job";
import type { GatewayEndpoint, PlatformComponent, ServerEndpoint } from "../shared/platform";
import { Gateway } from "./gateway";

/** Arguments for {@link DockerPlatform}. */
export interface DockerPlatformArgs {
    readonly deployment: Deployment;
}

export class DockerPlatform extends pulumi.ComponentResource implements PlatformComponent {
    public static readonly TYPE = "airlock:docker:Platform";

    public readonly enclave: Enclave;
    public readonly modelStores: ReadonlyMap<string, ModelStore>;
    public readonly servers: ReadonlyMap<string, InferenceServer>;
    public readonly jobs: ReadonlyMap<string, TrainingJob>;
    /** The gateway, when `airlock:gateway` is set. */
    public readonly gateway?: Gateway;

    constructor(name: string, args: DockerPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(DockerPlatform.TYPE, name, {}, opts);
        const d = args.deployment;
        const cfg = d.config;
        const namePrefix = `${d.project}-${d.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
        const common = { namePrefix, stack: d.stack };
        const servers = cfg.inferenceServers.filter((s) => s.platform === "docker");
        const jobs = cfg.trainingJobs.filter((j) => j.platform === "docker");

        // One pull per distinct digest-pinned reference.
        const pulls = new Map<string, PulledImage>();
        const pull = (role: string, ref: string): PulledImage => {
            const existing = pulls.get(ref);
            if (existing) return existing;
            const image = { ref, pulled: new docker.RemoteImage(`${name}-image-${role}`, { name: ref, keepLocally: true }, { parent: this }) };
            pulls.set(ref, image);
            return image;
        };

        this.enclave = new Enclave(`${name}-enclave`, common, { parent: this });
        // Pull order fixes the child names when images coincide (staging defaults to the vLLM image).
        const vllmImage = servers.length > 0 ? pull("vllm", d.images.vllm) : undefined;

        const needed = new Set<string>([
            ...servers.map((s) => s.model),
            ...jobs.flatMap((j) => j.mounts.flatMap((m) => ("model" in m ? [m.model] : []))),
        ]);
        const stores = new Map<string, ModelStore>();
        if (needed.size > 0) {
            const stagingImage = pull("staging", d.images.staging);
            for (const model of cfg.models.filter((m) => needed.has(m.name))) {
                stores.set(model.name, new ModelStore(model.name, {
                    model, image: stagingImage, enclave: this.enclave, hfToken: d.secrets.hfToken, ...common,
                }, { parent: this }));
            }
        }

        const models = new Map(cfg.models.map((m) => [m.name, m]));
        const serverMap = new Map<string, InferenceServer>();
        for (const s of servers) {
            const apiKey = d.secrets.apiKeys.get(s.apiKeySecret);
            if (!apiKey) throw new pulumi.ResourceError(`No API key loaded for "${s.apiKeySecret}" (server ${s.name})`, this, true);
            serverMap.set(s.name, new InferenceServer(s.name, {
                server: s, model: models.get(s.model)!, image: vllmImage!, enclave: this.enclave,
                store: stores.get(s.model)!, apiKey, ...common,
            }, { parent: this }));
        }

        const jobMap = new Map<string, TrainingJob>();
        for (const j of jobs) {
            const image = j.image ? pull(`job-${j.name}`, imageReference(j.image)) : pull("trainer", d.images.trainer!);
            jobMap.set(j.name, new TrainingJob(j.name, {
                job: j, image,
                models: j.mounts.flatMap((m) => ("model" in m ? [stores.get(m.model)!] : [])),
                dataVolumes: j.mounts.flatMap((m) => ("volume" in m ? [{ volume: m.volume, path: m.path }] : [])),
                ...common,
            }, { parent: this }));
        }

        if (cfg.gateway && serverMap.size > 0) {
            const tls = cfg.gateway.tls;
            const secret = (key: string) => {
                const v = d.secrets.apiKeys.get(key);
                if (!v) throw new pulumi.ResourceError(`No secret loaded for "${key}" (gateway TLS)`, this, true);
                return v;
            };
            this.gateway = new Gateway(`${name}-gateway`, {
                gateway: cfg.gateway,
                image: pull("gateway", d.images.gateway!),
                enclave: this.enclave,
                upstreams: servers.map((s) => {
                    const server = serverMap.get(s.name)!;
                    return {
                        server: s.name, keyId: s.apiKeySecret, apiKey: d.secrets.apiKeys.get(s.apiKeySecret)!, port: s.port,
                        containers: server.containers.map((c) => c.name), dependsOn: server.containers,
                    };
                }),
                ...(tls ? { tls: { certificate: secret(tls.certificateSecret), privateKey: secret(tls.keySecret) } } : {}),
                ...common,
            }, { parent: this });
        }

        this.modelStores = stores;
        this.servers = serverMap;
        this.jobs = jobMap;
        this.registerOutputs({
            servingNetwork: this.enclave.servingNetworkName,
            stagingNetwork: this.enclave.stagingNetworkName,
        });
    }

    /** Stack-output view of the servers. */
    public endpoints(): Record<string, ServerEndpoint> {
        return Object.fromEntries([...this.servers].map(([n, s]) => [n, { platform: "docker" as const, url: s.url, urls: s.urls, servedModelName: s.servedModelName }]));
    }

    /** The networks other stacks attach clients to. */
    public enclaveOutputs(): Record<string, pulumi.Input<unknown>> {
        return {
            servingNetwork: this.enclave.servingNetworkName, stagingNetwork: this.enclave.stagingNetworkName,
            ...(this.gateway ? { gatewayNetwork: this.gateway.networkName } : {}),
        };
    }

    /** The gateway's URL and one route per server. */
    public gatewayEndpoint(): GatewayEndpoint | undefined {
        if (!this.gateway) return undefined;
        const url = this.gateway.url;
        return { url, routes: Object.fromEntries([...this.servers.keys()].map((s) => [s, `${url}/${s}/v1`])) };
    }
}
