/**
 * InferenceServer (Docker): phase 2 of the airlock. vLLM serves the staged local path with the offline
 * env, on the internal serving network only, read-only model volume, API key from a secret env, hardened
 * sandbox. No port is published: Docker does not route a published port into an internal network (checked on a
 * real engine, docs/docker-smoke.md); clients reach the server from the serving network.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import {
    MODEL_LABEL, OFFLINE_ENV, RESOURCE_NAME, VLLM_API_KEY_ENV, VLLM_HEALTH_PATH, buildVllmArgv,
} from "@airlock/baseline";
import type { InferenceServerSpec, ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { Enclave } from "./enclave";
import type { ModelStore, PulledImage } from "./model-store";
import { cacheEnv, envList, sandboxArgs, secretEnv } from "./sandbox";

/** Arguments for {@link InferenceServer}. */
export interface InferenceServerArgs {
    readonly server: Pick<InferenceServerSpec, "name" | "replicas" | "gpus" | "port" | "resources">;
    readonly model: Pick<ModelSpec, "name" | "hubId" | "trustRemoteCode" | "serving" | "tokenizer">;
    /** The vLLM image. */
    readonly image: PulledImage;
    readonly enclave: Pick<Enclave, "servingNetworkName">;
    readonly store: Pick<ModelStore, "mounts" | "stagingContainers" | "ready">;
    /** The API key clients must send (a Pulumi secret); vLLM reads it from `VLLM_API_KEY`. */
    readonly apiKey: pulumi.Input<string>;
    readonly namePrefix: string;
    readonly stack: string;
}

export class InferenceServer extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:docker:InferenceServer";

    /** Internal URL of the OpenAI-compatible API of each replica (reachable only from the serving network). */
    public readonly urls: pulumi.Output<string>[];
    /** Internal URL of the first replica. */
    public readonly url: pulumi.Output<string>;
    /** The model name clients send. */
    public readonly servedModelName: string;
    public readonly containers: docker.Container[];

    constructor(name: string, args: InferenceServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(InferenceServer.TYPE, name, {}, opts);
        const s = args.server;
        throwIfInvalid(this, "Invalid arguments for InferenceServer", collect(
            matches("server.name", s.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            intInRange("server.replicas", s.replicas, 1, 16),
            intInRange("server.gpus", s.gpus, 0, 8),
            intInRange("server.port", s.port, 1024, 65535),
        ));

        this.servedModelName = args.model.name;
        const argv = buildVllmArgv({
            hubId: args.model.hubId,
            servedModelName: this.servedModelName,
            tokenizerHubId: args.model.tokenizer?.hubId,
            port: s.port,
            options: args.model.serving,
            trustRemoteCode: args.model.trustRemoteCode,
        });
        const probe = `import urllib.request; urllib.request.urlopen('http://127.0.0.1:${s.port}${VLLM_HEALTH_PATH}', timeout=5)`;

        this.containers = Array.from({ length: s.replicas }, (_, i) => {
            const containerName = `${args.namePrefix}-${s.name}-${i}`;
            return new docker.Container(childName(name, i), {
                name: containerName,
                // Gate on a successful stage: `ready` fails when a staging container exited non-zero.
                hostname: args.store.ready.apply(() => containerName),
                image: args.image.ref,
                networkMode: args.enclave.servingNetworkName,
                entrypoints: argv.slice(0, 2),
                command: argv.slice(2),
                envs: [...envList(OFFLINE_ENV, cacheEnv()), secretEnv(VLLM_API_KEY_ENV, args.apiKey)],
                volumes: args.store.mounts,
                ...sandboxArgs({
                    role: "inference", user: "1000:1000", memoryMiB: s.resources.memoryMiB, cpus: s.resources.cpus,
                    cacheMiB: 4096, stack: args.stack, gpus: s.gpus, labels: { [MODEL_LABEL]: args.model.name },
                }),
                shmSize: s.resources.shmSizeMiB,
                ports: [],
                publishAllPorts: false,
                // Durations as the provider reads them back (Go's time.Duration.String(): 600 s is "10m0s"); "600s"
                // made every later preview update the healthcheck (found with the real engine).
                healthcheck: { tests: ["CMD", "python3", "-c", probe], interval: "30s", timeout: "10s", retries: 3, startPeriod: "10m0s" },
                restart: "on-failure",
                maxRetryCount: 3,
                mustRun: true,
            }, {
                parent: this,
                dependsOn: [...args.store.stagingContainers, ...(args.image.pulled ? [args.image.pulled] : [])],
                additionalSecretOutputs: ["envs"],
            });
        });
        this.urls = this.containers.map((c) => pulumi.interpolate`http://${c.name}:${s.port}/v1`);
        this.url = this.urls[0]!;
        this.registerOutputs({ url: this.url, urls: this.urls, servedModelName: this.servedModelName });
    }
}
