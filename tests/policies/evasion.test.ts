/**
 * The evasion suite: raw `@pulumi/docker` programs written the way someone getting around the pack (or a careless
 * team) would write them — not through Airlock's components — run in-process under mocks and analyzed with the
 * PROD policy config. Each case is a pair: the evasive program is blocked by a mandatory violation whose exact
 * message names the field and the fix, and its secure twin (the same program written correctly) passes the whole
 * pack. Issue 6 lists the classes: classification, values read as their consumers read them, argv, users and
 * namespaces, security profiles, paths out that are not networks, resources that run code.
 *
 * Not proven here: the real engine's Check normalisation (tests/engine), live container behaviour (airlock verify).
 */
import type * as dockerTypes from "@pulumi/docker";
import type * as pulumiTypes from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { CACHE, ECR, MODEL_PATH, MODEL_REVISION, OFFLINE, TELEMETRY, VLLM_IMAGE } from "./fixtures";
import { type FixtureResource, analyzeResources, urnOf } from "./harness";

let docker: typeof dockerTypes;
let pulumi: typeof pulumiTypes;
let mocks: typeof import("../support/mocks");

const prod = loadEnvironmentConfig("prod");
const ecr = (ref: string) => ref.replace("localhost:5000", ECR);
const VLLM = ecr(VLLM_IMAGE);
const TGI = `${ECR}/mirror/huggingface/text-generation-inference:3.3.4@sha256:${"2".repeat(64)}`;
const BUSYBOX = `${ECR}/mirror/library/busybox:1.36@sha256:${"3".repeat(64)}`;
const NGINX = `${ECR}/mirror/library/nginx:1.27.5-alpine@sha256:65645c7bb6a0661892a8b03b89d0743208a18dd2f3f17a54ef4b76fb8e2f2a10`;

type ContainerArgs = dockerTypes.ContainerArgs & Record<string, unknown>;

/** The program: networks, volumes and containers, each container with its resource options. */
interface Program {
    networks: Record<string, dockerTypes.NetworkArgs>;
    volumes: Record<string, dockerTypes.VolumeArgs>;
    containers: Record<string, { args: ContainerArgs; secretEnvs?: boolean }>;
    services?: Record<string, dockerTypes.ServiceArgs>;
    plugins?: Record<string, dockerTypes.PluginArgs>;
}

/** The sandbox every sealed container of the secure program carries. */
const sealed = (user = "1000:1000"): Partial<ContainerArgs> => ({
    user, readOnly: true, privileged: false, capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"],
    memory: 16384, memorySwap: 16384, cpus: "4", tmpfs: { "/tmp": "rw,noexec,nosuid,size=1g", "/cache": "rw,nosuid,size=4g" },
});
const offline = [...OFFLINE, ...TELEMETRY, ...CACHE];

/** A secure program: an internal serving network, a staging network, a model volume, a vLLM server, a one-shot download. */
function secureProgram(): Program {
    return {
        networks: {
            serving: { name: "serving", internal: true },
            egress: { name: "egress", internal: false },
            edge: { name: "edge", internal: false },
        },
        volumes: { models: { name: "models" } },
        containers: {
            vllm: {
                secretEnvs: true,
                args: {
                    name: "vllm", image: VLLM, networkMode: "serving", entrypoints: ["vllm", "serve"],
                    command: [MODEL_PATH, "--served-model-name", "qwen", "--port", "8000"],
                    envs: [...offline, "VLLM_API_KEY=key-from-a-pulumi-secret"],
                    volumes: [{ volumeName: "models", containerPath: MODEL_PATH, readOnly: true }],
                    deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }],
                    ...sealed(),
                },
            },
            gateway: {
                secretEnvs: true,
                args: {
                    name: "gateway", image: NGINX, networkMode: "edge", networksAdvanced: [{ name: "serving" }],
                    entrypoints: ["nginx", "-g", "daemon off;"], envs: ["AIRLOCK_GATEWAY_API_KEYS={\"k\":\"from-a-secret\"}"],
                    labels: [{ label: "airlock.dev/role", value: "gateway" }],
                    ports: [{ internal: 8080, external: 8080, ip: "127.0.0.1" }],
                    ...sealed("101:101"), tmpfs: { "/tmp": "rw,noexec,nosuid,size=64m" },
                },
            },
            stage: {
                secretEnvs: true,
                args: {
                    name: "stage", image: VLLM, networkMode: "egress", entrypoints: ["hf"],
                    command: ["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", MODEL_REVISION, "--local-dir", MODEL_PATH],
                    envs: [...TELEMETRY, ...CACHE, "HF_TOKEN=token-from-a-pulumi-secret"],
                    labels: [{ label: "airlock.dev/role", value: "model-staging" }],
                    volumes: [{ volumeName: "models", containerPath: MODEL_PATH, readOnly: false }],
                    attach: true, mustRun: false, restart: "no",
                    ...sealed("0:0"),
                },
            },
        },
    };
}

