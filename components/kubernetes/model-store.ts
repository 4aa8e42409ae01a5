/**
 * ModelStore (Kubernetes): phase 1 of the airlock. A PersistentVolumeClaim per model and revision, filled by a
 * one-shot Job (role `model-staging`, the only pods the enclave lets out) running `hf download <hub id> --revision
 * <sha> --local-dir /models/<org>--<name>`. The Kubernetes provider awaits a Job until it completes and fails the
 * update when it fails, so consumers that depend on {@link ModelStore.stagingJobs} are created (or rolled) only on a
 * fully staged model. Both names carry the revision: a new revision is a new volume and a new Job, the servers roll
 * onto it, and the old volume is deleted at the end of the update (its pods gone first: pvc-protection).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    MODEL_LABEL, TELEMETRY_OFF_ENV, localModelPath,
} from "@airlock/baseline";
import type { ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, modelProblems, throwIfInvalid } from "../shared/validation";
import type { Enclave } from "./enclave";
import {
    type Scheduling, envVars, guaranteedResources, podLabels, sandboxPodSpec, sandboxSecurityContext, scratchVolumes, secretEnv,
} from "./sandbox";

/** A volume consumers mount read-only. */
export interface ModelVolume {
    /** The PersistentVolumeClaim. */
    readonly claimName: pulumi.Output<string>;
    /** Where it is mounted: `/models/<org>--<name>`. */
    readonly mountPath: string;
}

/** Arguments for {@link ModelStore}. */
export interface ModelStoreArgs {
    readonly model: Pick<ModelSpec, "name" | "hubId" | "revision" | "tokenizer">;
    /** Staging image; must provide the `hf` CLI (the vLLM image does). */
    readonly image: string;
    readonly enclave: Pick<Enclave, "namespace" | "serviceAccountName" | "imagePullSecrets" | "hfTokenSecret">;
    readonly stack: string;
    readonly storage: { readonly className?: string; readonly accessMode: string; readonly sizeGiB: number };
    readonly scheduling: Scheduling;
    /** How long a download may run (the Job's deadline and the update's timeout). */
    readonly timeoutMin: number;
}

/** `model-qwen3-4b-cdbee75f`: the model's name and the first 8 hex of its revision. */
export function stagedName(prefix: string, model: string, revision: string): string {
    return `${prefix}-${model}-${revision.slice(0, 8)}`;
}

export class ModelStore extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:kubernetes:ModelStore";

    /** Local path of the model inside consumers: `/models/<org>--<name>`. */
    public readonly modelPath: string;
    /** Local path of the separately staged tokenizer, when there is one. */
    public readonly tokenizerPath?: string;
    /** The volumes consumers mount read-only. */
    public readonly volumes: readonly ModelVolume[];
    /** The download Jobs; consumers depend on them (the provider awaits their completion). */
    public readonly stagingJobs: readonly k8s.batch.v1.Job[];
    public readonly claims: readonly k8s.core.v1.PersistentVolumeClaim[];

    constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ModelStore.TYPE, name, {}, opts);
        const m = args.model;
        throwIfInvalid(this, "Invalid arguments for ModelStore", collect(
            ...modelProblems(m),
            intInRange("storage.sizeGiB", args.storage.sizeGiB, 1, 65_536),
            intInRange("timeoutMin", args.timeoutMin, 5, 10_080),
        ));
        const e = args.enclave;
        const scratch = scratchVolumes(1024);

        const stage = (role: string | undefined, hubId: string, revision: string) => {
            const path = localModelPath(hubId);
            const labels = { [MODEL_LABEL]: m.name, "airlock.dev/revision": revision.slice(0, 8) };
            const claim = new k8s.core.v1.PersistentVolumeClaim(childName(name, role), {
                metadata: {
                    name: stagedName(role ? "tok" : "model", m.name, revision), namespace: e.namespace,
                    labels: { ...labels, "app.kubernetes.io/part-of": "airlock" },
                    annotations: { "airlock.dev/hub-id": hubId, "airlock.dev/revision": revision },
                },
                spec: {
                    accessModes: [args.storage.accessMode],
                    ...(args.storage.className ? { storageClassName: args.storage.className } : {}),
                    resources: { requests: { storage: `${args.storage.sizeGiB}Gi` } },
                },
            }, { parent: this }); // the provider treats a WaitForFirstConsumer claim as ready while Pending
            const job = new k8s.batch.v1.Job(childName(name, role ? `stage-${role}` : "stage"), {
                metadata: {
                    name: stagedName(role ? "stage-tok" : "stage", m.name, revision), namespace: e.namespace,
                    labels: podLabels("model-staging", args.stack, labels),
                },
                spec: {
                    backoffLimit: 2,
                    completions: 1,
                    parallelism: 1,
                    activeDeadlineSeconds: args.timeoutMin * 60,
                    template: {
                        metadata: { labels: podLabels("model-staging", args.stack, labels) },
                        spec: {
                            ...sandboxPodSpec({ serviceAccountName: e.serviceAccountName, imagePullSecrets: e.imagePullSecrets }, args.scheduling),
                            restartPolicy: "Never",
                            containers: [{
                                name: "download",
                                image: args.image,
                                command: ["hf", "download", hubId, "--revision", revision, "--local-dir", path],
                                env: [
                                    ...envVars(TELEMETRY_OFF_ENV, scratch.env),
                                    ...(e.hfTokenSecret ? [secretEnv("HF_TOKEN", e.hfTokenSecret)] : []),
                                ],
                                resources: guaranteedResources(2, 4096, 0),
                                securityContext: sandboxSecurityContext(),
                                volumeMounts: [{ name: "model", mountPath: path }, ...scratch.mounts],
                            }],
                            volumes: [{ name: "model", persistentVolumeClaim: { claimName: claim.metadata.name } }, ...scratch.volumes],
                        },
                    },
                },
            }, {
                parent: this,
                // The provider awaits completion (the default 10 minutes is too short for large weights).
                customTimeouts: { create: `${args.timeoutMin}m`, update: `${args.timeoutMin}m` },
            });
            return { claim, job, volume: { claimName: claim.metadata.name, mountPath: path } };
        };

        const staged = [stage(undefined, m.hubId, m.revision)];
        if (m.tokenizer && m.tokenizer.hubId !== m.hubId) staged.push(stage("tokenizer", m.tokenizer.hubId, m.tokenizer.revision));

        this.modelPath = localModelPath(m.hubId);
        this.tokenizerPath = m.tokenizer ? localModelPath(m.tokenizer.hubId) : undefined;
        this.volumes = staged.map((s) => s.volume);
        this.stagingJobs = staged.map((s) => s.job);
        this.claims = staged.map((s) => s.claim);
        this.registerOutputs({ modelPath: this.modelPath, claimNames: this.volumes.map((v) => v.claimName) });
    }
}
