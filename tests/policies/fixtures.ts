/**
 * The secure shapes the Airlock program produces (raw `@pulumi/docker` inputs), as analyzer fixtures. Each
 * call returns fresh objects, so a test can mutate one field and compare.
 */
import { DOCKER_TYPES } from "../../policies/lib/docker-types";
import type { ContainerProps, NetworkProps, RemoteImageProps, VolumeProps } from "../../policies/lib/container";
import { type FixtureResource, secret, urnOf } from "./harness";

export const VLLM_IMAGE =
    "localhost:5000/mirror/vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c";
export const TRAINER_IMAGE =
    "localhost:5000/mirror/axolotlai/axolotl:main-20260712-py3.12-cu130-2.12.0@sha256:c33b21ad322e49fcc2db6116042cc206c69f26716482fc2902179fa303dd60b4";
export const ECR = "123456789012.dkr.ecr.eu-west-1.amazonaws.com";
export const MODEL_PATH = "/models/Qwen--Qwen3-4B-Instruct-2507";
export const MODEL_REVISION = "cdbee75f17c01a7cc42f958dc650907174af0554";
/** A value the policies cannot tell from a Pulumi secret's plaintext (not token-shaped). */
export const API_KEY = "placeholder-api-key-from-pulumi-secret";

export const OFFLINE = ["HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "HF_DATASETS_OFFLINE=1"];
export const TELEMETRY = ["HF_HUB_DISABLE_TELEMETRY=1", "VLLM_NO_USAGE_STATS=1", "DO_NOT_TRACK=1"];
export const CACHE = [
    "HOME=/cache/home", "XDG_CACHE_HOME=/cache", "HF_HOME=/cache/huggingface", "VLLM_CACHE_ROOT=/cache/vllm",
    "TRITON_CACHE_DIR=/cache/triton", "TORCHINDUCTOR_CACHE_DIR=/cache/inductor",
];

const role = (value: string) => [
    { label: "airlock.dev/role", value },
    { label: "airlock.dev/model", value: "qwen3-4b" },
    { label: "airlock.dev/stack", value: "dev" },
];

const sandbox = (user: string): Partial<ContainerProps> => ({
    readOnly: true,
    tmpfs: { "/tmp": "rw,noexec,nosuid,size=1g", "/cache": "rw,nosuid,size=8g" },
    capabilities: { drops: ["ALL"] },
    securityOpts: ["no-new-privileges:true"],
    user,
    privileged: false,
});

export const servingNetwork = (): NetworkProps => ({
    name: "airlock-dev-serving", internal: true, driver: "bridge", labels: [{ label: "airlock.dev/network", value: "serving" }],
});
export const stagingNetwork = (): NetworkProps => ({ name: "airlock-dev-staging", internal: false, driver: "bridge" });
export const modelVolume = (): VolumeProps => ({ name: "airlock-dev-model-qwen3-4b", labels: [{ label: "airlock.dev/model", value: "qwen3-4b" }] });
export const vllmImage = (): RemoteImageProps => ({ name: VLLM_IMAGE, keepLocally: true });
export const GATEWAY_IMAGE = "localhost:5000/mirror/library/nginx:1.27.5-alpine@sha256:65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10";
export const gatewayNetwork = (): NetworkProps => ({ name: "airlock-dev-gateway", internal: false, driver: "bridge" });

/** The gateway as the Docker component builds it: nginx on the serving network and its own routed network. */
export const gateway = (): ContainerProps => ({
    name: "airlock-dev-gateway",
    image: GATEWAY_IMAGE,
    networkMode: "airlock-dev-gateway",
    networksAdvanced: [{ name: "airlock-dev-serving" }],
    entrypoints: ["/bin/sh", "-c", "set -eu\nprintf '%s\\n' \"$AIRLOCK_GATEWAY_CONF\" > /tmp/nginx.conf\nexec nginx -p /tmp -c /tmp/nginx.conf -e stderr -g 'daemon off;'"],
    envs: ["AIRLOCK_GATEWAY_CONF=events {}", `AIRLOCK_GATEWAY_API_KEYS={"qwenApiKey":"${API_KEY}"}`],
    labels: [{ label: "airlock.dev/role", value: "gateway" }, { label: "airlock.dev/stack", value: "dev" }],
    ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
    ...sandbox("101:101"),
    tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
    memory: 256,
    memorySwap: 256,
    cpus: "1",
});

export const inference = (): ContainerProps => ({
    name: "airlock-dev-qwen-0",
    image: VLLM_IMAGE,
    networkMode: "airlock-dev-serving",
    entrypoints: ["vllm", "serve"],
    command: [MODEL_PATH, "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000", "--max-model-len", "32768"],
    envs: [...OFFLINE, ...TELEMETRY, ...CACHE, `VLLM_API_KEY=${API_KEY}`],
    labels: role("inference"),
    volumes: [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: MODEL_PATH, readOnly: true }],
    ...sandbox("1000:1000"),
    memory: 16384,
    memorySwap: 16384,
    cpus: "4",
    shmSize: 4096,
    deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }],
    healthcheck: {
        tests: ["CMD", "python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=5)"],
        interval: "30s", timeout: "10s", retries: 3, startPeriod: "600s",
    },
    restart: "on-failure",
    maxRetryCount: 3,
    ports: [{ internal: 8000, external: 18000, ip: "127.0.0.1" }],
});

