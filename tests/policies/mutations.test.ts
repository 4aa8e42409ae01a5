/**
 * Mutation suite: a secure raw `@pulumi/docker` program (Network, Volume, RemoteImage, Container created
 * directly, NOT through Airlock's components) runs in-process under `installMocks()`; the recorded inputs go
 * through the analyzer harness with the PROD policy config. The secure program must have zero violations, and
 * each mutation — flipping exactly one security setting — must be blocked by a mandatory violation of the
 * expected policy on the expected resource.
 *
 * Resource options: mock registrations do not carry them, so the program records each resource's
 * `additionalSecretOutputs` itself (the `opts` map below) and the harness input is built from the recorded
 * inputs plus that map. Secret inputs (pulumi.secret) arrive wrapped exactly as the engine sends them.
 * Images are mirrored in a private ECR registry, as prod requires.
 *
 * Not proven here: the real engine's Check normalisation of inputs, real preview outputs for stack policies.
 */
import type * as dockerTypes from "@pulumi/docker";
import type * as pulumiTypes from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { ECR, TRAINER_IMAGE, VLLM_IMAGE, inference, modelVolume, outputVolume, servingNetwork, staging, stagingNetwork, training } from "./fixtures";
import { type FixtureResource, analyzeResources, urnOf } from "./harness";

let docker: typeof dockerTypes;
let pulumi: typeof pulumiTypes;
let mocks: typeof import("../support/mocks");

const prod = loadEnvironmentConfig("prod");
const ecr = (ref: string) => ref.replace("localhost:5000", ECR);

/** Everything the secure program is built from; a mutation edits one field. */
interface ProgramSpec {
    servingNetwork: dockerTypes.NetworkArgs;
    stagingNetwork: dockerTypes.NetworkArgs;
    volume: dockerTypes.VolumeArgs;
    output: dockerTypes.VolumeArgs;
    image: dockerTypes.RemoteImageArgs;
    inference: ReturnType<typeof inference>;
    staging: ReturnType<typeof staging>;
    training: ReturnType<typeof training>;
    /** additionalSecretOutputs per container. */
    secretOutputs: { inference: string[]; staging: string[] };
}

function secureSpec(): ProgramSpec {
    const i = inference();
    const s = staging();
    const t = training();
    return {
        servingNetwork: servingNetwork(),
        stagingNetwork: stagingNetwork(),
        volume: modelVolume(),
        output: outputVolume(),
        image: { name: ecr(VLLM_IMAGE), keepLocally: true },
        inference: { ...i, image: ecr(VLLM_IMAGE) },
        staging: { ...s, image: ecr(VLLM_IMAGE) },
        training: { ...t, image: ecr(TRAINER_IMAGE) },
        secretOutputs: { inference: ["envs"], staging: ["envs"] },
    };
}

/** Logical names, i.e. URNs, of the program's resources. */
const R = {
    serving: "serving-net", staging: "staging-net", volume: "qwen3-4b-model", output: "qwen-lora-output", image: "vllm-image",
    inference: "qwen-0", stage: "qwen3-4b-stage", training: "qwen-lora",
} as const;
const TYPES = {
    serving: "docker:index/network:Network", staging: "docker:index/network:Network", volume: "docker:index/volume:Volume",
    output: "docker:index/volume:Volume",
    image: "docker:index/remoteImage:RemoteImage", inference: "docker:index/container:Container",
    stage: "docker:index/container:Container", training: "docker:index/container:Container",
} as const;
const urn = (k: keyof typeof R) => urnOf({ type: TYPES[k], name: R[k] });

/** Splits the secret-named entries out of `envs` and re-adds them as Pulumi secrets (as the components do). */
function envsWithSecrets(envs: readonly string[] | undefined): pulumiTypes.Input<string>[] {
    return (envs ?? []).map((e) => (/^(VLLM_API_KEY|HF_TOKEN)=/.test(e) ? pulumi.secret(e) : e));
}

