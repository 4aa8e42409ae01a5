/**
 * TrainingJob (Kubernetes): a batch Job in the restricted sandbox with no network at all (the enclave's default deny;
 * no policy gives training pods egress), the offline env, GPU limits, read-only model and data volumes and one
 * writable output volume (opened to the job's user by fsGroup). It runs once (`backoffLimit`), for at most
 * `activeDeadlineSeconds`, and Kubernetes deletes the finished Job after `ttlSecondsAfterFinished` (the output
 * volume stays). `pulumi up` does not wait for training to finish (`pulumi.com/skipAwait`): the Job is created once
 * the models it reads are staged.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { OFFLINE_ENV, RESOURCE_NAME, isSecretName, secretShapeIn } from "@airlock/baseline";
import type { KubernetesJobOptions } from "../../src/config/kubernetes";
import type { TrainingJobSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { Enclave } from "./enclave";
import type { ModelStore } from "./model-store";
import {
    type Scheduling, envVars, guaranteedResources, podLabels, sandboxPodSpec, sandboxSecurityContext, scratchVolumes,
    sharedMemoryVolume,
} from "./sandbox";

/** Where the job writes its results. */
export const OUTPUT_PATH = "/output";

/** Arguments for {@link TrainingJob}. */
export interface TrainingJobArgs {
    readonly job: Pick<TrainingJobSpec, "name" | "command" | "env" | "runAsUser" | "limits"> & { readonly kubernetes: KubernetesJobOptions };
    readonly image: string;
    readonly enclave: Pick<Enclave, "namespace" | "serviceAccountName" | "imagePullSecrets">;
    /** Model stores mounted read-only under /models. */
    readonly models: readonly Pick<ModelStore, "volumes" | "stagingJobs">[];
    /** Existing PersistentVolumeClaims (data) mounted read-only. */
    readonly dataClaims?: readonly { readonly claimName: string; readonly path: string }[];
    readonly storage: { readonly className?: string };
    readonly scheduling: Scheduling;
    readonly stack: string;
}

export class TrainingJob extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:kubernetes:TrainingJob";

    /** The PersistentVolumeClaim holding the job's output. */
    public readonly outputClaimName: pulumi.Output<string>;
    public readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: TrainingJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TrainingJob.TYPE, name, {}, opts);
        const j = args.job;
        const k = j.kubernetes;
        throwIfInvalid(this, "Invalid arguments for TrainingJob", collect(
            matches("job.name", j.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            matches("job.runAsUser", j.runAsUser, /^[1-9][0-9]{0,9}(?::[0-9]{1,10})?$/, "'uid[:gid]' with a non-zero uid"),
            intInRange("job.limits.gpus", j.limits.gpus, 0, 8),
            intInRange("job.limits.memoryMiB", j.limits.memoryMiB, 256, 4_194_304),
            j.command.length === 0 ? { propertyPath: "job.command", reason: "must have at least one element" } : undefined,
            ...Object.entries(j.env).map(([key, v]) => isSecretName(key) || secretShapeIn(v)
                ? { propertyPath: `job.env.${key}`, reason: "looks like a secret; a training job takes no secrets" } : undefined),
        ));
        const [uidText, gidText] = j.runAsUser.split(":");
        const user = { uid: Number(uidText), gid: Number(gidText ?? uidText) };
        const labels = podLabels("training", args.stack, { "airlock.dev/job": j.name });
        const scratch = scratchVolumes(4096);
        const shm = sharedMemoryVolume(Math.min(8192, Math.floor(j.limits.memoryMiB / 4)));
        const e = args.enclave;
        const podSpec = sandboxPodSpec({ serviceAccountName: e.serviceAccountName, imagePullSecrets: e.imagePullSecrets }, args.scheduling);

        const output = new k8s.core.v1.PersistentVolumeClaim(childName(name, "output"), {
            metadata: { name: `${j.name}-output`, namespace: e.namespace, labels: { "airlock.dev/job": j.name, "app.kubernetes.io/part-of": "airlock" } },
            spec: {
                accessModes: ["ReadWriteOnce"],
                ...(args.storage.className ? { storageClassName: args.storage.className } : {}),
                resources: { requests: { storage: `${k.outputSizeGiB}Gi` } },
            },
        }, { parent: this });

        const models = args.models.flatMap((m) => m.volumes);
        const data = args.dataClaims ?? [];
        this.job = new k8s.batch.v1.Job(childName(name), {
            metadata: {
                name: j.name, namespace: e.namespace, labels,
                // Training runs for hours: the update does not wait for it (watch it with kubectl).
                annotations: { "pulumi.com/skipAwait": "true" },
            },
            spec: {
                backoffLimit: k.backoffLimit,
                completions: 1,
                parallelism: 1,
                activeDeadlineSeconds: k.activeDeadlineMin * 60,
                ttlSecondsAfterFinished: k.ttlAfterFinishedMin * 60,
                template: {
                    metadata: { labels },
                    spec: {
                        ...podSpec,
                        securityContext: { ...podSpec.securityContext, runAsUser: user.uid, runAsGroup: user.gid, fsGroup: user.gid },
                        restartPolicy: "Never",
                        containers: [{
                            name: "train",
                            image: args.image,
                            command: [...j.command],
                            env: envVars(OFFLINE_ENV, scratch.env, j.env),
                            resources: guaranteedResources(j.limits.cpus, j.limits.memoryMiB, j.limits.gpus),
                            securityContext: sandboxSecurityContext(user),
                            volumeMounts: [
                                ...models.map((v, i) => ({ name: `model-${i}`, mountPath: v.mountPath, readOnly: true })),
                                ...data.map((d, i) => ({ name: `data-${i}`, mountPath: d.path, readOnly: true })),
                                { name: "output", mountPath: OUTPUT_PATH },
                                ...scratch.mounts,
                                shm.mount,
                            ],
                        }],
                        volumes: [
                            ...models.map((v, i) => ({ name: `model-${i}`, persistentVolumeClaim: { claimName: v.claimName, readOnly: true } })),
                            ...data.map((d, i) => ({ name: `data-${i}`, persistentVolumeClaim: { claimName: d.claimName, readOnly: true } })),
                            { name: "output", persistentVolumeClaim: { claimName: output.metadata.name } },
                            ...scratch.volumes,
                            shm.volume,
                        ],
                    },
                },
            },
        }, { parent: this, dependsOn: args.models.flatMap((m) => [...m.stagingJobs]) });

        this.outputClaimName = output.metadata.name;
        this.registerOutputs({ outputClaimName: this.outputClaimName });
    }
}
