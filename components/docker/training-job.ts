/**
 * TrainingJob (Docker): a sandboxed run with no network at all (`networkMode: none`), cpu / memory / pids
 * (`nproc` ulimit) / GPU limits, read-only root, read-only model and data volumes, and one writable output
 * volume. A one-shot init container (network none, no capabilities) opens the fresh, root-owned output
 * volume to the job's non-root user.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { OFFLINE_ENV, RESOURCE_NAME, WORKLOAD_USER_PATTERN, isSecretName, secretShapeIn } from "@airlock/baseline";
import type { TrainingJobSpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import type { ModelStore, PulledImage } from "./model-store";
import { cacheEnv, envList, sandboxArgs } from "./sandbox";

/** Where the job writes its results. */
export const OUTPUT_PATH = "/output";

/**
 * How both the init step and the job mount the output volume. `noCopy`: Docker otherwise copies the image's own
 * `OUTPUT_PATH` directory (owner and mode included) onto the volume while it is empty, at every start, which would
 * undo the init step's chmod when the trainer image has such a directory (found on a real engine, docs/fidelity.md).
 */
const outputMount = (volume: pulumi.Input<string>): docker.types.input.ContainerMount => ({
    type: "volume", source: volume, target: OUTPUT_PATH, readOnly: false, volumeOptions: { noCopy: true },
});

/** Arguments for {@link TrainingJob}. */
export interface TrainingJobArgs {
    readonly job: Pick<TrainingJobSpec, "name" | "command" | "env" | "runAsUser" | "limits">;
    readonly image: PulledImage;
    /** Model stores mounted read-only under /models. */
    readonly models: readonly Pick<ModelStore, "mounts" | "stagingContainers" | "ready">[];
    /** Existing Docker volumes (data) mounted read-only. */
    readonly dataVolumes?: readonly { readonly volume: string; readonly path: string }[];
    readonly namePrefix: string;
    readonly stack: string;
}

export class TrainingJob extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:docker:TrainingJob";

    /** Name of the Docker volume holding the job's output. */
    public readonly outputVolumeName: pulumi.Output<string>;
    public readonly container: docker.Container;

    constructor(name: string, args: TrainingJobArgs, opts?: pulumi.ComponentResourceOptions) {
        super(TrainingJob.TYPE, name, {}, opts);
        const j = args.job;
        throwIfInvalid(this, "Invalid arguments for TrainingJob", collect(
            matches("job.name", j.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
            matches("job.runAsUser", j.runAsUser, WORKLOAD_USER_PATTERN, "'uid:gid' with a non-zero uid and gid"),
            intInRange("job.limits.pids", j.limits.pids, 16, 1_048_576),
            intInRange("job.limits.gpus", j.limits.gpus, 0, 8),
            intInRange("job.limits.memoryMiB", j.limits.memoryMiB, 256, 4_194_304),
            j.command.length === 0 ? { propertyPath: "job.command", reason: "must have at least one element" } : undefined,
            ...Object.entries(j.env).map(([k, v]) => isSecretName(k) || secretShapeIn(v)
                ? { propertyPath: `job.env.${k}`, reason: "looks like a secret; a training job takes no secrets" } : undefined),
        ));
        const objectName = `${args.namePrefix}-${j.name}`;
        const labels = { "airlock.dev/job": j.name };

        const output = new docker.Volume(childName(name, "output"), {
            name: `${objectName}-output`,
            labels: [{ label: "airlock.dev/job", value: j.name }],
        }, { parent: this });

        // A fresh named volume is owned by root. Root without any capability may still chmod a directory it
        // owns, so this one-shot step (no network, read-only root) opens it to the job's user.
        const init = new docker.Container(childName(name, "output-init"), {
            name: `${objectName}-output-init`,
            image: args.image.ref,
            networkMode: "none",
            entrypoints: ["chmod"],
            command: ["1777", OUTPUT_PATH],
            mounts: [outputMount(output.name)],
            ...sandboxArgs({ role: "volume-init", user: "0:0", memoryMiB: 64, cpus: 0.5, cacheMiB: 16, stack: args.stack, labels }),
            attach: true,
            mustRun: false,
            restart: "no",
        }, { parent: this, dependsOn: args.image.pulled ? [args.image.pulled] : [] });

        const ready = pulumi.all([init.exitCode, pulumi.all(args.models.map((m) => m.ready))]).apply(([code]) => {
            if (code !== undefined && code !== 0) {
                throw new pulumi.ResourceError(`Output volume init for training job "${j.name}" exited with code ${code}; inspect it with \`docker logs ${objectName}-output-init\`.`, this, true);
            }
            return objectName;
        });

        this.container = new docker.Container(childName(name), {
            name: objectName,
            hostname: ready,
            image: args.image.ref,
            networkMode: "none",
            entrypoints: [j.command[0]!],
            command: j.command.slice(1),
            envs: envList(OFFLINE_ENV, cacheEnv(), j.env),
            volumes: [
                ...args.models.flatMap((m) => m.mounts),
                ...(args.dataVolumes ?? []).map((d) => ({ volumeName: d.volume, containerPath: d.path, readOnly: true })),
            ],
            mounts: [outputMount(output.name)],
            ...sandboxArgs({
                role: "training", user: j.runAsUser, memoryMiB: j.limits.memoryMiB, cpus: j.limits.cpus,
                cacheMiB: 4096, stack: args.stack, gpus: j.limits.gpus, labels,
            }),
            ulimits: [{ name: "nproc", soft: j.limits.pids, hard: j.limits.pids }],
            shmSize: Math.min(8192, Math.floor(j.limits.memoryMiB / 4)),
            attach: false,
            mustRun: false,
            restart: "no",
        }, {
            parent: this,
            dependsOn: [init, ...args.models.flatMap((m) => m.stagingContainers), ...(args.image.pulled ? [args.image.pulled] : [])],
        });
        this.outputVolumeName = output.name;
        this.registerOutputs({ outputVolumeName: this.outputVolumeName });
    }
}