/** The secure program, written against @pulumi/docker directly. */
async function runProgram(spec: ProgramSpec): Promise<FixtureResource[]> {
    mocks.registrations.length = 0;
    const opts = new Map<string, { additionalSecretOutputs: string[] }>();
    const serving = new docker.Network(R.serving, spec.servingNetwork);
    const stagingNet = new docker.Network(R.staging, spec.stagingNetwork);
    const volume = new docker.Volume(R.volume, spec.volume);
    const output = new docker.Volume(R.output, spec.output);
    const image = new docker.RemoteImage(R.image, spec.image);
    const stage = new docker.Container(R.stage, { ...spec.staging, envs: envsWithSecrets(spec.staging.envs) },
        { additionalSecretOutputs: spec.secretOutputs.staging, dependsOn: [image, volume, stagingNet] });
    opts.set(R.stage, { additionalSecretOutputs: spec.secretOutputs.staging });
    const server = new docker.Container(R.inference, { ...spec.inference, envs: envsWithSecrets(spec.inference.envs) },
        { additionalSecretOutputs: spec.secretOutputs.inference, dependsOn: [stage, serving] });
    opts.set(R.inference, { additionalSecretOutputs: spec.secretOutputs.inference });
    const job = new docker.Container(R.training, spec.training, { dependsOn: [stage, output] });
    await mocks.settle(serving, stagingNet, volume, output, image, stage, server, job);
    return mocks.registrations.map((r) => ({ type: r.type, name: r.name, props: r.inputs, ...(opts.has(r.name) ? { opts: opts.get(r.name) } : {}) }));
}

type Mutation = readonly [title: string, policy: string, on: keyof typeof R, mutate: (s: ProgramSpec) => void];

const env = (list: string[] | undefined, entry: string): string[] => {
    const key = entry.slice(0, entry.indexOf("=") + 1);
    return [...(list ?? []).filter((e) => !e.startsWith(key)), entry];
};

