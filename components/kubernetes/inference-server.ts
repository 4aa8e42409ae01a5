/**
 * InferenceServer (Kubernetes): phase 2 of the airlock. A Deployment of vLLM serving the staged local path from the
 * model's volume (read-only), offline, tensor parallel over the GPUs of one node, API key from the enclave's Secret,
 * inside the restricted sandbox; a ClusterIP Service; a NetworkPolicy that lets only the configured gateway in; a
 * PodDisruptionBudget; optionally a HorizontalPodAutoscaler. The Deployment depends on the ModelStore's Jobs, which
 * the provider awaits to completion, so it is created (or rolled onto a new revision's volume) only on a fully staged
 * model; the provider then awaits the rollout, gated by startup and readiness probes on vLLM's `/health`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    MODEL_LABEL, NAMESPACE_NAME_LABEL, OFFLINE_ENV, RESOURCE_NAME, VLLM_API_KEY_ENV, VLLM_HEALTH_PATH, buildVllmArgv,
} from "@airlock/baseline";
import type { KubernetesServerOptions } from "../../src/config/kubernetes";
import type { InferenceServerSpec, ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { Enclave, PodPeer } from "./enclave";
import type { ModelStore } from "./model-store";
import {
    type Scheduling, envVars, guaranteedResources, podLabels, sandboxPodSpec, sandboxSecurityContext, scratchVolumes,
    secretEnv, sharedMemoryVolume,
} from "./sandbox";

/** Arguments for {@link InferenceServer}. */
export interface InferenceServerArgs {
    readonly server: Pick<InferenceServerSpec, "name" | "replicas" | "gpus" | "port" | "resources"> & { readonly kubernetes: KubernetesServerOptions };
    readonly model: Pick<ModelSpec, "name" | "hubId" | "trustRemoteCode" | "serving" | "tokenizer">;
    /** The vLLM image (digest-pinned). */
    readonly image: string;
    readonly enclave: Pick<Enclave, "namespace" | "serviceAccountName" | "imagePullSecrets">;
    /** The Secret key holding this server's API key. */
    readonly apiKeySecret: { readonly name: pulumi.Input<string>; readonly key: string };
    readonly store: Pick<ModelStore, "volumes" | "stagingJobs">;
    /** The only pods allowed to reach the server. */
    readonly gateway: PodPeer;
    readonly scheduling: Scheduling;
    readonly stack: string;
}

