/**
 * The RunPod rules' cases for the table in rules.test.ts (same shape and conventions): the secure endpoint the
 * Airlock RunPod InferenceServer registers, and per rule one mutation per check with the exact message, the
 * missing-property case (unset = RunPod's default) and the unknown-at-preview case.
 */
import { DYNAMIC_RESOURCE_TYPE } from "../../policies/lib/dynamic";
import type { PolicyPackConfigFile } from "../../policies/lib/pack-config";
import { type FixtureResource, UNKNOWN } from "./harness";

type Kind = "check" | "missing" | "unknown" | "scope" | "config";
export interface RunPodCase {
    readonly kind: Kind;
    readonly title: string;
    readonly resources: () => FixtureResource[];
    readonly expect: readonly string[];
    readonly config?: PolicyPackConfigFile;
    readonly on?: string;
}

export const RUNPOD_ENDPOINT = "qwen-runpod";
export const RUNPOD_IMAGE = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/runpod-qwen3-4b:qwen3-4b-cdbee75f17c0@sha256:${"b".repeat(64)}`;
export const RUNPOD_ARN = "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/runpod-qwen3-4b";

/** The inputs the Airlock RunPod InferenceServer registers for a server (secure). */
export const runpodEndpoint = (): Record<string, unknown> => ({
    resourceKind: "runpod:endpoint",
    providerVersion: "1",
    name: "airlock-prod-qwen-runpod",
    templateName: "airlock-prod-qwen-runpod",
    image: RUNPOD_IMAGE,
    env: {
        HF_HUB_OFFLINE: "1", TRANSFORMERS_OFFLINE: "1", HF_DATASETS_OFFLINE: "1",
        HF_HUB_DISABLE_TELEMETRY: "1", VLLM_NO_USAGE_STATS: "1", DO_NOT_TRACK: "1",
        MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", OPENAI_SERVED_MODEL_NAME_OVERRIDE: "qwen3-4b",
        TRUST_REMOTE_CODE: "false", TENSOR_PARALLEL_SIZE: "1", MAX_MODEL_LEN: "8192",
    },
    ports: [],
    ecrRepositoryArn: RUNPOD_ARN,
    containerDiskGb: 50,
    args: "",
    public: false,
    startSsh: false,
    startJupyter: false,
    type: "QUEUE",
    gpuPools: ["ADA_48_PRO"],
    gpuExcludedTypes: [],
    gpuCount: 1,
    allowedCudaVersions: ["12.8"],
    workersMin: 0,
    workersMax: 2,
    idleTimeoutSec: 5,
    scalerType: "QUEUE_DELAY",
    scalerValue: 4,
    executionTimeoutMs: 300_000,
    flashboot: "FLASHBOOT",
    dataCenterIds: ["EU-RO-1"],
    networkVolumeIds: [],
    __provider: "exports.handler = __f0; /* the serialized provider, never read by the pack */",
});

const stack = (props: Record<string, unknown>): FixtureResource[] => [{ type: DYNAMIC_RESOURCE_TYPE, name: RUNPOD_ENDPOINT, props }];
/** The secure endpoint with one change. */
const m = (mutate: (p: Record<string, any>) => void): FixtureResource[] => {
    const p = runpodEndpoint();
    mutate(p);
    return stack(p);
};
const env = (p: Record<string, any>) => p.env as Record<string, string>;
const unknownMsg = (path: string) => `${path} is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
const HUB_READING = 'huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)';
const on = RUNPOD_ENDPOINT;