const MUTATIONS: readonly Mutation[] = [
    ["privileged: true", "docker-container-disallow-privileged", "inference", (s) => { s.inference.privileged = true; }],
    ["capabilities drop removed", "docker-container-drop-all-capabilities", "inference", (s) => { s.inference.capabilities = undefined; }],
    ["networkMode bridge", "docker-container-require-internal-network", "inference", (s) => { s.inference.networkMode = "bridge"; }],
    ["serving network internal: false", "docker-container-require-internal-network", "inference", (s) => { s.servingNetwork.internal = false; }],
    ["unlabeled vLLM server on bridge", "docker-container-require-internal-network", "inference", (s) => { s.inference.labels = undefined; s.inference.networkMode = "bridge"; }],
    ["HF_HUB_OFFLINE=0", "docker-container-require-offline-env", "inference", (s) => { s.inference.envs = env(s.inference.envs, "HF_HUB_OFFLINE=0"); }],
    ["VLLM_NO_USAGE_STATS missing", "docker-container-require-telemetry-off", "inference", (s) => { s.inference.envs = s.inference.envs?.filter((e) => !e.startsWith("VLLM_NO_USAGE_STATS=")); }],
    [":latest image", "docker-container-require-pinned-image", "inference", (s) => { s.inference.image = `${ECR}/mirror/vllm/vllm-openai:latest`; }],
    ["RemoteImage without digest", "docker-remote-image-require-pinned-image", "image", (s) => { s.image.name = `${ECR}/mirror/vllm/vllm-openai:v0.11.0`; }],
    ["docker.io registry", "docker-container-require-allowed-registry", "training", (s) => { s.training.image = TRAINER_IMAGE.replace("localhost:5000/mirror/", ""); }],
    ["RemoteImage from Docker Hub", "docker-remote-image-require-allowed-registry", "image", (s) => { s.image.name = VLLM_IMAGE.replace("localhost:5000/mirror/", ""); }],
    ["port on 0.0.0.0", "docker-container-restrict-published-ports", "inference", (s) => { s.inference.ports = [{ internal: 8000, external: 18000, ip: "0.0.0.0" }]; }],
    ["publishAllPorts", "docker-container-restrict-published-ports", "training", (s) => { s.training.publishAllPorts = true; }],
    ["docker.sock mount", "docker-container-disallow-sensitive-host-mounts", "training", (s) => { s.training.volumes = [...(s.training.volumes ?? []), { hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]; }],
    ["/etc host mount", "docker-container-disallow-sensitive-host-mounts", "stage", (s) => { s.staging.mounts = [{ type: "bind", source: "/etc", target: "/host-etc", readOnly: true }]; }],
    ["pidMode host", "docker-container-disallow-host-namespaces", "inference", (s) => { s.inference.pidMode = "host"; }],
    ["seccomp=unconfined", "docker-container-disallow-unconfined-profiles", "training", (s) => { s.training.securityOpts = ["no-new-privileges:true", "seccomp=unconfined"]; }],
    ["no-new-privileges removed", "docker-container-require-no-new-privileges", "stage", (s) => { s.staging.securityOpts = []; }],
    ["no memory limit", "docker-container-require-resource-limits", "inference", (s) => { s.inference.memory = undefined; }],
    ["training without nproc ulimit", "docker-container-require-pids-limit", "training", (s) => { s.training.ulimits = undefined; }],
    ["model volume writable", "docker-container-require-read-only-model-volumes", "inference", (s) => { s.inference.volumes = s.inference.volumes?.map((v) => ({ ...v, readOnly: false })); }],
    ["writable root file system", "docker-container-require-read-only-root-filesystem", "inference", (s) => { s.inference.readOnly = false; }],
    ["user root", "docker-container-require-non-root-user", "training", (s) => { s.training.user = "0:0"; }],
    ["raw host device", "docker-container-disallow-host-devices", "training", (s) => { s.training.devices = [{ hostPath: "/dev/mem" }]; }],
    ["VLLM_SERVER_DEV_MODE=1", "docker-container-disallow-vllm-dangerous-modes", "inference", (s) => { s.inference.envs = env(s.inference.envs, "VLLM_SERVER_DEV_MODE=1"); }],
    ["--trust-remote-code not allow-listed", "docker-container-restrict-trust-remote-code", "inference", (s) => { s.inference.command = [...(s.inference.command ?? []), "--trust-remote-code"]; }],
    ["hub id without revision", "docker-container-require-pinned-model", "inference", (s) => { s.inference.command = ["Qwen/Qwen3-4B-Instruct-2507", ...(s.inference.command ?? []).slice(1)]; }],
    ["staging download without revision", "docker-container-require-pinned-model", "stage", (s) => { s.staging.command = s.staging.command?.filter((_a, i) => i !== 2 && i !== 3); }],
    ["--api-key literal in argv", "docker-container-require-vllm-api-key", "inference", (s) => { s.inference.command = [...(s.inference.command ?? []), "--api-key", "not-a-secret"]; }],
    ["missing VLLM_API_KEY", "docker-container-require-vllm-api-key", "inference", (s) => { s.inference.envs = s.inference.envs?.filter((e) => !e.startsWith("VLLM_API_KEY=")); }],
    ["hf_ token under an innocuous env name", "docker-container-disallow-literal-secrets", "stage", (s) => { s.staging.envs = env(s.staging.envs, `MODEL_NOTE=hf_${"Q".repeat(34)}`); }],
    ["secret env without additionalSecretOutputs", "docker-container-require-secret-env-protection", "inference", (s) => { s.secretOutputs.inference = []; }],
    ["bind volume onto /etc", "docker-volume-disallow-host-bind", "volume", (s) => { s.volume.driverOpts = { type: "none", o: "bind", device: "/etc" }; }],
];

beforeAll(async () => {
    mocks = await import("../support/mocks");
    await mocks.installMocks();
    pulumi = await import("@pulumi/pulumi");
    docker = await import("@pulumi/docker");
});
beforeEach(() => { mocks.registrations.length = 0; });

describe("mutation suite (prod config)", () => {
    it("the secure program registers the expected resources and has zero violations", async () => {
        const resources = await runProgram(secureSpec());
        expect(resources.map((r) => r.name).sort()).toEqual(Object.values(R).sort());
        // The secret env entry reached the recording as the engine sends it (wrapped), not as plain text.
        expect(JSON.stringify(resources.find((r) => r.name === R.inference)?.props.envs)).toContain("4dabf18193072939515e22adb298388d");
        expect(await analyzeResources(resources, prod)).toEqual([]);
    });

    it("has at least 25 mutations, each naming a distinct setting", () => {
        expect(MUTATIONS.length).toBeGreaterThanOrEqual(25);
        expect(new Set(MUTATIONS.map((m) => m[0])).size).toBe(MUTATIONS.length);
    });

    it.each(MUTATIONS.map((m) => [m[0], m] as const))("blocks: %s", async (_title, [, policy, on, mutate]) => {
        const spec = secureSpec();
        mutate(spec);
        const violations = await analyzeResources(await runProgram(spec), prod);
        expect(violations.filter((v) => v.policy === policy && v.urn === urn(on) && v.enforcementLevel === "mandatory"),
            JSON.stringify(violations, null, 2)).not.toHaveLength(0);
        expect(violations.filter((v) => v.enforcementLevel !== "mandatory")).toEqual([]);
    });
});