export class InferenceServer extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:kubernetes:InferenceServer";

    /** The Service's URL inside the cluster (load-balanced over the replicas). */
    public readonly url: pulumi.Output<string>;
    public readonly urls: pulumi.Output<string>[];
    /** The model name clients send. */
    public readonly servedModelName: string;
    public readonly deployment: k8s.apps.v1.Deployment;
    public readonly service: k8s.core.v1.Service;
    public readonly ingressPolicy: k8s.networking.v1.NetworkPolicy;
    /** Present unless `kubernetes.podDisruptionBudget` is false. */
    public readonly pdb?: k8s.policy.v1.PodDisruptionBudget;
    /** Present when `kubernetes.autoscaling` is set. */
    public readonly hpa?: k8s.autoscaling.v2.HorizontalPodAutoscaler;

    constructor(name: string, args: InferenceServerArgs, opts?: pulumi.ComponentResourceOptions) {
        super(InferenceServer.TYPE, name, {}, opts);
        const s = args.server;
        const k = s.kubernetes;
        const tp = args.model.serving.tensorParallelSize;
        throwIfInvalid(this, "Invalid arguments for InferenceServer", collect(
            matches("server.name", s.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            intInRange("server.replicas", s.replicas, 1, 16),
            intInRange("server.gpus", s.gpus, 0, 8),
            intInRange("server.port", s.port, 1024, 65535),
            tp !== undefined && tp > Math.max(s.gpus, 1)
                ? { propertyPath: "model.serving.tensorParallelSize", reason: `is ${tp}, more than the ${s.gpus} GPUs of one replica (tensor parallelism stays on one node)` } : undefined,
        ));

        this.servedModelName = args.model.name;
        // Tensor parallel over every GPU of the replica (one pod, one node) unless the model says otherwise.
        const options = { ...args.model.serving, ...(tp === undefined && s.gpus > 1 ? { tensorParallelSize: s.gpus } : {}) };
        const argv = buildVllmArgv({
            hubId: args.model.hubId,
            servedModelName: this.servedModelName,
            tokenizerHubId: args.model.tokenizer?.hubId,
            port: s.port,
            options,
            trustRemoteCode: args.model.trustRemoteCode,
        });
        const selector = { "app.kubernetes.io/name": s.name, "app.kubernetes.io/instance": args.stack };
        const labels = { ...podLabels("inference", args.stack, { [MODEL_LABEL]: args.model.name }), ...selector };
        const scratch = scratchVolumes(4096);
        const shm = sharedMemoryVolume(s.resources.shmSizeMiB);
        const health = { httpGet: { path: VLLM_HEALTH_PATH, port: "http" } };
        const e = args.enclave;
        const inNamespace = { parent: this };

        this.deployment = new k8s.apps.v1.Deployment(childName(name), {
            metadata: { name: s.name, namespace: e.namespace, labels },
            spec: {
                // An autoscaler owns the replica count when there is one.
                ...(k.autoscaling === undefined ? { replicas: s.replicas } : {}),
                selector: { matchLabels: selector },
                revisionHistoryLimit: 3,
                // One extra replica at a time, never one fewer: a rollout needs one spare node's worth of GPUs.
                strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
                progressDeadlineSeconds: (k.startupTimeoutMin + 10) * 60,
                template: {
                    metadata: { labels },
                    spec: {
                        ...sandboxPodSpec({ serviceAccountName: e.serviceAccountName, imagePullSecrets: e.imagePullSecrets }, args.scheduling),
                        terminationGracePeriodSeconds: 60,
                        containers: [{
                            name: "vllm",
                            image: args.image,
                            command: argv.slice(0, 2),
                            args: argv.slice(2),
                            ports: [{ name: "http", containerPort: s.port, protocol: "TCP" }],
                            env: [...envVars(OFFLINE_ENV, scratch.env), secretEnv(VLLM_API_KEY_ENV, args.apiKeySecret)],
                            resources: guaranteedResources(s.resources.cpus, s.resources.memoryMiB, s.gpus),
                            securityContext: sandboxSecurityContext(),
                            volumeMounts: [
                                ...args.store.volumes.map((v, i) => ({ name: `model-${i}`, mountPath: v.mountPath, readOnly: true })),
                                ...scratch.mounts,
                                shm.mount,
                            ],
                            // Loading weights and compiling kernels takes minutes: the startup probe allows
                            // startupTimeoutMin before liveness takes over; readiness gates traffic.
                            startupProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: k.startupTimeoutMin * 6 },
                            readinessProbe: { ...health, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, successThreshold: 1 },
                            livenessProbe: { ...health, periodSeconds: 30, timeoutSeconds: 10, failureThreshold: 3 },
                        }],
                        volumes: [
                            ...args.store.volumes.map((v, i) => ({ name: `model-${i}`, persistentVolumeClaim: { claimName: v.claimName, readOnly: true } })),
                            ...scratch.volumes,
                            shm.volume,
                        ],
                    },
                },
            },
        }, {
            ...inNamespace,
            dependsOn: [...args.store.stagingJobs],
            customTimeouts: { create: `${k.startupTimeoutMin + 15}m`, update: `${k.startupTimeoutMin + 15}m` },
        });

        this.service = new k8s.core.v1.Service(childName(name, "service"), {
            metadata: { name: s.name, namespace: e.namespace, labels },
            spec: {
                type: "ClusterIP",
                selector,
                ports: [{ name: "http", port: s.port, targetPort: "http", protocol: "TCP" }],
            },
        }, inNamespace);

        this.ingressPolicy = new k8s.networking.v1.NetworkPolicy(childName(name, "ingress"), {
            metadata: { name: `${s.name}-ingress`, namespace: e.namespace, labels },
            spec: {
                podSelector: { matchLabels: selector },
                policyTypes: ["Ingress"],
                ingress: [{
                    from: [{
                        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: args.gateway.namespace } },
                        ...(Object.keys(args.gateway.podLabels).length > 0 ? { podSelector: { matchLabels: { ...args.gateway.podLabels } } } : {}),
                    }],
                    ports: [{ protocol: "TCP", port: s.port }],
                }],
            },
        }, inNamespace);

        if (k.podDisruptionBudget) {
            this.pdb = new k8s.policy.v1.PodDisruptionBudget(childName(name, "pdb"), {
                metadata: { name: s.name, namespace: e.namespace, labels },
                // At most one replica down for a voluntary disruption (a node drain): never blocks a drain of one replica.
                spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
            }, inNamespace);
        }

        const a = k.autoscaling;
        if (a !== undefined) {
            this.hpa = new k8s.autoscaling.v2.HorizontalPodAutoscaler(childName(name, "hpa"), {
                metadata: { name: s.name, namespace: e.namespace, labels },
                spec: {
                    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
                    minReplicas: s.replicas,
                    maxReplicas: a.maxReplicas,
                    metrics: [a.podsMetric !== undefined
                        ? { type: "Pods", pods: { metric: { name: a.podsMetric.name }, target: { type: "AverageValue", averageValue: a.podsMetric.averageValue } } }
                        : { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: a.cpuUtilizationPercent! } } }],
                },
            }, inNamespace);
        }

        this.url = pulumi.interpolate`http://${this.service.metadata.name}.${this.service.metadata.namespace}.svc.cluster.local:${s.port}/v1`;
        this.urls = [this.url];
        this.registerOutputs({ url: this.url, servedModelName: this.servedModelName });
    }
}