export const staging = (): ContainerProps => ({
    name: "airlock-dev-model-qwen3-4b-stage",
    image: VLLM_IMAGE,
    networkMode: "airlock-dev-staging",
    entrypoints: ["hf"],
    command: ["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", MODEL_REVISION, "--local-dir", MODEL_PATH],
    envs: [...TELEMETRY, ...CACHE, "HF_TOKEN=placeholder-hf-token-from-pulumi-secret"],
    labels: role("model-staging"),
    volumes: [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: MODEL_PATH, readOnly: false }],
    ...sandbox("0:0"),
    memory: 4096,
    memorySwap: 4096,
    cpus: "2",
    attach: true,
    mustRun: false,
});

export const outputVolume = (): VolumeProps => ({ name: "airlock-dev-qwen-lora-output", labels: [{ label: "airlock.dev/job", value: "qwen-lora" }] });

/** The one-shot step that opens the fresh, root-owned output volume to the job's user (no network, no env). */
export const volumeInit = (): ContainerProps => ({
    name: "airlock-dev-qwen-lora-output-init",
    image: TRAINER_IMAGE,
    networkMode: "none",
    entrypoints: ["chmod"],
    command: ["1777", "/output"],
    labels: [{ label: "airlock.dev/role", value: "volume-init" }, { label: "airlock.dev/job", value: "qwen-lora" }],
    volumes: [{ volumeName: "airlock-dev-qwen-lora-output", containerPath: "/output", readOnly: false }],
    ...sandbox("0:0"),
    memory: 64,
    memorySwap: 64,
    cpus: "0.5",
    attach: true,
    mustRun: false,
    restart: "no",
});

export const training = (): ContainerProps => ({
    name: "airlock-dev-qwen-lora",
    image: TRAINER_IMAGE,
    networkMode: "none",
    entrypoints: ["axolotl"],
    command: ["train", "/data/qwen3-4b-lora.yml"],
    envs: [...OFFLINE, ...TELEMETRY, ...CACHE],
    labels: [{ label: "airlock.dev/role", value: "training" }, { label: "airlock.dev/job", value: "qwen-lora" }],
    volumes: [
        { volumeName: "airlock-dev-model-qwen3-4b", containerPath: MODEL_PATH, readOnly: true },
        { volumeName: "airlock-dev-data", containerPath: "/data", readOnly: true },
        { volumeName: "airlock-dev-qwen-lora-output", containerPath: "/output", readOnly: false },
    ],
    ulimits: [{ name: "nproc", soft: 512, hard: 512 }],
    ...sandbox("1000:1000"),
    memory: 65536,
    memorySwap: 65536,
    cpus: "8",
    deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }],
});

/** Names of the secure stack's resources (logical names, used for URNs). */
export const N = {
    serving: "airlock-dev-serving",
    staging: "airlock-dev-staging",
    volume: "airlock-dev-model-qwen3-4b",
    image: "vllm",
    inference: "qwen-0",
    stage: "qwen3-4b-stage",
    training: "qwen-lora",
    output: "qwen-lora-output",
    init: "qwen-lora-output-init",
    gatewayNet: "airlock-dev-gateway",
    gateway: "gateway",
} as const;

export interface SecureStackOptions {
    /** Wrap secret env entries as the engine sends Pulumi secrets. @default true */
    readonly secretEnvs?: boolean;
}

/** The whole secure dev stack: two networks, model and output volumes, the image, inference, staging, volume-init and training. */
export function secureStack(o: SecureStackOptions = {}): FixtureResource[] {
    const wrap = o.secretEnvs ?? true;
    const withSecretEnvs = (c: ContainerProps): Record<string, unknown> => (wrap ? { ...c, envs: secret(c.envs) } : { ...c });
    return [
        { type: DOCKER_TYPES.network, name: N.serving, props: { ...servingNetwork() } },
        { type: DOCKER_TYPES.network, name: N.staging, props: { ...stagingNetwork() } },
        { type: DOCKER_TYPES.volume, name: N.volume, props: { ...modelVolume() } },
        { type: DOCKER_TYPES.remoteImage, name: N.image, props: { ...vllmImage() } },
        { type: DOCKER_TYPES.container, name: N.inference, props: withSecretEnvs(inference()), opts: { additionalSecretOutputs: ["envs"] } },
        { type: DOCKER_TYPES.container, name: N.stage, props: withSecretEnvs(staging()), opts: { additionalSecretOutputs: ["envs"] } },
        { type: DOCKER_TYPES.volume, name: N.output, props: { ...outputVolume() } },
        { type: DOCKER_TYPES.container, name: N.init, props: { ...volumeInit() } },
        { type: DOCKER_TYPES.container, name: N.training, props: { ...training() } },
        { type: DOCKER_TYPES.network, name: N.gatewayNet, props: { ...gatewayNetwork() } },
        { type: DOCKER_TYPES.container, name: N.gateway, props: withSecretEnvs(gateway()), opts: { additionalSecretOutputs: ["envs"] } },
    ];
}

/** `secureStack()` with the named resource's props replaced by `mutate(props)` (props unwrapped from secrets). */
export function mutated(name: string, mutate: (props: Record<string, unknown>) => void, o: SecureStackOptions = {}): FixtureResource[] {
    return secureStack({ secretEnvs: false, ...o }).map((r) => {
        if (r.name !== name) return r;
        const props = structuredClone(r.props);
        mutate(props);
        return { ...r, props };
    });
}

/** A container fixture alone (for resource policies), with the secure stack's options. */
export function containerResource(name: string, props: ContainerProps, opts?: FixtureResource["opts"]): FixtureResource {
    return { type: DOCKER_TYPES.container, name, props: { ...props }, opts: opts ?? { additionalSecretOutputs: ["envs"] } };
}

export { urnOf };
