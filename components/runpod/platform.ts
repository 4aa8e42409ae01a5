/**
 * The RunPod platform: the validated Deployment → one Enclave (registry access, account secrets), a ModelStore per
 * served model (the baked, digest-pinned image) and an InferenceServer (template + serverless endpoint) per server
 * that targets RunPod. The RunPod API key is not part of the program: the dynamic provider reads it at run time
 * (`airlock:runpodApiKey` or RUNPOD_API_KEY).
 */
import * as pulumi from "@pulumi/pulumi";
import type { Deployment } from "../../src/config/load";
import type { PlatformComponent, ServerEndpoint } from "../shared/platform";
import { Enclave } from "./enclave";
import { InferenceServer } from "./inference-server";
import { ModelStore } from "./model-store";

/** Arguments for {@link RunPodPlatform}. */
export interface RunPodPlatformArgs {
    readonly deployment: Deployment;
}

export class RunPodPlatform extends pulumi.ComponentResource implements PlatformComponent {
    public static readonly TYPE = "airlock:runpod:Platform";

    public readonly enclave: Enclave;
    public readonly modelStores: ReadonlyMap<string, ModelStore>;
    public readonly servers: ReadonlyMap<string, InferenceServer>;

    constructor(name: string, args: RunPodPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
        super(RunPodPlatform.TYPE, name, {}, opts);
        const d = args.deployment;
        const rp = d.config.runpod;
        if (rp === undefined) throw new pulumi.ResourceError("airlock:runpod is not set (the config schema requires it with the runpod platform)", this, true);
        const namePrefix = `${d.project}-${d.stack}`.toLowerCase().replace(/[^a-z0-9-]/g, "-");
        const servers = d.config.inferenceServers.filter((s) => s.platform === "runpod");
        const models = new Map(d.config.models.map((m) => [m.name, m]));

        const stores = new Map<string, ModelStore>();
        for (const model of [...new Set(servers.map((s) => s.model))].sort()) {
            stores.set(model, new ModelStore(model, { model: models.get(model)!, image: rp.modelImages[model]!, workerImage: rp.workerImage }, { parent: this }));
        }

        const secretKeys = [...new Set(servers.flatMap((s) => Object.values(s.runpod?.secretEnv ?? {})))];
        const secretValue = (key: string) => {
            const v = d.secrets.runpod?.get(key);
            if (v === undefined) throw new pulumi.ResourceError(`No secret loaded for "${key}" (RunPod)`, this, true);
            return v;
        };
        const auth = rp.registryAuth;
        this.enclave = new Enclave(`${name}-enclave`, {
            namePrefix,
            registryAuth: auth.kind === "ecr-delegation"
                ? { kind: "ecr-delegation", repositoryArns: [...stores.values()].flatMap((st) => (st.ecrRepositoryArn ? [st.ecrRepositoryArn] : [])) }
                : { kind: "credentials", username: auth.username, passwordConfigKey: auth.passwordSecret, password: secretValue(auth.passwordSecret) },
            secrets: new Map(secretKeys.map((k) => [k, secretValue(k)])),
        }, { parent: this });

        const serverMap = new Map<string, InferenceServer>();
        for (const s of servers) {
            serverMap.set(s.name, new InferenceServer(s.name, {
                server: { name: s.name, gpus: s.gpus, runpod: s.runpod! },
                model: models.get(s.model)!, store: stores.get(s.model)!, enclave: this.enclave, namePrefix,
            }, { parent: this }));
        }
        this.modelStores = stores;
        this.servers = serverMap;
        this.registerOutputs({});
    }

    /** Stack-output view of the servers: the OpenAI-compatible base URL (callers send a RunPod API key). */
    public endpoints(): Record<string, ServerEndpoint> {
        return Object.fromEntries([...this.servers].map(([n, s]) => [n, { platform: "runpod" as const, url: s.url, urls: [s.url], servedModelName: s.servedModelName }]));
    }

    /** The RunPod endpoint and template ids of each server (the invoke URL is `inferenceServers.<name>.url`). */
    public enclaveOutputs(): Record<string, pulumi.Input<unknown>> {
        return { endpoints: Object.fromEntries([...this.servers].map(([n, s]) => [n, { endpointId: s.endpointId, templateId: s.templateId }])) };
    }
}
