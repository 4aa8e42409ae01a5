/**
 * InferenceServer (RunPod): phase 2 of the airlock. A serverless queue endpoint and its template, running the baked
 * image (ModelStore) with RunPod's vLLM worker configured through env: the offline and telemetry-off baseline,
 * `MODEL_NAME` = the local path inside the image, `TRUST_REMOTE_CODE` written out, tensor parallelism = GPUs per
 * worker. The template is private, SSH and Jupyter are off (RunPod templates default both to TRUE), no port is
 * exposed (a queue endpoint needs none), secrets arrive only as `{{ RUNPOD_SECRET_<name> }}` references. Callers
 * authenticate with a RunPod API key (create a restricted key for this endpoint); vLLM binds to loopback inside
 * the worker.
 */
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_NAME, runpodWorkerEnv } from "@airlock/baseline";
import type { RunPodServerSpec } from "../../src/config/runpod";
import type { InferenceServerSpec, ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { Enclave } from "./enclave";
import type { ModelStore } from "./model-store";
import { RunPodEndpoint } from "./resources";

/** Arguments for {@link InferenceServer}. */
export interface InferenceServerArgs {
    readonly server: Pick<InferenceServerSpec, "name" | "gpus"> & { readonly runpod: RunPodServerSpec };
    readonly model: Pick<ModelSpec, "name" | "hubId" | "trustRemoteCode" | "serving" | "tokenizer">;
    readonly store: Pick<ModelStore, "image" | "modelPath" | "ecrRepositoryArn">;
    readonly enclave: Pick<Enclave, "registryId" | "delegations" | "secrets" | "secretReference">;
    /** Prefix of the RunPod object names, e.g. `airlock-prod` → endpoint `airlock-prod-qwen`. */
    readonly namePrefix: string;
}

export class InferenceServer extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:runpod:InferenceServer";

    public readonly endpoint: RunPodEndpoint;
    public readonly endpointId: pulumi.Output<string>;
    public readonly templateId: pulumi.Output<string>;
    /** The synchronous invoke URL (`https://api.runpod.ai/v2/<id>/runsync`). */
    public readonly invokeUrl: pulumi.Output<string>;
    /** The worker's OpenAI-compatible base URL (`https://api.runpod.ai/v2/<id>/openai/v1`). */
    public readonly url: pulumi.Output<string>;
    public readonly servedModelName: string;

    constructor(name: string, args: InferenceServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(InferenceServer.TYPE, name, {}, opts);
        const s = args.server;
        const r = s.runpod;
        throwIfInvalid(this, "Invalid arguments for InferenceServer", collect(
            matches("server.name", s.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            intInRange("server.gpus", s.gpus, 1, 8),
            intInRange("server.runpod.workersMax", r.workersMax, 1, 100),
            r.workersMin > r.workersMax ? { propertyPath: "server.runpod.workersMin", reason: `must not exceed workersMax (${r.workersMax}), got ${r.workersMin}` } : undefined,
        ));
        this.servedModelName = args.model.name;
        const secretEnv = Object.fromEntries(Object.entries(r.secretEnv).map(([env, key]) => [env, args.enclave.secretReference(args.namePrefix, key)]));
        const env = {
            ...runpodWorkerEnv({
                hubId: args.model.hubId,
                servedModelName: this.servedModelName,
                tokenizerHubId: args.model.tokenizer && args.model.tokenizer.hubId !== args.model.hubId ? args.model.tokenizer.hubId : undefined,
                gpuCount: s.gpus,
                options: args.model.serving,
                trustRemoteCode: args.model.trustRemoteCode,
            }),
            ...secretEnv,
        };
        const delegation = args.store.ecrRepositoryArn !== undefined ? args.enclave.delegations.get(args.store.ecrRepositoryArn) : undefined;
        const secrets = Object.values(r.secretEnv).map((key) => args.enclave.secrets.get(key)).filter((x) => x !== undefined);
        const objectName = `${args.namePrefix}-${s.name}`;
        this.endpoint = new RunPodEndpoint(childName(name), {
            name: objectName,
            templateName: objectName,
            image: args.store.image,
            env,
            ports: [],
            ...(args.enclave.registryId !== undefined ? { registry: args.enclave.registryId } : {}),
            ...(delegation !== undefined ? { ecrRepositoryArn: args.store.ecrRepositoryArn } : {}),
            containerDiskGb: r.containerDiskGb,
            args: "",
            public: false,
            startSsh: false,
            startJupyter: false,
            type: "QUEUE",
            gpuPools: r.gpuPools,
            gpuExcludedTypes: r.gpuExcludedTypes,
            gpuCount: s.gpus,
            allowedCudaVersions: r.allowedCudaVersions,
            workersMin: r.workersMin,
            workersMax: r.workersMax,
            ...(r.scaler.type === "QUEUE_DELAY" ? { idleTimeoutSec: r.idleTimeoutSec ?? 5 } : {}),
            scalerType: r.scaler.type,
            scalerValue: r.scaler.value,
            executionTimeoutMs: r.executionTimeoutMs,
            flashboot: r.flashboot,
            dataCenterIds: r.dataCenterIds,
            networkVolumeIds: [],
        }, { parent: this, dependsOn: [...(delegation ? [delegation] : []), ...secrets] });
        this.endpointId = this.endpoint.endpointId;
        this.templateId = this.endpoint.templateId;
        this.invokeUrl = this.endpoint.invokeUrl;
        this.url = this.endpoint.openaiBaseUrl;
        this.registerOutputs({ endpointId: this.endpointId, templateId: this.templateId, invokeUrl: this.invokeUrl, url: this.url });
    }
}
