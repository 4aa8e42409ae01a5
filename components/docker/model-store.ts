/**
 * ModelStore (Docker): phase 1 of the airlock. A volume per model revision (and per separate tokenizer revision)
 * filled by a one-shot staging container on the egress network: `hf download <hub id> --revision <sha>`. The
 * container publishes nothing, runs to completion (`attach`, `mustRun: false`) and `ready` fails unless it exited
 * 0, so no server starts on a half-staged model.
 *
 * The revision is part of the Docker volume's name (`<prefix>-model-<name>-<first 12 hex of the sha>`), so a new
 * revision replaces the volume (same resource name, new Docker object): the staging container and every container
 * that mounts the store (servers, training jobs) get a new `volumes` input and are replaced onto the new volume, and
 * the old volume — the old revision's files — is deleted at the end of the update instead of lingering under the
 * new revision's files (found with the real engine: with one volume per model, `pulumi up` re-staged into the same
 * volume and left every server running on the old weights).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { MODEL_LABEL, TELEMETRY_OFF_ENV, localModelPath } from "@airlock/baseline";
import type { ModelSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, modelProblems, throwIfInvalid } from "../shared/validation";
import type { Enclave } from "./enclave";
import { cacheEnv, envList, sandboxArgs, secretEnv } from "./sandbox";

/** The label a model store's volume carries with the full revision it holds. */
export const REVISION_LABEL = "airlock.dev/revision";

/** The Docker volume of one staged revision: `<object name>-<first 12 hex digits of the revision>`. */
export const revisionVolumeName = (objectName: string, revision: string): string => `${objectName}-${revision.slice(0, 12)}`;

/** A digest-pinned image reference and the resource that pulled it (if any). */
export interface PulledImage {
    readonly ref: string;
    readonly pulled?: pulumi.Resource;
}

/** Arguments for {@link ModelStore}. */
export interface ModelStoreArgs {
    readonly model: Pick<ModelSpec, "name" | "hubId" | "revision" | "tokenizer">;
    /** Staging image; must provide the `hf` CLI (the vLLM image does). */
    readonly image: PulledImage;
    readonly enclave: Pick<Enclave, "stagingNetworkName">;
    /** Hugging Face token for gated models (a Pulumi secret). Omit for public models. */
    readonly hfToken?: pulumi.Input<string>;
    readonly namePrefix: string;
    readonly stack: string;
    /** Limits of the staging container. @default { memoryMiB: 4096, cpus: 2 } */
    readonly limits?: { readonly memoryMiB: number; readonly cpus: number };
}

/** One staged repository: its volume, where it is mounted, and the container that filled it. */
interface Staged {
    readonly hubId: string;
    readonly volume: docker.Volume;
    readonly container: docker.Container;
}

export class ModelStore extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:docker:ModelStore";

    /** Local path of the model inside consumers: `/models/<org>--<name>`. */
    public readonly modelPath: string;
    /** Local path of the separately staged tokenizer, when there is one. */
    public readonly tokenizerPath?: string;
    /** Read-only mounts consumers add to their `volumes`. */
    public readonly mounts: docker.types.input.ContainerVolume[];
    /** The staging containers; consumers depend on them. */
    public readonly stagingContainers: docker.Container[];
    /**
     * Resolves to the model path once every staging container exited 0; fails with the container to inspect
     * otherwise. Consumers feed it into an input so they are never created on a failed stage.
     */
    public readonly ready: pulumi.Output<string>;

    constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ModelStore.TYPE, name, {}, opts);
        const m = args.model;
        throwIfInvalid(this, "Invalid arguments for ModelStore", collect(
            ...modelProblems(m),
        ));
        const limits = args.limits ?? { memoryMiB: 4096, cpus: 2 };
        const objectName = `${args.namePrefix}-model-${m.name}`;

        const stage = (role: string | undefined, hubId: string, revision: string): Staged => {
            const path = localModelPath(hubId);
            const volume = new docker.Volume(childName(name, role), {
                name: revisionVolumeName(role ? `${objectName}-${role}` : objectName, revision),
                labels: [{ label: MODEL_LABEL, value: m.name }, { label: "airlock.dev/hub-id", value: hubId }, { label: REVISION_LABEL, value: revision }],
            }, { parent: this });
            const envs: pulumi.Input<string>[] = envList(TELEMETRY_OFF_ENV, cacheEnv());
            if (args.hfToken !== undefined) envs.push(secretEnv("HF_TOKEN", args.hfToken));
            const container = new docker.Container(childName(name, role ? `stage-${role}` : "stage"), {
                name: role ? `${objectName}-stage-${role}` : `${objectName}-stage`,
                image: args.image.ref,
                networkMode: args.enclave.stagingNetworkName,
                entrypoints: ["hf"],
                command: ["download", hubId, "--revision", revision, "--local-dir", path],
                envs,
                volumes: [{ volumeName: volume.name, containerPath: path, readOnly: false }],
                ...sandboxArgs({
                    role: "model-staging", user: "0:0", memoryMiB: limits.memoryMiB, cpus: limits.cpus, cacheMiB: 1024,
                    stack: args.stack, labels: { [MODEL_LABEL]: m.name },
                }),
                attach: true,
                logs: true,
                mustRun: false,
                restart: "no",
            }, {
                parent: this,
                dependsOn: args.image.pulled ? [args.image.pulled] : [],
                additionalSecretOutputs: args.hfToken !== undefined ? ["envs"] : [],
            });
            return { hubId, volume, container };
        };

        const staged = [stage(undefined, m.hubId, m.revision)];
        if (m.tokenizer && m.tokenizer.hubId !== m.hubId) staged.push(stage("tokenizer", m.tokenizer.hubId, m.tokenizer.revision));

        this.modelPath = localModelPath(m.hubId);
        this.tokenizerPath = m.tokenizer ? localModelPath(m.tokenizer.hubId) : undefined;
        this.mounts = staged.map((s) => ({ volumeName: s.volume.name, containerPath: localModelPath(s.hubId), readOnly: true }));
        this.stagingContainers = staged.map((s) => s.container);
        const modelPath = this.modelPath;
        this.ready = pulumi.all(staged.map((s) => pulumi.all([s.container.name, s.container.exitCode]))).apply((results) => {
            const failed = results.filter(([, code]) => code !== undefined && code !== 0);
            if (failed.length > 0) {
                throw new pulumi.ResourceError(
                    `Model staging for "${m.name}" failed: ${failed.map(([c, code]) => `container ${c} exited with code ${code}`).join("; ")}. ` +
                    `Inspect it with \`docker logs ${failed[0]![0]}\`, fix the cause (token, revision, disk), then run \`pulumi up\` again.`,
                    this, true);
            }
            return modelPath;
        });
        this.registerOutputs({ modelPath: this.modelPath, ready: this.ready });
    }
}
