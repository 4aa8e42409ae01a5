/**
 * ModelStore (RunPod): phase 1 of the airlock, as an image. RunPod serverless workers have egress, so the model is
 * not downloaded where it is served: a build host (the only place with egress) bakes `hub id @ revision` into
 * `/models/<org>--<name>` on top of the pinned RunPod vLLM worker image (model-image/Dockerfile, built by
 * `scripts/runpod-bake-model.ts`), pushes it to the private registry, and the stack serves that image by digest with
 * the offline env. `/models`, not `/runpod-volume`: a network volume mounted there would shadow a baked model.
 *
 * The component registers no RunPod object: it validates the pairing (model, pinned image), computes the local path
 * and the ECR repository the image comes from, and exposes the exact bake command for the model.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { COMMIT_SHA, HUB_ID, IMAGE_DIGEST, RESOURCE_NAME, runpodModelPath } from "@airlock/baseline";
import type { ImageRef, ModelSpec } from "../../src/config/schema";
import { imageReference } from "../../src/config/schema";
import { ecrRepositoryArn } from "../../src/config/runpod";
import { collect, matches, throwIfInvalid } from "../shared/validation";

/** The Dockerfile that bakes a model into the worker image. */
export const MODEL_IMAGE_DOCKERFILE = path.join(__dirname, "model-image", "Dockerfile");

/** Arguments for {@link ModelStore}. */
export interface ModelStoreArgs {
    readonly model: Pick<ModelSpec, "name" | "hubId" | "revision" | "tokenizer">;
    /** The baked image (digest-pinned). */
    readonly image: ImageRef;
    /** The worker-vllm image the bake builds on (digest-pinned). */
    readonly workerImage: ImageRef;
}

/** `docker buildx build` argv that bakes `model` into `workerImage` and pushes it as `target` (exec form, no shell). */
export function bakeArgv(model: ModelStoreArgs["model"], workerImage: ImageRef, target: string): string[] {
    const args = (k: string, v: string) => ["--build-arg", `${k}=${v}`];
    return [
        "docker", "buildx", "build", "--platform", "linux/amd64", "--file", MODEL_IMAGE_DOCKERFILE,
        ...args("WORKER_IMAGE", imageReference(workerImage)),
        ...args("MODEL_HUB_ID", model.hubId), ...args("MODEL_REVISION", model.revision), ...args("MODEL_DIR", runpodModelPath(model.hubId)),
        ...(model.tokenizer && model.tokenizer.hubId !== model.hubId
            ? [...args("TOKENIZER_HUB_ID", model.tokenizer.hubId), ...args("TOKENIZER_REVISION", model.tokenizer.revision),
                ...args("TOKENIZER_DIR", runpodModelPath(model.tokenizer.hubId))]
            : []),
        "--secret", "id=hf_token,env=HF_TOKEN",
        "--label", `airlock.dev/model=${model.name}`,
        "--tag", target, "--push", path.dirname(MODEL_IMAGE_DOCKERFILE),
    ];
}

export class ModelStore extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:runpod:ModelStore";

    /** The digest-pinned image that holds the model. */
    public readonly image: string;
    /** Where the model is inside the image: `/models/<org>--<name>`. */
    public readonly modelPath: string;
    public readonly tokenizerPath?: string;
    /** The ECR repository of the image (for the Enclave's delegation), when it is on ECR. */
    public readonly ecrRepositoryArn?: string;
    /** The command that (re)builds the image at `<registry>:<tag>`; its digest goes into airlock:runpod.modelImages. */
    public readonly bakeCommand: string[];

    constructor(name: string, args: ModelStoreArgs, opts?: pulumi.ComponentResourceOptions) {
        super(ModelStore.TYPE, name, {}, opts);
        const m = args.model;
        throwIfInvalid(this, "Invalid arguments for ModelStore", collect(
            matches("model.name", m.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            matches("model.hubId", m.hubId, HUB_ID, "a Hugging Face repo id 'org/name'"),
            matches("model.revision", m.revision, COMMIT_SHA, "a 40-character hex commit SHA"),
            matches("image.digest", args.image.digest, IMAGE_DIGEST, "sha256:<64 hex>"),
            matches("workerImage.digest", args.workerImage.digest, IMAGE_DIGEST, "sha256:<64 hex>"),
        ));
        this.image = imageReference(args.image);
        this.modelPath = runpodModelPath(m.hubId);
        this.tokenizerPath = m.tokenizer && m.tokenizer.hubId !== m.hubId ? runpodModelPath(m.tokenizer.hubId) : undefined;
        this.ecrRepositoryArn = ecrRepositoryArn(args.image.registry);
        this.bakeCommand = bakeArgv(m, args.workerImage, `${args.image.registry}:${args.image.tag ?? `${m.name}-${m.revision.slice(0, 12)}`}`);
        this.registerOutputs({ image: this.image, modelPath: this.modelPath });
    }
}