/** Runs `p` as a Pulumi program under the mock runtime and returns what the engine would hand the pack. */
async function run(p: Program): Promise<FixtureResource[]> {
    await mocks.drain();
    mocks.registrations.length = 0;
    const secretOutputs = new Map<string, string[]>();
    const resources: pulumiTypes.Resource[] = [];
    for (const [name, args] of Object.entries(p.networks)) resources.push(new docker.Network(name, args));
    for (const [name, args] of Object.entries(p.volumes)) resources.push(new docker.Volume(name, args));
    for (const [name, c] of Object.entries(p.containers)) {
        const envs = c.secretEnvs ? (c.args.envs as string[] | undefined)?.map((e) => (/^(VLLM_API_KEY|HF_TOKEN|AIRLOCK_GATEWAY_API_KEYS)=/.test(e) ? pulumi.secret(e) : e)) : c.args.envs;
        const opts = c.secretEnvs ? { additionalSecretOutputs: ["envs"] } : {};
        if (c.secretEnvs) secretOutputs.set(name, ["envs"]);
        resources.push(new docker.Container(name, { ...c.args, envs }, opts));
    }
    for (const [name, args] of Object.entries(p.services ?? {})) resources.push(new docker.Service(name, args));
    for (const [name, args] of Object.entries(p.plugins ?? {})) resources.push(new docker.Plugin(name, args));
    await mocks.settle(...resources);
    return mocks.registrations.map((r) => ({
        type: r.type, name: r.name, props: r.inputs,
        ...(secretOutputs.has(r.name) ? { opts: { additionalSecretOutputs: secretOutputs.get(r.name)! } } : {}),
    }));
}

interface EvasionCase {
    readonly title: string;
    /** The evasive program: blocked. */
    readonly evade: (p: Program) => void;
    /** Its secure twin: passes the whole pack. */
    readonly secure: (p: Program) => void;
    /** The mandatory violations the evasion must produce on `on` (policy → exact messages); other policies may fire too. */
    readonly on: string;
    readonly type?: string;
    readonly expect: Readonly<Record<string, readonly string[]>>;
}

const c = (p: Program, name: string): ContainerArgs => p.containers[name]!.args;
const setEnv = (args: ContainerArgs, entry: string): void => {
    const key = entry.slice(0, entry.indexOf("=") + 1);
    args.envs = [...((args.envs as string[] | undefined) ?? []).filter((e) => !e.startsWith(key)), entry];
};
const NET_FIX = 'set networkMode to "none" or attach it only to docker.Network resources with internal: true declared in this program';
/** A second model server nobody labelled: text-generation-inference, reading the same model volume. */
const tgi = (networkMode: string | undefined, envs: string[]): ContainerArgs => ({
    name: "tgi", image: TGI, ...(networkMode ? { networkMode } : {}), command: ["--model-id", MODEL_PATH, "--port", "8080"], envs,
    volumes: [{ volumeName: "models", containerPath: MODEL_PATH, readOnly: true }], ...sealed(),
});