export const RUNPOD_CASES: Record<string, RunPodCase[]> = {
    "runpod-template-disallow-public": [
        { kind: "scope", title: "the secure endpoint", resources: () => stack(runpodEndpoint()), expect: [] },
        { kind: "check", title: "public template", on, resources: () => m((p) => { p.public = true; }),
            expect: ["public is true, which lists the template in RunPod's public catalog: set public: false."] },
        { kind: "missing", title: "public unset = RunPod's default false", resources: () => m((p) => { delete p.public; }), expect: [] },
        { kind: "unknown", title: "public unknown", on, resources: () => m((p) => { p.public = UNKNOWN.boolean; }), expect: [unknownMsg("public")] },
        { kind: "scope", title: "other dynamic resources are not templates", resources: () => [{ type: DYNAMIC_RESOURCE_TYPE, name: "s", props: { resourceKind: "runpod:secret", public: true } }], expect: [] },
    ],
    "runpod-template-disallow-ssh-jupyter": [
        { kind: "check", title: "SSH on", on, resources: () => m((p) => { p.startSsh = true; }),
            expect: ["startSsh is true, which provisions SSH access (the account's keys as PUBLIC_KEY) in every worker: set startSsh: false."] },
        { kind: "check", title: "Jupyter port exposed", on, resources: () => m((p) => { p.ports = ["8888/http"]; }),
            expect: ['ports[0] "8888/http" exposes JupyterLab: remove it.'] },
        { kind: "check", title: "SSH port exposed", on, resources: () => m((p) => { p.ports = ["22/tcp"]; }), expect: ['ports[0] "22/tcp" exposes SSH: remove it.'] },
        { kind: "missing", title: "startSsh and startJupyter unset = RunPod's default true", on, resources: () => m((p) => { delete p.startSsh; delete p.startJupyter; }),
            expect: [
                "startSsh is unset, and RunPod's default is true, which provisions SSH access (the account's keys as PUBLIC_KEY) in every worker: set startSsh: false.",
                "startJupyter is unset, and RunPod's default is true, which provisions JupyterLab (JUPYTER_PASSWORD) in every worker: set startJupyter: false.",
            ] },
        { kind: "unknown", title: "startJupyter unknown", on, resources: () => m((p) => { p.startJupyter = UNKNOWN.boolean; }), expect: [unknownMsg("startJupyter")] },
    ],
    "runpod-template-restrict-exposed-ports": [
        { kind: "check", title: "vLLM's port exposed through the proxy", on, resources: () => m((p) => { p.ports = ["8000/http"]; }),
            expect: ['ports[0] "8000/http" is exposed through RunPod\'s public proxy and is not in allowedRunPodPorts (none): remove it; a queue endpoint needs no port.'] },
        { kind: "missing", title: "ports unset = none", resources: () => m((p) => { delete p.ports; }), expect: [] },
        { kind: "config", title: "an allow-listed port", config: { all: "mandatory", "runpod-template-restrict-exposed-ports": { allowedRunPodPorts: ["8000/http"] } },
            resources: () => m((p) => { p.ports = ["8000/http", "9000/tcp"]; }), on,
            expect: ['ports[1] "9000/tcp" is exposed through RunPod\'s public proxy and is not in allowedRunPodPorts (8000/http): remove it; a queue endpoint needs no port.'] },
        { kind: "unknown", title: "ports unknown", on, resources: () => m((p) => { p.ports = UNKNOWN.array; }), expect: [unknownMsg("ports")] },
    ],
    "runpod-template-require-secret-references": [
        { kind: "check", title: "a token under an innocent name", on, resources: () => m((p) => { env(p).MODEL_NOTE = `hf_${"a".repeat(34)}`; }),
            expect: ["env.MODEL_NOTE contains a credential (Hugging Face token) in plain text: store it as a RunPod secret and set the value to {{ RUNPOD_SECRET_<name> }}."] },
        { kind: "check", title: "a secret-named value that is not a reference", on, resources: () => m((p) => { env(p).WANDB_API_KEY = "not-a-reference"; }),
            expect: ["env.WANDB_API_KEY names a secret but its value is not a {{ RUNPOD_SECRET_<name> }} reference: store the value as a RunPod secret and reference it."] },
        { kind: "check", title: "a secret reference is accepted (with or without spaces)",
            resources: () => m((p) => { env(p).WANDB_API_KEY = "{{ RUNPOD_SECRET_airlock-prod-wandbKey }}"; env(p).OTHER_TOKEN = "{{RUNPOD_SECRET_x}}"; }), expect: [] },
        { kind: "check", title: "HF_TOKEN, even as a reference (the worker puts it on vLLM's command line)", on,
            resources: () => m((p) => { env(p).HF_TOKEN = "{{ RUNPOD_SECRET_hf }}"; }),
            expect: ["env.HF_TOKEN is passed by the RunPod worker to vLLM as --hf-token on its command line, and an offline server needs no Hub token: remove it."] },
        { kind: "check", title: "a credential in args", on, resources: () => m((p) => { p.args = `--key sk-${"x".repeat(24)}`; }),
            expect: ["args contains a credential (OpenAI-style secret key): remove it; pass secrets as {{ RUNPOD_SECRET_<name> }} env references."] },
        { kind: "check", title: "tokenizer settings are not secrets", resources: () => m((p) => { env(p).TOKENIZER_MODE = "auto"; env(p).MAX_NUM_BATCHED_TOKENS = "8192"; }), expect: [] },
        { kind: "missing", title: "no env at all (other rules report it)", resources: () => m((p) => { delete p.env; }), expect: [] },
        { kind: "unknown", title: "an env value unknown", on, resources: () => m((p) => { env(p).API_TOKEN = UNKNOWN.string; }), expect: [unknownMsg("env.API_TOKEN")] },
    ],
    "runpod-template-require-pinned-image": [
        { kind: "check", title: "a tag without digest", on, resources: () => m((p) => { p.image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/runpod-qwen3-4b:v1"; }),
            expect: ['image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/runpod-qwen3-4b:v1" is not pinned by digest: append "@sha256:<64 hex>" with the digest of the reviewed image (docker buildx imagetools inspect <image>).'] },
        { kind: "check", title: "latest", on, resources: () => m((p) => { p.image = "runpod/worker-v1-vllm:latest"; }),
            expect: ['image "runpod/worker-v1-vllm:latest" uses the mutable tag "latest": reference a version tag pinned by digest ("<registry>/runpod/worker-v1-vllm:<version>@sha256:<64 hex>").'] },
        { kind: "missing", title: "image unset", on, resources: () => m((p) => { delete p.image; }),
            expect: ['image is empty: set it to a digest-pinned reference "<registry>/<repository>:<tag>@sha256:<64 hex>".'] },
        { kind: "unknown", title: "image unknown", on, resources: () => m((p) => { p.image = UNKNOWN.string; }), expect: [unknownMsg("image")] },
    ],
    "runpod-template-require-allowed-registry": [
        { kind: "check", title: "Docker Hub image", on, resources: () => m((p) => { p.image = `runpod/worker-v1-vllm:v2.27.0@sha256:${"c".repeat(64)}`; delete p.ecrRepositoryArn; p.registry = "reg123"; }),
            expect: [`image "runpod/worker-v1-vllm:v2.27.0@sha256:${"c".repeat(64)}" comes from registry "docker.io", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`] },
        { kind: "check", title: "no registry auth", on, resources: () => m((p) => { delete p.ecrRepositoryArn; }),
            expect: [`image "${RUNPOD_IMAGE}" is pulled without registry auth (neither registry nor ecrRepositoryArn is set): add an ECR delegation for the repository (ecrRepositoryArn) or a registry credential (registry).`] },
        { kind: "check", title: "a delegation for another repository", on, resources: () => m((p) => { p.ecrRepositoryArn = "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/other"; }),
            expect: [`ecrRepositoryArn "arn:aws:ecr:eu-west-1:123456789012:repository/airlock/other" does not cover image "${RUNPOD_IMAGE}" (its repository is ${RUNPOD_ARN}): delegate that repository.`] },
        { kind: "check", title: "a registry credential whose id is computed (unknown at preview) counts as auth",
            resources: () => m((p) => { delete p.ecrRepositoryArn; p.registry = UNKNOWN.string; }), expect: [] },
        { kind: "missing", title: "image unset (the pinning rule reports it)", on, resources: () => m((p) => { delete p.image; delete p.ecrRepositoryArn; p.registry = "reg123"; }), expect: [] },
        { kind: "config", title: "another allowed registry", config: { all: "mandatory", "runpod-template-require-allowed-registry": { allowedRegistries: ["registry.internal:5000"], allowedRegistryPatterns: [] } },
            on, resources: () => stack(runpodEndpoint()),
            expect: [`image "${RUNPOD_IMAGE}" comes from registry "123456789012.dkr.ecr.eu-west-1.amazonaws.com", which is not allowed (allowed: "registry.internal:5000"): mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`] },
        { kind: "unknown", title: "ecrRepositoryArn unknown", on, resources: () => m((p) => { p.ecrRepositoryArn = UNKNOWN.string; }), expect: [unknownMsg("ecrRepositoryArn")] },
    ],
    "runpod-template-require-offline-env": [
        { kind: "check", title: "HF_HUB_OFFLINE= 1 (not trimmed: online)", on, resources: () => m((p) => { env(p).HF_HUB_OFFLINE = " 1"; }),
            expect: [`env: HF_HUB_OFFLINE=" 1" is off for huggingface_hub (${HUB_READING}), so the RunPod worker could call a model hub: set HF_HUB_OFFLINE: "1".`] },
        { kind: "check", title: "ModelScope on", on, resources: () => m((p) => { env(p).VLLM_USE_MODELSCOPE = "true"; }),
            expect: ['env: VLLM_USE_MODELSCOPE="true" is on for vLLM, which then loads models from ModelScope (a hub the offline switches do not cover) (vLLM lowercases it: "true" is on), so the RunPod worker could call a model hub: set VLLM_USE_MODELSCOPE: "False".'] },
        { kind: "missing", title: "TRANSFORMERS_OFFLINE missing", on, resources: () => m((p) => { delete env(p).TRANSFORMERS_OFFLINE; }),
            expect: ['env: TRANSFORMERS_OFFLINE is not set, so the RunPod worker could call a model hub: set TRANSFORMERS_OFFLINE: "1".'] },
        { kind: "unknown", title: "HF_DATASETS_OFFLINE unknown", on, resources: () => m((p) => { env(p).HF_DATASETS_OFFLINE = UNKNOWN.string; }), expect: [unknownMsg("env.HF_DATASETS_OFFLINE")] },
    ],
    "runpod-template-require-telemetry-off": [
        { kind: "check", title: "VLLM_NO_USAGE_STATS=true (vLLM compares with \"1\")", on, resources: () => m((p) => { env(p).VLLM_NO_USAGE_STATS = "true"; }),
            expect: ['env: VLLM_NO_USAGE_STATS="true" is off for vLLM (vLLM reads it as on only for the exact string "1"), so the RunPod worker could send telemetry: set VLLM_NO_USAGE_STATS: "1".'] },
        { kind: "missing", title: "DO_NOT_TRACK missing", on, resources: () => m((p) => { delete env(p).DO_NOT_TRACK; }),
            expect: ['env: DO_NOT_TRACK is not set, so the RunPod worker could send telemetry: set DO_NOT_TRACK: "1".'] },
        { kind: "unknown", title: "env unknown", on, resources: () => m((p) => { p.env = UNKNOWN.object; }), expect: [unknownMsg("env")] },
    ],
    "runpod-template-require-local-model": [
        { kind: "check", title: "a hub id (the worker downloads it at start)", on, resources: () => m((p) => { env(p).MODEL_NAME = "Qwen/Qwen3-4B-Instruct-2507"; }),
            expect: ['env makes the worker serve model "Qwen/Qwen3-4B-Instruct-2507" from a model hub: bake it into the image and set its local path under /models.'] },
        { kind: "check", title: "VLLM_EXTRA_ARGS overrides MODEL_NAME (appended last)", on, resources: () => m((p) => { env(p).VLLM_EXTRA_ARGS = "--model 'org/evil model'"; }),
            expect: [
                "env gives the model 2 times (MODEL_NAME and VLLM_EXTRA_ARGS), and the last one wins: give it once, as MODEL_NAME.",
                'env makes the worker serve model "org/evil model" from a model hub: bake it into the image and set its local path under /models.',
            ] },
        { kind: "check", title: "a path outside the model roots, a hub tokenizer", on,
            resources: () => m((p) => { env(p).MODEL_NAME = "/runpod-volume/models/x"; env(p).TOKENIZER_NAME = "org/tok"; }),
            expect: [
                'env makes the worker serve model "/runpod-volume/models/x", which is not under an allowed model root (/models): use the baked path, e.g. /models/<org>--<name>.',
                'env makes the worker serve tokenizer "org/tok" from a model hub: bake it into the image and set its local path under /models.',
            ] },
        { kind: "check", title: "an argument file and an unclosed quote", on, resources: () => m((p) => { env(p).VLLM_CONFIG_FILE = "/models/cfg.yaml"; env(p).VLLM_EXTRA_ARGS = "--x 'open"; }),
            expect: [
                "env: VLLM_EXTRA_ARGS has an unclosed quotation, which the worker cannot split (it stops at startup): fix the value.",
                "env passes an argument file (VLLM_CONFIG_FILE or --config), whose contents the pack cannot read: set the options as env vars instead.",
            ] },
        { kind: "missing", title: "MODEL_NAME unset", on, resources: () => m((p) => { delete env(p).MODEL_NAME; }),
            expect: ["env sets no model (MODEL_NAME), so the worker has nothing to serve: set MODEL_NAME to the baked model's path under /models."] },
        { kind: "config", title: "another model root", config: { all: "mandatory", "runpod-template-require-local-model": { allowedModelRoots: ["/opt/models"] } }, on,
            resources: () => stack(runpodEndpoint()),
            expect: ['env makes the worker serve model "/models/Qwen--Qwen3-4B-Instruct-2507", which is not under an allowed model root (/opt/models): use the baked path, e.g. /models/<org>--<name>.'] },
        { kind: "unknown", title: "MODEL_NAME unknown", on, resources: () => m((p) => { env(p).MODEL_NAME = UNKNOWN.string; }), expect: [unknownMsg("env.MODEL_NAME")] },
    ],
    "runpod-template-restrict-trust-remote-code": [
        { kind: "check", title: "TRUST_REMOTE_CODE=Yes (the worker reads yes in any case)", on, resources: () => m((p) => { env(p).TRUST_REMOTE_CODE = "Yes"; }),
            expect: ['--trust-remote-code is on for "/models/Qwen--Qwen3-4B-Instruct-2507", which is not an allow-listed model\'s baked directory: set TRUST_REMOTE_CODE: "false", or review the model\'s code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.'] },
        { kind: "check", title: "--trust_remote_code in VLLM_EXTRA_ARGS (vLLM's spelling)", on, resources: () => m((p) => { env(p).VLLM_EXTRA_ARGS = "--trust_remote_code"; }),
            expect: ['--trust-remote-code is on for "/models/Qwen--Qwen3-4B-Instruct-2507", which is not an allow-listed model\'s baked directory: set TRUST_REMOTE_CODE: "false", or review the model\'s code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.'] },
        { kind: "check", title: "vLLM dev mode and the tokenizer-info endpoint", on, resources: () => m((p) => { env(p).VLLM_SERVER_DEV_MODE = "1"; env(p).ENABLE_TOKENIZER_INFO_ENDPOINT = "true"; }),
            expect: [
                'env: VLLM_SERVER_DEV_MODE="1" is on for vLLM and enables the development endpoints (arbitrary RPC into the engine): remove VLLM_SERVER_DEV_MODE or set it to "0".',
                "env turns on --enable-tokenizer-info-endpoint (an internals endpoint of vLLM): remove it.",
            ] },
        { kind: "missing", title: "TRUST_REMOTE_CODE unset = off", resources: () => m((p) => { delete env(p).TRUST_REMOTE_CODE; }), expect: [] },
        { kind: "config", title: "allow-listed model", config: { all: "mandatory", "runpod-template-restrict-trust-remote-code": { trustRemoteCodeAllowlist: [{ model: "Qwen/Qwen3-4B-Instruct-2507", revision: "cdbee75f17c01a7cc42f958dc650907174af0554" }] } },
            resources: () => m((p) => { env(p).TRUST_REMOTE_CODE = "true"; }), expect: [] },
        { kind: "unknown", title: "TRUST_REMOTE_CODE unknown", on, resources: () => m((p) => { env(p).TRUST_REMOTE_CODE = UNKNOWN.string; }), expect: [unknownMsg("env.TRUST_REMOTE_CODE")] },
    ],
    "runpod-endpoint-restrict-scaling-bounds": [
        { kind: "check", title: "too many workers, long idle and execution timeouts", on,
            resources: () => m((p) => { p.workersMax = 8; p.idleTimeoutSec = 600; p.executionTimeoutMs = 3_600_000; }),
            expect: [
                "workersMax is 8, above maxRunPodWorkers 3: set it to at most 3.",
                "idleTimeoutSec is 600 s, above maxRunPodIdleTimeoutSec 60 s: set it to at most 60 s.",
                "executionTimeoutMs is 3600000 ms, above maxRunPodExecutionTimeoutMs 600000 ms: set it to at most 600000 ms.",
            ] },
        { kind: "check", title: "REQUEST_COUNT scaling on a queue endpoint has no idle timeout", resources: () => m((p) => { p.scalerType = "REQUEST_COUNT"; delete p.idleTimeoutSec; }), expect: [] },
        { kind: "missing", title: "unset = RunPod's defaults (within dev's limits)", resources: () => m((p) => { delete p.workersMax; delete p.idleTimeoutSec; delete p.executionTimeoutMs; }), expect: [] },
        { kind: "config", title: "prod is stricter (unset defaults exceed it)", config: { all: "mandatory", "runpod-endpoint-restrict-scaling-bounds": { maxRunPodWorkers: 2, maxRunPodIdleTimeoutSec: 5, maxRunPodExecutionTimeoutMs: 120000 } }, on,
            resources: () => m((p) => { delete p.workersMax; delete p.idleTimeoutSec; delete p.executionTimeoutMs; }),
            expect: [
                "workersMax is unset (RunPod's default 3), above maxRunPodWorkers 2: set it to at most 2.",
                "idleTimeoutSec is unset (RunPod's default 10 s), above maxRunPodIdleTimeoutSec 5 s: set it to at most 5 s.",
                "executionTimeoutMs is unset (RunPod's default 300000 ms), above maxRunPodExecutionTimeoutMs 120000 ms: set it to at most 120000 ms.",
            ] },
        { kind: "unknown", title: "workersMax unknown", on, resources: () => m((p) => { p.workersMax = UNKNOWN.number; }), expect: [unknownMsg("workersMax")] },
    ],
};