const CASES: readonly EvasionCase[] = [
    // Classification: nothing is exempt because it carries no label.
    {
        title: "an unlabeled second model server (TGI) on Docker's default bridge, reading the same model volume",
        evade: (p) => { p.containers.tgi = { args: tgi(undefined, offline) }; },
        secure: (p) => { p.containers.tgi = { args: tgi("serving", offline) }; },
        on: "tgi",
        expect: { "docker-container-require-internal-network": [
            `networkMode is unset, so Docker attaches this text-generation-inference server to its default bridge network, which routes out of the host: ${NET_FIX}.`] },
    },
    {
        title: "an unlabeled helper with no env on a routed network",
        evade: (p) => { p.containers.helper = { args: { name: "helper", image: BUSYBOX, networkMode: "egress", entrypoints: ["httpd", "-f"], ...sealed() } }; },
        secure: (p) => { p.containers.helper = { args: { name: "helper", image: BUSYBOX, networkMode: "serving", entrypoints: ["httpd", "-f"], envs: offline, ...sealed() } }; },
        on: "helper",
        expect: {
            "docker-container-require-internal-network": [
                `networkMode "egress" names a docker.Network that is not internal, so this unlabeled container (sealed by default) has a route out: set internal: true on that network or ${NET_FIX}.`],
            "docker-container-require-offline-env": ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"].map((k) =>
                `envs: ${k} is not set, so the unlabeled container (sealed by default) could call a model hub: set "${k}=1".`),
        },
    },
    {
        title: "a server labelled model-staging to get the egress network",
        evade: (p) => { c(p, "vllm").labels = [{ label: "airlock.dev/role", value: "model-staging" }]; c(p, "vllm").networkMode = "egress"; },
        secure: (p) => { c(p, "vllm").labels = [{ label: "airlock.dev/role", value: "inference" }]; },
        on: "vllm",
        expect: {
            "docker-container-verify-role-claim": ['labels claim airlock.dev/role="model-staging", but it runs a vLLM server: the container is held to the sealed rules — make it match the role or remove the label.'],
            "docker-container-require-internal-network": [
                `networkMode "egress" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`],
        },
    },
    {
        title: "a \"staging\" container that downloads through a shell and then keeps running",
        evade: (p) => { const s = c(p, "stage"); s.entrypoints = ["sh", "-c"]; s.command = [`hf download Qwen/Qwen3-4B-Instruct-2507 --revision ${MODEL_REVISION} --local-dir ${MODEL_PATH}; sleep infinity`]; s.restart = "unless-stopped"; },
        secure: () => undefined,
        on: "stage",
        expect: { "docker-container-verify-role-claim": [
            `labels claim airlock.dev/role="model-staging", but restart is "unless-stopped", so it does not run once; its command is not an exec-form "hf download <repo> --revision <sha> --local-dir <path>" (got ${JSON.stringify(`sh -c hf download Qwen/Qwen3-4B-Instruct-2507 --revision ${MODEL_REVISION} --local-dir ${MODEL_PATH}; sleep infinity`)}): the container is held to the sealed rules — make it match the role or remove the label.`] },
    },
    // The gateway role is a claim too.
    {
        title: "a model server labelled gateway to get the gateway's routed network",
        evade: (p) => { const v = c(p, "vllm"); v.labels = [{ label: "airlock.dev/role", value: "gateway" }]; v.networkMode = "edge"; v.networksAdvanced = [{ name: "serving" }]; },
        secure: () => undefined,
        on: "vllm",
        expect: {
            "docker-container-verify-role-claim": ['labels claim airlock.dev/role="gateway", but it runs a vLLM server: the container is held to the sealed rules — make it match the role or remove the label.'],
            "docker-container-require-internal-network": [
                `networkMode "edge" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`],
        },
    },
    {
        title: "a gateway that also mounts the model volume",
        evade: (p) => { c(p, "gateway").volumes = [{ volumeName: "models", containerPath: MODEL_PATH, readOnly: true }]; },
        secure: () => undefined,
        on: "gateway",
        expect: {
            "docker-container-verify-role-claim": [`labels claim airlock.dev/role="gateway", but volumes[0] mounts ${MODEL_PATH} (a gateway mounts no volume, model or host path): the container is held to the sealed rules — make it match the role or remove the label.`],
            "docker-container-require-internal-network": [
                `networkMode "edge" names a docker.Network that is not internal, so this container labelled "gateway" (sealed: the claim does not hold) has a route out: set internal: true on that network or ${NET_FIX}.`],
        },
    },
    {
        title: "a sidecar joining both the serving network and the gateway's routed network",
        evade: (p) => { p.containers.sidecar = { args: { name: "sidecar", image: BUSYBOX, networkMode: "edge", networksAdvanced: [{ name: "serving" }], entrypoints: ["sleep", "3600"], envs: offline, ...sealed() } }; },
        secure: (p) => { p.containers.sidecar = { args: { name: "sidecar", image: BUSYBOX, networkMode: "serving", entrypoints: ["sleep", "3600"], envs: offline, ...sealed() } }; },
        on: "sidecar",
        expect: { "docker-container-require-internal-network": [
            `networkMode "edge" names a docker.Network that is not internal, so this unlabeled container (sealed by default) has a route out: set internal: true on that network or ${NET_FIX}.`] },
    },
    // Values read as their consumers read them.
    {
        title: "HF_HUB_OFFLINE= 1 (huggingface_hub does not trim)",
        evade: (p) => setEnv(c(p, "vllm"), "HF_HUB_OFFLINE= 1"),
        secure: (p) => setEnv(c(p, "vllm"), "HF_HUB_OFFLINE=TRUE"),
        on: "vllm",
        expect: { "docker-container-require-offline-env": [
            'envs: HF_HUB_OFFLINE=" 1" is off for huggingface_hub (huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1".'] },
    },
    {
        title: "VLLM_NO_USAGE_STATS=true (vLLM compares with \"1\")",
        evade: (p) => setEnv(c(p, "vllm"), "VLLM_NO_USAGE_STATS=true"),
        secure: (p) => setEnv(c(p, "vllm"), "VLLM_NO_USAGE_STATS=1"),
        on: "vllm",
        expect: { "docker-container-require-telemetry-off": [
            'envs: VLLM_NO_USAGE_STATS="true" is off for vLLM (vLLM reads it as on only for the exact string "1"), so the vLLM server could send telemetry: set "VLLM_NO_USAGE_STATS=1".'] },
    },
    {
        title: "VLLM_SERVER_DEV_MODE=2 (vLLM reads bool(int(v)))",
        evade: (p) => setEnv(c(p, "vllm"), "VLLM_SERVER_DEV_MODE=2"),
        secure: (p) => setEnv(c(p, "vllm"), "VLLM_SERVER_DEV_MODE=0"),
        on: "vllm",
        expect: { "docker-container-disallow-vllm-dangerous-modes": [
            'envs: VLLM_SERVER_DEV_MODE="2" is on for vLLM and enables the development endpoints (arbitrary RPC into the engine) (vLLM reads it with bool(int(value)): any non-zero integer (" 2", "+1", "0_1") is on): remove it or set VLLM_SERVER_DEV_MODE=0.'] },
    },
    {
        title: "the offline switch set twice, on and off (envs is a set: either may win)",
        evade: (p) => { c(p, "vllm").envs = [...(c(p, "vllm").envs as string[]), "HF_HUB_OFFLINE=0"]; },
        secure: (p) => { c(p, "vllm").envs = [...(c(p, "vllm").envs as string[]), "HF_HUB_OFFLINE=1"]; },
        on: "vllm",
        expect: {
            "docker-container-require-verifiable-config": ["envs sets HF_HUB_OFFLINE more than once with different values; envs is a set whose order the Docker provider does not keep, so which value wins cannot be verified: set HF_HUB_OFFLINE once."],
            "docker-container-require-offline-env": ['envs: HF_HUB_OFFLINE="0" is off for huggingface_hub (huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)); HF_HUB_OFFLINE is set more than once with different values and envs keeps no order, so this value may win, so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1".'],
        },
    },
    // argv as vLLM's parser reads it.
    {
        title: "--trust_remote_code (vLLM turns _ into -)",
        evade: (p) => { c(p, "vllm").command = [...(c(p, "vllm").command as string[]), "--trust_remote_code"]; },
        secure: () => undefined,
        on: "vllm",
        expect: { "docker-container-restrict-trust-remote-code": [
            `--trust-remote-code is set for "${MODEL_PATH}", which is not on trustRemoteCodeAllowlist: remove --trust-remote-code, or review the model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.`] },
    },
    {
        title: "--config file.yaml (vLLM reads further flags from a file the pack cannot see)",
        evade: (p) => { c(p, "vllm").command = [...(c(p, "vllm").command as string[]), "--config", "/models/serve.yaml"]; },
        secure: (p) => { c(p, "vllm").command = [...(c(p, "vllm").command as string[]), "--max-model-len", "8192"]; },
        on: "vllm",
        expect: { "docker-container-require-verifiable-config": [
            "command passes --config /models/serve.yaml, which vLLM reads as --config: it loads further arguments from a file the pack cannot read: pass the options as flags in command instead."] },
    },
    {
        title: "a flag assembled by the shell at run time",
        evade: (p) => { const v = c(p, "vllm"); v.entrypoints = ["sh", "-c"]; v.command = [`vllm serve ${MODEL_PATH} --trust-$(echo remote)-code`]; },
        secure: (p) => { const v = c(p, "vllm"); v.entrypoints = ["sh", "-c"]; v.command = [`exec vllm serve ${MODEL_PATH} --port 8000`]; },
        on: "vllm",
        expect: { "docker-container-require-verifiable-config": [
            "command runs a shell string with command substitution, so the vLLM server's real command line is built at run time and cannot be checked: use the exec form (entrypoints + command) with literal arguments."] },
    },
    // Users and namespaces.
    {
        title: "user \"00:00\" (the runtime parses it as uid 0)",
        evade: (p) => { c(p, "vllm").user = "00:00"; },
        secure: (p) => { c(p, "vllm").user = "1000:1000"; },
        on: "vllm",
        expect: { "docker-container-require-non-root-user": [
            'user "00:00" is uid 0 (root): this vLLM server must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
    },
    {
        title: "a sidecar in the server's PID namespace (reads its environment, API key included)",
        evade: (p) => { p.containers.sidecar = { args: { name: "sidecar", image: BUSYBOX, networkMode: "none", pidMode: "container:vllm", entrypoints: ["sleep", "3600"], envs: offline, ...sealed() } }; },
        secure: (p) => { p.containers.sidecar = { args: { name: "sidecar", image: BUSYBOX, networkMode: "none", entrypoints: ["sleep", "3600"], envs: offline, ...sealed() } }; },
        on: "sidecar",
        expect: { "docker-container-disallow-host-namespaces": [
            'pidMode "container:vllm" joins another container\'s process namespace, so this container can read its environment (API keys included) and memory: remove pidMode.'] },
    },
    {
        title: "an inline seccomp profile that allows everything",
        evade: (p) => { c(p, "vllm").securityOpts = ["no-new-privileges:true", `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW", syscalls: [] })}`]; },
        secure: (p) => { c(p, "vllm").securityOpts = ["no-new-privileges:true", `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["read", "write", "futex"], action: "SCMP_ACT_ALLOW" }] })}`]; },
        on: "vllm",
        expect: { "docker-container-disallow-unconfined-profiles": [
            'securityOpts[1] "seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[]}" is an inline seccomp profile whose defaultAction "SCMP_ACT_ALLOW" lets every system call through: remove it so Docker\'s default applies.'] },
    },
    {
        title: "the rootless Docker socket mounted into the server",
        evade: (p) => { c(p, "vllm").mounts = [{ type: "bind", source: "/run/user/1000/docker.sock", target: "/var/run/docker.sock" }]; },
        secure: (p) => { c(p, "vllm").mounts = [{ type: "bind", source: "/srv/datasets", target: "/data", readOnly: true }]; },
        on: "vllm",
        expect: { "docker-container-disallow-sensitive-host-mounts": [
            'mounts[0].source "/run/user/1000/docker.sock" is a container runtime socket (docker.sock), which grants root on the host: remove the bind mount and use a named volume for data.'] },
    },
    // Paths out of the enclave that are not networks.
    {
        title: "a log driver that ships prompts and completions off the host",
        evade: (p) => { c(p, "vllm").logDriver = "gelf"; c(p, "vllm").logOpts = { "gelf-address": "udp://logs.example.com:12201" }; },
        secure: (p) => { c(p, "vllm").logDriver = "local"; c(p, "vllm").logOpts = { "max-size": "20m" }; },
        on: "vllm",
        expect: { "docker-container-restrict-log-driver": [
            'logDriver "gelf" is not a driver that keeps logs on the host (json-file, local, journald, none): it can ship prompts and completions out of the enclave — remove logDriver or set "local".'] },
    },
    {
        title: "a model volume whose driver mounts an NFS share",
        evade: (p) => { p.volumes.models = { name: "models", driverOpts: { type: "nfs", o: "addr=10.9.8.7,rw", device: ":/exports/models" } }; },
        secure: (p) => { p.volumes.models = { name: "models" }; },
        on: "models", type: "docker:index/volume:Volume",
        expect: { "docker-volume-disallow-remote-storage": [
            'driverOpts o "addr=10.9.8.7,rw" names a remote address, so the local driver mounts storage the pack cannot verify is on the host (NFS, CIFS, a block device, …): remove driverOpts for a plain named volume.'] },
    },
    {
        title: "a writable volume created outside the stack (could be remote)",
        evade: (p) => { c(p, "vllm").volumes = [...(c(p, "vllm").volumes as object[]), { volumeName: "exported", containerPath: "/out", readOnly: false }] as never; },
        secure: (p) => { c(p, "vllm").volumes = [...(c(p, "vllm").volumes as object[]), { volumeName: "exported", containerPath: "/out", readOnly: true }] as never; },
        on: "vllm",
        expect: { "docker-container-require-declared-volumes": [
            'volumes[1] mounts volume "exported" writable, but no docker.Volume of that name is declared in this stack on the same Docker host, so where its data goes cannot be verified: declare it, or mount it read-only.'] },
    },
    {
        title: "a token hidden in a label",
        evade: (p) => { c(p, "vllm").labels = [{ label: "build.note", value: `hf_${"k".repeat(34)}` }]; },
        secure: (p) => { c(p, "vllm").labels = [{ label: "build.note", value: "reviewed 2026-11" }]; },
        on: "vllm",
        expect: { "docker-container-disallow-literal-secrets": [
            "labels[0] (build.note) contains a credential (Hugging Face token); labels are readable by anyone who can run docker inspect and are stored in plaintext in the state: remove it."] },
    },
    // Resources that run code.
    {
        title: "the server moved into a swarm service",
        evade: (p) => { p.services = { svc: { name: "svc", taskSpec: { containerSpec: { image: VLLM } } } }; },
        secure: () => undefined,
        on: "svc", type: "docker:index/service:Service",
        expect: { "docker-service-disallow-swarm": [
            `docker.Service (${VLLM}) is a swarm service, which the container rules do not cover (its network, env and sandbox are not checked): run it as a docker.Container instead.`] },
    },
    {
        title: "a volume plugin granted every permission",
        evade: (p) => { p.plugins = { sshfs: { name: "vieux/sshfs:latest", grantAllPermissions: true } }; },
        secure: () => undefined,
        on: "sshfs", type: "docker:index/plugin:Plugin",
        expect: { "docker-plugin-disallow-broad-permissions": [
            'grantAllPermissions is true, so plugin "vieux/sshfs:latest" gets every privilege it asks for (host network, devices, capabilities, host mounts): remove it and list reviewed grantPermissions.'] },
    },
];

beforeAll(async () => {
    mocks = await import("../support/mocks");
    await mocks.installMocks();
    pulumi = await import("@pulumi/pulumi");
    docker = await import("@pulumi/docker");
});

describe("evasion suite (prod config)", () => {
    it("the secure base program passes the whole pack", async () => {
        expect(await analyzeResources(await run(secureProgram()), prod)).toEqual([]);
    });

    it("covers every class of issue 6 with at least 20 evasions", () => {
        expect(CASES.length).toBeGreaterThanOrEqual(20);
        expect(new Set(CASES.map((x) => x.title)).size).toBe(CASES.length);
    });

    it.each(CASES.map((x) => [x.title, x] as const))("blocks: %s", async (_t, x) => {
        const p = secureProgram();
        x.evade(p);
        const vs = await analyzeResources(await run(p), prod);
        const on = urnOf({ type: x.type ?? "docker:index/container:Container", name: x.on });
        for (const [policy, messages] of Object.entries(x.expect)) {
            const got = vs.filter((v) => v.policy === policy && v.urn === on);
            expect(got.map((v) => v.message), policy).toEqual(messages);
            expect(got.every((v) => v.enforcementLevel === "mandatory")).toBe(true);
        }
    });

    it.each(CASES.map((x) => [x.title, x] as const))("passes the secure twin of: %s", async (_t, x) => {
        const p = secureProgram();
        x.secure(p);
        expect(await analyzeResources(await run(p), prod)).toEqual([]);
    });
});
