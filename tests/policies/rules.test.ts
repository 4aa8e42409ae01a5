/**
 * Per-policy behaviour, table-driven: for every policy at least one mutation per check with the EXACT message,
 * the missing-property case (undefined = the provider default), and the unknown-at-preview case (a MANDATORY
 * violation naming the field, not the SDK's advisory downgrade). Each case starts from the secure dev stack
 * (fixtures.ts) and changes one thing; the assertion covers exactly the messages of the policy under test.
 * Default config: policies/config/dev.json (as the dev stack runs), unless a case sets its own.
 */
import { describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { CONFIG_PROPERTIES } from "../../policies/lib/config";
import { DOCKER_TYPES } from "../../policies/lib/docker-types";
import { type PolicyPackConfigFile, loadEnvironmentConfig, reconcilePolicyConfig } from "../../policies/lib/pack-config";
import {
    API_KEY, ECR, MODEL_PATH, MODEL_REVISION, N, TRAINER_IMAGE, VLLM_IMAGE, inference, mutated, secureStack,
} from "./fixtures";
import { type FixtureResource, UNKNOWN, analyzeResources, urnOf } from "./harness";

type Kind = "check" | "missing" | "unknown" | "scope" | "config";
interface Case {
    readonly kind: Kind;
    readonly title: string;
    readonly resources: () => FixtureResource[];
    /** Exact messages of the policy under test (order as reported). */
    readonly expect: readonly string[];
    readonly config?: PolicyPackConfigFile;
    /** Resource whose URN every expected violation carries. */
    readonly on?: string;
}

const dev = loadEnvironmentConfig("dev");
const m = mutated;
const unknownMsg = (path: string) =>
    `${path} is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
const arr = (v: unknown) => v as string[];
const envsWithout = (p: Record<string, unknown>, key: string) => { p.envs = arr(p.envs).filter((e) => !e.startsWith(`${key}=`)); };
const setEnv = (p: Record<string, unknown>, entry: string) => {
    envsWithout(p, entry.slice(0, entry.indexOf("=")));
    p.envs = [...arr(p.envs), entry];
};
const unlabeled = (p: Record<string, unknown>) => { p.labels = undefined; };

const NET_FIX = 'set networkMode to "none" or to the name of a docker.Network with internal: true declared in this program';
const LOCAL_ONLY = "(allowed: \"localhost:5000\", /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/)";
const REGISTRY_FIX = "mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.";
const HF_TOKEN = `hf_${"a".repeat(34)}`;

const CASES: Record<string, Case[]> = {
    "docker-container-require-internal-network": [
        { kind: "check", title: "networkMode bridge on the inference server", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = "bridge"; }),
            expect: [`networkMode "bridge" gives this vLLM server a route out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "serving network not internal", on: N.inference,
            resources: () => m(N.serving, (p) => { p.internal = false; }),
            expect: [`networkMode "airlock-dev-serving" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "check", title: "a network the stack does not declare (fail closed)", on: N.training,
            resources: () => m(N.training, (p) => { p.networkMode = "corp-net"; }),
            expect: [`networkMode "corp-net" names no docker.Network declared in this stack, so it cannot be verified as internal for this training container: ${NET_FIX}.`] },
        { kind: "check", title: "networksAdvanced entry on the egress network", on: N.training,
            resources: () => m(N.training, (p) => { p.networksAdvanced = [{ name: "airlock-dev-serving" }, { name: "airlock-dev-staging" }]; }),
            expect: [`networksAdvanced[1].name "airlock-dev-staging" names a docker.Network that is not internal, so this training container has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "check", title: "another container's network namespace", on: N.training,
            resources: () => m(N.training, (p) => { p.networkMode = "container:proxy"; }),
            expect: [`networkMode "container:proxy" shares another container's network, which cannot be verified as internal for this training container: ${NET_FIX}.`] },
        { kind: "check", title: "unlabeled vLLM server (recognised by argv) on host", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); p.networkMode = "host"; }),
            expect: [`networkMode "host" gives this vLLM server a route out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "a vLLM server labeled model-staging is still inference", on: N.inference,
            resources: () => m(N.inference, (p) => { p.labels = [{ label: "airlock.dev/role", value: "model-staging" }]; p.networkMode = "airlock-dev-staging"; }),
            expect: [`networkMode "airlock-dev-staging" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "scope", title: "model-staging on the egress network is allowed", resources: () => secureStack(), expect: [] },
        { kind: "scope", title: "an unlabeled non-vLLM container is out of scope",
            resources: () => m(N.training, (p) => { unlabeled(p); p.networkMode = "bridge"; }), expect: [] },
        { kind: "missing", title: "networkMode unset = Docker's default bridge", on: N.training,
            resources: () => m(N.training, (p) => { p.networkMode = undefined; }),
            expect: [`networkMode is unset, so Docker attaches this training container to its default bridge network, which routes out of the host: ${NET_FIX}.`] },
        { kind: "unknown", title: "networkMode unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = UNKNOWN.string; }), expect: [unknownMsg("networkMode")] },
        { kind: "unknown", title: "the network's internal flag unknown", on: N.inference,
            resources: () => m(N.serving, (p) => { p.internal = UNKNOWN.boolean; }),
            expect: ['networkMode "airlock-dev-serving" names a docker.Network whose internal is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.'] },
        { kind: "unknown", title: "the network's name unknown", on: N.inference,
            resources: () => m(N.serving, (p) => { p.name = UNKNOWN.string; }),
            expect: [`networkMode "airlock-dev-serving" names no docker.Network declared in this stack (the name of docker.Network "${N.serving}" is unknown at preview — make network names plain values), so it cannot be verified as internal for this vLLM server: ${NET_FIX}.`] },
    ],
    "docker-container-restrict-published-ports": [
        { kind: "check", title: "port on 0.0.0.0", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, external: 18000, ip: "0.0.0.0" }]; }),
            expect: ['ports[0].ip "0.0.0.0" is not an allowed bind IP (allowed: 127.0.0.1): bind container port 8000 to an allowed IP or remove the port.'] },
        { kind: "check", title: "publishAllPorts", on: N.training,
            resources: () => m(N.training, (p) => { p.publishAllPorts = true; }),
            expect: ["publishAllPorts is true, which publishes every exposed port on all host interfaces: set publishAllPorts to false and publish single ports bound to an allowed IP."] },
        { kind: "check", title: "a model-staging container publishes a port", on: N.stage,
            resources: () => m(N.stage, (p) => { p.ports = [{ internal: 8080, ip: "127.0.0.1" }]; }),
            expect: ["ports[0] publishes container port 8080 from a model-staging container, which must not accept connections: remove ports."] },
        { kind: "missing", title: "ports[].ip unset = 0.0.0.0", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, external: 18000 }]; }),
            expect: ["ports[0].ip is unset, so container port 8000 is published on 0.0.0.0 (every host interface): set ip to an allowed bind IP (127.0.0.1) or remove the port."] },
        { kind: "missing", title: "no ports at all", resources: () => m(N.inference, (p) => { p.ports = undefined; }), expect: [] },
        { kind: "config", title: "allowedPortBindIps override", on: N.inference,
            config: { "docker-container-restrict-published-ports": { allowedPortBindIps: ["10.0.0.5"] } },
            resources: () => secureStack(),
            expect: ['ports[0].ip "127.0.0.1" is not an allowed bind IP (allowed: 10.0.0.5): bind container port 8000 to an allowed IP or remove the port.'] },
        { kind: "unknown", title: "ports[0].ip unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, ip: UNKNOWN.string }]; }), expect: [unknownMsg("ports[0].ip")] },
    ],
    "docker-container-require-offline-env": [
        { kind: "check", title: "HF_HUB_OFFLINE=0", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "HF_HUB_OFFLINE=0")),
            expect: ['envs sets HF_HUB_OFFLINE to "0", which is not truthy (1, ON, YES, TRUE): set "HF_HUB_OFFLINE=1".'] },
        { kind: "check", title: "a bare key without value", on: N.training,
            resources: () => m(N.training, (p) => { envsWithout(p, "HF_DATASETS_OFFLINE"); p.envs = [...arr(p.envs), "HF_DATASETS_OFFLINE"]; }),
            expect: ['envs sets HF_DATASETS_OFFLINE without a value, which is not truthy (1, ON, YES, TRUE): set "HF_DATASETS_OFFLINE=1".'] },
        { kind: "check", title: "truthy spellings are accepted (true, On, YES)",
            resources: () => m(N.inference, (p) => { setEnv(p, "HF_HUB_OFFLINE=true"); setEnv(p, "TRANSFORMERS_OFFLINE=On"); setEnv(p, "HF_DATASETS_OFFLINE= YES"); }),
            expect: [] },
        { kind: "check", title: "the last duplicate wins (as in Docker)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = [...arr(p.envs), "TRANSFORMERS_OFFLINE=no"]; }),
            expect: ['envs sets TRANSFORMERS_OFFLINE to "no", which is not truthy (1, ON, YES, TRUE): set "TRANSFORMERS_OFFLINE=1".'] },
        { kind: "missing", title: "TRANSFORMERS_OFFLINE missing on an unlabeled vLLM server", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); envsWithout(p, "TRANSFORMERS_OFFLINE"); }),
            expect: ['envs does not set TRANSFORMERS_OFFLINE; the vLLM server could call the Hugging Face Hub: add "TRANSFORMERS_OFFLINE=1" to envs.'] },
        { kind: "missing", title: "envs unset on a training container", on: N.training,
            resources: () => m(N.training, (p) => { p.envs = undefined; }),
            expect: ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"].map((k) =>
                `envs does not set ${k}; the training container could call the Hugging Face Hub: add "${k}=1" to envs.`) },
        { kind: "scope", title: "model-staging needs the hub", resources: () => secureStack(), expect: [] },
        { kind: "unknown", title: "envs unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = UNKNOWN.string; }), expect: [unknownMsg("envs")] },
    ],
    "docker-container-require-telemetry-off": [
        { kind: "check", title: "VLLM_NO_USAGE_STATS=false", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "VLLM_NO_USAGE_STATS=false")),
            expect: ['envs sets VLLM_NO_USAGE_STATS to "false", which is not truthy (1, ON, YES, TRUE): set "VLLM_NO_USAGE_STATS=1".'] },
        { kind: "missing", title: "DO_NOT_TRACK missing", on: N.training,
            resources: () => m(N.training, (p) => envsWithout(p, "DO_NOT_TRACK")),
            expect: ['envs does not set DO_NOT_TRACK; the training container could send telemetry: add "DO_NOT_TRACK=1" to envs.'] },
        { kind: "unknown", title: "one env entry unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.envs = [...arr(p.envs), UNKNOWN.string]; }), expect: [unknownMsg("envs[12]")] },
    ],
    "docker-container-require-pinned-model": [
        { kind: "check", title: "hub id without --revision", on: N.inference,
            resources: () => m(N.inference, (p) => { arr(p.command)[0] = "Qwen/Qwen3-4B-Instruct-2507"; }),
            expect: ['command serves hub model "Qwen/Qwen3-4B-Instruct-2507" without --revision: serve the staged local path (/models/<org>--<name>) or pin the commit with --revision <40-hex commit>.'] },
        { kind: "check", title: "hub id at a branch", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = ["Qwen/Qwen3-4B-Instruct-2507", "--revision", "main"]; }),
            expect: ['command pins hub model "Qwen/Qwen3-4B-Instruct-2507" with --revision "main", which is not a 40-hex commit SHA: use the full commit id (a branch or tag can move).'] },
        { kind: "check", title: "hub id pinned to a commit is accepted",
            resources: () => m(N.inference, (p) => { p.command = ["Qwen/Qwen3-4B-Instruct-2507", `--revision=${MODEL_REVISION}`]; }), expect: [] },
        { kind: "check", title: "a path outside the model roots", on: N.inference,
            resources: () => m(N.inference, (p) => { arr(p.command)[0] = "/models/../data/qwen"; }),
            expect: ['command serves model "/models/../data/qwen", which is not under an allowed model root (/models): serve the read-only model store mount, e.g. /models/<org>--<name>.'] },
        { kind: "check", title: "python -m entrypoint with --model=<hub id> (unlabeled)", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); p.entrypoints = ["python3", "-m", "vllm.entrypoints.openai.api_server"]; p.command = ["--model=meta-llama/Llama-3.1-8B-Instruct"]; }),
            expect: ['command serves hub model "meta-llama/Llama-3.1-8B-Instruct" without --revision: serve the staged local path (/models/<org>--<name>) or pin the commit with --revision <40-hex commit>.'] },
        { kind: "check", title: "a relative path", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["sh", "-c"]; p.command = ["vllm serve ./qwen --port 8000"]; }),
            expect: ['command serves model "./qwen", which is neither an absolute path under an allowed model root (/models) nor a hub id "org/name": serve the staged local path, e.g. /models/<org>--<name>.'] },
        { kind: "check", title: "tokenizer from the hub without --tokenizer-revision", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--tokenizer", "Qwen/Qwen3-4B"]; }),
            expect: ['command serves hub tokenizer "Qwen/Qwen3-4B" without --tokenizer-revision: serve the staged local path (/models/<org>--<name>) or pin the commit with --tokenizer-revision <40-hex commit>.'] },
        { kind: "check", title: "staging download without --revision", on: N.stage,
            resources: () => m(N.stage, (p) => { p.command = ["download", "Qwen/Qwen3-4B-Instruct-2507", "--local-dir", MODEL_PATH]; }),
            expect: ['command downloads "Qwen/Qwen3-4B-Instruct-2507" from the hub without --revision: pin the reviewed commit with --revision <40-hex commit>.'] },
        { kind: "check", title: "staging download at a tag", on: N.stage,
            resources: () => m(N.stage, (p) => { arr(p.command)[3] = "v1.0"; }),
            expect: ['command downloads "Qwen/Qwen3-4B-Instruct-2507" at --revision "v1.0", which is not a 40-hex commit SHA: use the full commit id.'] },
        { kind: "missing", title: "no model in argv (vLLM falls back to its default hub model)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = ["--port", "8000"]; }),
            expect: ["command names no model, so vLLM would download its default model from the hub: serve a local path, e.g. `vllm serve /models/<org>--<name>`."] },
        { kind: "missing", title: "vLLM image with its own entrypoint and no command", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); p.entrypoints = undefined; p.command = undefined; }),
            expect: ["command names no model, so vLLM would download its default model from the hub: serve a local path, e.g. `vllm serve /models/<org>--<name>`."] },
        { kind: "config", title: "allowedModelRoots override", on: N.inference,
            config: { "docker-container-require-pinned-model": { allowedModelRoots: ["/weights"] } },
            resources: () => secureStack(),
            expect: [`command serves model "${MODEL_PATH}", which is not under an allowed model root (/weights): serve the read-only model store mount, e.g. /models/<org>--<name>.`] },
        { kind: "unknown", title: "command element unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { arr(p.command)[0] = UNKNOWN.string; }), expect: [unknownMsg("command[0]")] },
    ],
    "docker-container-restrict-trust-remote-code": [
        { kind: "check", title: "local model not on the allowlist", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--trust-remote-code"]; }),
            expect: [`--trust-remote-code is set for "${MODEL_PATH}", which is not on trustRemoteCodeAllowlist: remove --trust-remote-code, or review the model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.`] },
        { kind: "config", title: "allow-listed local model",
            config: { "docker-container-restrict-trust-remote-code": { trustRemoteCodeAllowlist: [{ model: "Qwen/Qwen3-4B-Instruct-2507", revision: MODEL_REVISION }] } },
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--trust-remote-code"]; }), expect: [] },
        { kind: "config", title: "allow-listed hub model at another revision", on: N.inference,
            config: { "docker-container-restrict-trust-remote-code": { trustRemoteCodeAllowlist: [{ model: "Qwen/Qwen3-4B-Instruct-2507", revision: MODEL_REVISION }] } },
            resources: () => m(N.inference, (p) => { p.command = ["Qwen/Qwen3-4B-Instruct-2507", "--revision", "f".repeat(40), "--trust-remote-code"]; }),
            expect: [`--trust-remote-code for "Qwen/Qwen3-4B-Instruct-2507" requires --revision ${MODEL_REVISION} (the allow-listed commit), got --revision "${"f".repeat(40)}": pin the reviewed commit.`] },
        { kind: "check", title: "remote code in a container whose model cannot be identified", on: N.training,
            resources: () => m(N.training, (p) => { p.command = [...arr(p.command), "--trust-remote-code"]; }),
            expect: ["--trust-remote-code is set but command names no model this policy can check: remove --trust-remote-code, or run an allow-listed model with `vllm serve <model>`."] },
        { kind: "missing", title: "no allowlist configured = nothing allowed (hub id)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = ["Qwen/Qwen3-4B-Instruct-2507", "--revision", MODEL_REVISION, "--trust-remote-code=true"]; }),
            expect: ['--trust-remote-code is set for "Qwen/Qwen3-4B-Instruct-2507", which is not on trustRemoteCodeAllowlist: remove --trust-remote-code, or review the model\'s code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.'] },
        { kind: "unknown", title: "entrypoints unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = UNKNOWN.string; }), expect: [unknownMsg("entrypoints")] },
    ],
    "docker-container-disallow-literal-secrets": [
        { kind: "check", title: "a Hugging Face token under an innocuous env name (never echoed)", on: N.stage,
            resources: () => m(N.stage, (p) => setEnv(p, `MODEL_NOTE=${HF_TOKEN}`)),
            expect: ["envs entry MODEL_NOTE contains a credential (Hugging Face token) under a name that does not announce a secret: remove it, or pass it from a Pulumi secret under a secret-named key (e.g. HF_TOKEN) with additionalSecretOutputs: [\"envs\"]."] },
        { kind: "check", title: "a Hugging Face token in envs that are not a secret output", on: N.training,
            resources: () => m(N.training, (p) => setEnv(p, `HF_TOKEN=${HF_TOKEN}`)),
            expect: ["envs entry HF_TOKEN contains a credential (Hugging Face token) and additionalSecretOutputs does not list \"envs\", so it would be stored in plaintext in the state: build it from a Pulumi secret and pass { additionalSecretOutputs: [\"envs\"] }."] },
        { kind: "scope", title: "a real token under HF_TOKEN on a container whose envs are a secret output is accepted",
            resources: () => m(N.stage, (p) => setEnv(p, `HF_TOKEN=${HF_TOKEN}`)), expect: [] },
        { kind: "check", title: "an AWS key in command", on: N.training,
            resources: () => m(N.training, (p) => { p.command = [...arr(p.command), "--aws-key", "AKIAABCDEFGHIJKLMNOP"]; }),
            expect: ["command[3] contains a credential (AWS access key id): remove it; a credential in argv is visible through docker inspect and ps — pass it by env from a secret."] },
        { kind: "check", title: "a token in a shell-form entrypoint", on: N.training,
            resources: () => m(N.training, (p) => { p.entrypoints = [`sh -c "curl -H 'Authorization: Bearer ${HF_TOKEN}' x"`]; }),
            expect: ["entrypoints[0] contains a credential (Hugging Face token): remove it; a credential in argv is visible through docker inspect and ps — pass it by env from a secret."] },
        { kind: "check", title: "a token in the healthcheck", on: N.inference,
            resources: () => m(N.inference, (p) => { p.healthcheck = { tests: ["CMD", "curl", "-H", `Authorization: Bearer sk-${"x".repeat(24)}`] }; }),
            expect: ["healthcheck.tests[3] contains a credential (OpenAI-style secret key): remove it; a credential in argv is visible through docker inspect and ps — pass it by env from a secret."] },
        { kind: "missing", title: "no envs, no command", resources: () => m(N.training, (p) => { p.envs = undefined; p.command = undefined; }), expect: [] },
        { kind: "unknown", title: "healthcheck unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.healthcheck = UNKNOWN.object; }), expect: [unknownMsg("healthcheck")] },
    ],
    "docker-container-require-secret-env-protection": [
        { kind: "check", title: "secret-named env without additionalSecretOutputs", on: N.inference,
            resources: () => secureStack().map((r) => (r.name === N.inference ? { ...r, opts: { additionalSecretOutputs: ["name"] } } : r)),
            expect: ['envs holds secret-named key VLLM_API_KEY but the resource option additionalSecretOutputs does not list "envs", so the values can be stored in plaintext in the state: pass { additionalSecretOutputs: ["envs"] } and build the entries from Pulumi secrets.'] },
        { kind: "check", title: "several keys, no resource options at all", on: N.stage,
            resources: () => secureStack().map((r) => (r.name === N.stage ? { ...r, opts: undefined, props: { ...r.props, envs: ["HF_TOKEN=x", "DB_PASSWORD=y"] } } : r)),
            expect: ['envs holds secret-named keys HF_TOKEN, DB_PASSWORD but the resource option additionalSecretOutputs does not list "envs", so the values can be stored in plaintext in the state: pass { additionalSecretOutputs: ["envs"] } and build the entries from Pulumi secrets.'] },
        { kind: "scope", title: "TOKENIZERS_PARALLELISM is not a secret",
            resources: () => m(N.training, (p) => setEnv(p, "TOKENIZERS_PARALLELISM=false")), expect: [] },
        { kind: "missing", title: "envs unset", resources: () => m(N.inference, (p) => { p.envs = undefined; }), expect: [] },
        { kind: "unknown", title: "envs unknown", on: N.stage,
            resources: () => m(N.stage, (p) => { p.envs = UNKNOWN.string; }), expect: [unknownMsg("envs")] },
    ],
    "docker-container-require-vllm-api-key": [
        { kind: "check", title: "--api-key literal in argv", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--api-key", API_KEY]; }),
            expect: ["command passes --api-key, which exposes the key through docker inspect and ps: remove it and set VLLM_API_KEY in envs from a Pulumi secret."] },
        { kind: "check", title: "empty VLLM_API_KEY", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "VLLM_API_KEY=")),
            expect: ["envs does not set VLLM_API_KEY, so this vLLM server accepts unauthenticated requests: add \"VLLM_API_KEY=<key>\" built from a Pulumi secret (and list envs in additionalSecretOutputs)."] },
        { kind: "missing", title: "VLLM_API_KEY missing on an unlabeled server using the image entrypoint", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); envsWithout(p, "VLLM_API_KEY"); p.entrypoints = undefined; }),
            expect: ["envs does not set VLLM_API_KEY, so this vLLM server accepts unauthenticated requests: add \"VLLM_API_KEY=<key>\" built from a Pulumi secret (and list envs in additionalSecretOutputs)."] },
        { kind: "scope", title: "the staging container (vLLM image, hf entrypoint) is not a server", resources: () => secureStack(), expect: [] },
        { kind: "unknown", title: "entrypoints unknown (cannot classify)", on: N.stage,
            resources: () => m(N.stage, (p) => { p.entrypoints = [UNKNOWN.string]; }), expect: [unknownMsg("entrypoints[0]")] },
    ],
    "docker-container-require-pinned-image": [
        { kind: "check", title: ":latest", on: N.inference,
            resources: () => m(N.inference, (p) => { p.image = "localhost:5000/mirror/vllm/vllm-openai:latest"; }),
            expect: ['image "localhost:5000/mirror/vllm/vllm-openai:latest" uses the mutable tag "latest": reference a version tag pinned by digest ("<registry>/mirror/vllm/vllm-openai:<version>@sha256:<64 hex>").'] },
        { kind: "check", title: "tag without digest", on: N.training,
            resources: () => m(N.training, (p) => { p.image = TRAINER_IMAGE.split("@")[0]; }),
            expect: [`image "${TRAINER_IMAGE.split("@")[0]}" is not pinned by digest: append "@sha256:<64 hex>" with the digest of the reviewed image (docker buildx imagetools inspect <image>).`] },
        { kind: "check", title: "malformed digest", on: N.stage,
            resources: () => m(N.stage, (p) => { p.image = "localhost:5000/mirror/vllm/vllm-openai@sha256:abc"; }),
            expect: ['image "localhost:5000/mirror/vllm/vllm-openai@sha256:abc" has a malformed digest "sha256:abc": use "sha256:" followed by 64 lowercase hex characters.'] },
        { kind: "missing", title: "image empty", on: N.training,
            resources: () => m(N.training, (p) => { p.image = ""; }),
            expect: ['image is empty: set it to a digest-pinned reference "<registry>/<repository>:<tag>@sha256:<64 hex>".'] },
        { kind: "unknown", title: "image unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.image = UNKNOWN.string; }), expect: [unknownMsg("image")] },
    ],
    "docker-container-require-allowed-registry": [
        { kind: "check", title: "Docker Hub (bare vllm/vllm-openai)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000/mirror/", ""); }),
            expect: [`image "${VLLM_IMAGE.replace("localhost:5000/mirror/", "")}" comes from registry "docker.io", which is not allowed ${LOCAL_ONLY}: ${REGISTRY_FIX}`] },
        { kind: "check", title: "private ECR is allowed by default",
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000", ECR); }), expect: [] },
        { kind: "config", title: "prod does not allow localhost:5000", on: N.training, config: loadEnvironmentConfig("prod"),
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000", ECR); }).filter((r) => r.name !== N.stage),
            expect: [`image "${TRAINER_IMAGE}" comes from registry "localhost:5000", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): ${REGISTRY_FIX}`] },
        { kind: "missing", title: "no config at all: defaults to private ECR only", on: N.training, config: {},
            resources: () => [...secureStack().filter((r) => r.name === N.training)],
            expect: [`image "${TRAINER_IMAGE}" comes from registry "localhost:5000", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): ${REGISTRY_FIX}`] },
        { kind: "unknown", title: "image unknown", on: N.stage,
            resources: () => m(N.stage, (p) => { p.image = UNKNOWN.string; }), expect: [unknownMsg("image")] },
    ],
    "docker-remote-image-require-pinned-image": [
        { kind: "check", title: "RemoteImage :latest", on: N.image,
            resources: () => m(N.image, (p) => { p.name = "localhost:5000/mirror/vllm/vllm-openai:latest"; }),
            expect: ['name "localhost:5000/mirror/vllm/vllm-openai:latest" uses the mutable tag "latest": reference a version tag pinned by digest ("<registry>/mirror/vllm/vllm-openai:<version>@sha256:<64 hex>").'] },
        { kind: "missing", title: "RemoteImage without tag or digest", on: N.image,
            resources: () => m(N.image, (p) => { p.name = "localhost:5000/mirror/vllm/vllm-openai"; }),
            expect: ['name "localhost:5000/mirror/vllm/vllm-openai" is not pinned by digest: append "@sha256:<64 hex>" with the digest of the reviewed image (docker buildx imagetools inspect <image>).'] },
        { kind: "unknown", title: "name unknown", on: N.image,
            resources: () => m(N.image, (p) => { p.name = UNKNOWN.string; }), expect: [unknownMsg("name")] },
    ],
    "docker-remote-image-require-allowed-registry": [
        { kind: "check", title: "ghcr.io", on: N.image,
            resources: () => m(N.image, (p) => { p.name = VLLM_IMAGE.replace("localhost:5000", "ghcr.io"); }),
            expect: [`name "${VLLM_IMAGE.replace("localhost:5000", "ghcr.io")}" comes from registry "ghcr.io", which is not allowed ${LOCAL_ONLY}: ${REGISTRY_FIX}`] },
        { kind: "missing", title: "no config: defaults apply (ECR only)", on: N.image, config: {},
            resources: () => secureStack().filter((r) => r.name === N.image),
            expect: [`name "${VLLM_IMAGE}" comes from registry "localhost:5000", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): ${REGISTRY_FIX}`] },
        { kind: "unknown", title: "name unknown", on: N.image,
            resources: () => m(N.image, (p) => { p.name = UNKNOWN.string; }), expect: [unknownMsg("name")] },
    ],
    "docker-container-disallow-privileged": [
        { kind: "check", title: "privileged", on: N.inference, resources: () => m(N.inference, (p) => { p.privileged = true; }),
            expect: ["privileged is true, which gives the container every capability and all host devices: set privileged to false (request GPUs with deviceRequests)."] },
        { kind: "missing", title: "unset = false", resources: () => m(N.inference, (p) => { p.privileged = undefined; }), expect: [] },
        { kind: "unknown", title: "privileged unknown", on: N.stage,
            resources: () => m(N.stage, (p) => { p.privileged = UNKNOWN.boolean; }), expect: [unknownMsg("privileged")] },
    ],
    "docker-container-drop-all-capabilities": [
        { kind: "check", title: "drops without ALL", on: N.inference, resources: () => m(N.inference, (p) => { p.capabilities = { drops: ["NET_RAW"] }; }),
            expect: ['capabilities.drops does not include "ALL" (got ["NET_RAW"]): set capabilities.drops to ["ALL"].'] },
        { kind: "check", title: "adds a capability not allowed", on: N.training,
            resources: () => m(N.training, (p) => { p.capabilities = { drops: ["ALL"], adds: ["SYS_ADMIN"] }; }),
            expect: ['capabilities.adds includes "SYS_ADMIN", which is not in allowedCapabilities (none allowed): remove it, or allow it in the policy config after review.'] },
        { kind: "config", title: "allowedCapabilities (CAP_ prefix and case insensitive)",
            config: { "docker-container-drop-all-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } },
            resources: () => m(N.training, (p) => { p.capabilities = { drops: ["all"], adds: ["cap_net_bind_service"] }; }), expect: [] },
        { kind: "missing", title: "capabilities unset", on: N.stage, resources: () => m(N.stage, (p) => { p.capabilities = undefined; }),
            expect: ['capabilities.drops does not include "ALL" (got unset): set capabilities.drops to ["ALL"].'] },
        { kind: "unknown", title: "drops unknown", on: N.stage,
            resources: () => m(N.stage, (p) => { p.capabilities = { drops: UNKNOWN.string }; }), expect: [unknownMsg("capabilities.drops")] },
    ],
    "docker-container-require-no-new-privileges": [
        { kind: "check", title: "explicitly disabled", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:false"]; }),
            expect: ['securityOpts contains "no-new-privileges:false", which disables no-new-privileges: use "no-new-privileges:true".'] },
        { kind: "check", title: "accepted spellings", resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges"]; }), expect: [] },
        { kind: "check", title: "accepted spellings (=true)", resources: () => m(N.stage, (p) => { p.securityOpts = ["no-new-privileges=true"]; }), expect: [] },
        { kind: "missing", title: "securityOpts unset", on: N.training, resources: () => m(N.training, (p) => { p.securityOpts = undefined; }),
            expect: ['securityOpts does not include "no-new-privileges:true", so setuid binaries can raise privileges: add "no-new-privileges:true" to securityOpts.'] },
        { kind: "unknown", title: "securityOpts unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.securityOpts = UNKNOWN.string; }), expect: [unknownMsg("securityOpts")] },
    ],
    "docker-container-disallow-unconfined-profiles": [
        { kind: "check", title: "seccomp=unconfined", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "seccomp=unconfined"]; }),
            expect: ['securityOpts contains "seccomp=unconfined", which disables the seccomp system-call filter: remove it so Docker\'s default applies.'] },
        { kind: "check", title: "apparmor:unconfined and label=disable", on: N.stage,
            resources: () => m(N.stage, (p) => { p.securityOpts = ["no-new-privileges:true", "apparmor:unconfined", "label=disable"]; }),
            expect: [
                'securityOpts contains "apparmor:unconfined", which disables the AppArmor profile: remove it so Docker\'s default applies.',
                'securityOpts contains "label=disable", which disables SELinux labelling: remove it so Docker\'s default applies.',
            ] },
        { kind: "check", title: "a custom seccomp profile is fine",
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "seccomp=/etc/docker/seccomp.json"]; }), expect: [] },
        { kind: "missing", title: "securityOpts unset (defaults apply)", resources: () => m(N.inference, (p) => { p.securityOpts = undefined; }), expect: [] },
        { kind: "unknown", title: "one option unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", UNKNOWN.string]; }), expect: [unknownMsg("securityOpts[1]")] },
    ],
    "docker-container-require-resource-limits": [
        { kind: "check", title: "memory 0", on: N.inference, resources: () => m(N.inference, (p) => { p.memory = 0; }),
            expect: ["memory is 0, so the container may use all host memory: set memory (MiB) to a positive limit."] },
        { kind: "check", title: "cpuShares alone is a CPU limit", resources: () => m(N.inference, (p) => { p.cpus = undefined; p.cpuShares = 512; }), expect: [] },
        { kind: "missing", title: "memory and cpus unset", on: N.stage, resources: () => m(N.stage, (p) => { p.memory = undefined; p.cpus = undefined; }),
            expect: [
                "memory is unset, so the container may use all host memory: set memory (MiB) to a positive limit.",
                "none of cpus, cpuShares or cpuQuota is set, so the container may use every host CPU: set cpus (e.g. \"4\").",
            ] },
        { kind: "unknown", title: "memory unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.memory = UNKNOWN.number; }), expect: [unknownMsg("memory")] },
    ],
    "docker-container-require-pids-limit": [
        { kind: "check", title: "nproc 0", on: N.training,
            resources: () => m(N.training, (p) => { p.ulimits = [{ name: "nproc", soft: 0, hard: 0 }]; }),
            expect: ['ulimits "nproc" is soft 0 / hard 0, which does not limit processes: set both to a positive limit.'] },
        { kind: "missing", title: "training without ulimits", on: N.training, resources: () => m(N.training, (p) => { p.ulimits = undefined; }),
            expect: ['ulimits has no "nproc" entry, so the training container can create processes without limit: add { name: "nproc", soft: 512, hard: 512 } to ulimits.'] },
        { kind: "scope", title: "inference needs none", resources: () => m(N.inference, (p) => { p.ulimits = undefined; }), expect: [] },
        { kind: "unknown", title: "ulimits unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.ulimits = UNKNOWN.string; }), expect: [unknownMsg("ulimits")] },
    ],
    "docker-container-disallow-sensitive-host-mounts": [
        { kind: "check", title: "docker.sock", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }]; }),
            expect: ['volumes[0].hostPath "/var/run/docker.sock" mounts the container runtime socket, which grants root on the host: remove the mount.'] },
        { kind: "check", title: "a directory holding the socket", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ hostPath: "/run/", containerPath: "/host-run" }]; }),
            expect: ['volumes[0].hostPath "/run/" contains the container runtime socket /run/docker.sock, which grants root on the host: remove the mount.'] },
        { kind: "check", title: "/etc bind mount", on: N.inference,
            resources: () => m(N.inference, (p) => { p.mounts = [{ type: "bind", source: "/etc/ssl", target: "/etc/ssl", readOnly: true }]; }),
            expect: ['mounts[0].source "/etc/ssl" is under the sensitive host path /etc: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a data directory and a volume mount are fine",
            resources: () => m(N.training, (p) => { p.mounts = [{ type: "bind", source: "/srv/datasets", target: "/datasets", readOnly: true }, { type: "volume", source: "etc", target: "/x" }]; }), expect: [] },
        { kind: "missing", title: "no volumes, no mounts", resources: () => m(N.training, (p) => { p.volumes = undefined; p.mounts = undefined; }), expect: [] },
        { kind: "unknown", title: "hostPath unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ hostPath: UNKNOWN.string, containerPath: "/x" }]; }), expect: [unknownMsg("volumes[0].hostPath")] },
    ],
    "docker-container-disallow-host-namespaces": [
        { kind: "check", title: "pidMode host", on: N.inference, resources: () => m(N.inference, (p) => { p.pidMode = "host"; }),
            expect: ['pidMode is "host", which shares the host\'s process namespace: remove pidMode so the container gets its own namespace.'] },
        { kind: "check", title: "networkMode host on a staging container", on: N.stage, resources: () => m(N.stage, (p) => { p.networkMode = "host"; }),
            expect: ['networkMode is "host", which shares the host\'s network stack (every host interface, no isolation): remove networkMode so the container gets its own namespace.'] },
        { kind: "check", title: "ipcMode and usernsMode host", on: N.training, resources: () => m(N.training, (p) => { p.ipcMode = "host"; p.usernsMode = "host"; }),
            expect: [
                'ipcMode is "host", which shares the host\'s IPC namespace: remove ipcMode so the container gets its own namespace.',
                'usernsMode is "host", which shares the host\'s user namespace: remove usernsMode so the container gets its own namespace.',
            ] },
        { kind: "missing", title: "unset = private namespaces", resources: () => m(N.training, (p) => { p.pidMode = undefined; p.ipcMode = undefined; }), expect: [] },
        { kind: "unknown", title: "pidMode unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.pidMode = UNKNOWN.string; }), expect: [unknownMsg("pidMode")] },
    ],
    "docker-container-disallow-host-devices": [
        { kind: "check", title: "/dev/mem", on: N.inference, resources: () => m(N.inference, (p) => { p.devices = [{ hostPath: "/dev/mem" }]; }),
            expect: ['devices[0] maps host device "/dev/mem" into the container: remove it and request GPUs with deviceRequests.'] },
        { kind: "missing", title: "devices unset", resources: () => m(N.inference, (p) => { p.devices = undefined; }), expect: [] },
        { kind: "unknown", title: "devices unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.devices = UNKNOWN.string; }), expect: [unknownMsg("devices")] },
    ],
    "docker-container-require-read-only-model-volumes": [
        { kind: "check", title: "inference model volume readOnly false", on: N.inference,
            resources: () => m(N.inference, (p) => { (p.volumes as { readOnly?: boolean }[])[0]!.readOnly = false; }),
            expect: [`volumes[0] mounts the model store at ${MODEL_PATH} writable in this vLLM server: set readOnly: true (only model-staging containers may write the model store).`] },
        { kind: "check", title: "a vLLM server labeled model-staging may not write", on: N.inference,
            resources: () => m(N.inference, (p) => { p.labels = [{ label: "airlock.dev/role", value: "model-staging" }]; (p.volumes as { readOnly?: boolean }[])[0]!.readOnly = false; }),
            expect: [`volumes[0] mounts the model store at ${MODEL_PATH} writable in this vLLM server: set readOnly: true (only model-staging containers may write the model store).`] },
        { kind: "missing", title: "mounts[].readOnly unset on training", on: N.training,
            resources: () => m(N.training, (p) => { p.mounts = [{ type: "volume", source: "weights", target: "/models/extra" }]; }),
            expect: ["mounts[0] mounts the model store at /models/extra writable in this training container: set readOnly: true (only model-staging containers may write the model store)."] },
        { kind: "scope", title: "the staging container writes the store", resources: () => secureStack(), expect: [] },
        { kind: "config", title: "allowedModelRoots override", on: N.training,
            config: { "docker-container-require-read-only-model-volumes": { allowedModelRoots: ["/output"] } },
            resources: () => secureStack(),
            expect: ["volumes[2] mounts the model store at /output writable in this training container: set readOnly: true (only model-staging containers may write the model store)."] },
        { kind: "unknown", title: "readOnly unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { (p.volumes as { readOnly?: unknown }[])[0]!.readOnly = UNKNOWN.boolean; }), expect: [unknownMsg("volumes[0].readOnly")] },
    ],
    "docker-container-require-non-root-user": [
        { kind: "check", title: "user root (0:0)", on: N.inference, resources: () => m(N.inference, (p) => { p.user = "0:0"; }),
            expect: ['user "0:0" runs this vLLM server as root: set user to a non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "user root by name", on: N.training, resources: () => m(N.training, (p) => { p.user = "root"; }),
            expect: ['user "root" runs this training container as root: set user to a non-root uid:gid such as "1000:1000".'] },
        { kind: "scope", title: "model-staging may run as root", resources: () => secureStack(), expect: [] },
        { kind: "missing", title: "user unset", on: N.training, resources: () => m(N.training, (p) => { p.user = undefined; }),
            expect: ['user is unset, so this training container runs as the image\'s default user (often root): set user to a non-root uid:gid such as "1000:1000".'] },
        { kind: "unknown", title: "user unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.user = UNKNOWN.string; }), expect: [unknownMsg("user")] },
    ],
    "docker-container-require-read-only-root-filesystem": [
        { kind: "check", title: "readOnly false", on: N.stage, resources: () => m(N.stage, (p) => { p.readOnly = false; }),
            expect: ["readOnly is false, so the container can modify its root file system: set readOnly: true and mount writable paths as tmpfs."] },
        { kind: "missing", title: "readOnly unset", on: N.inference, resources: () => m(N.inference, (p) => { p.readOnly = undefined; }),
            expect: ["readOnly is unset, so the container can modify its root file system: set readOnly: true and mount writable paths as tmpfs."] },
        { kind: "unknown", title: "readOnly unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.readOnly = UNKNOWN.boolean; }), expect: [unknownMsg("readOnly")] },
    ],
    "docker-container-disallow-vllm-dangerous-modes": [
        { kind: "check", title: "VLLM_SERVER_DEV_MODE=1", on: N.inference, resources: () => m(N.inference, (p) => setEnv(p, "VLLM_SERVER_DEV_MODE=1")),
            expect: ['envs sets VLLM_SERVER_DEV_MODE="1", which enables vLLM\'s development endpoints (arbitrary RPC into the engine): remove it or set VLLM_SERVER_DEV_MODE=0.'] },
        { kind: "check", title: "runtime LoRA updating", on: N.inference, resources: () => m(N.inference, (p) => setEnv(p, "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True")),
            expect: ['envs sets VLLM_ALLOW_RUNTIME_LORA_UPDATING="True", which lets API clients load LoRA adapters at runtime: remove it or set VLLM_ALLOW_RUNTIME_LORA_UPDATING=0.'] },
        { kind: "check", title: "forbidden flags", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--enable-tokenizer-info-endpoint", "--profiler-config={\"profiler\":\"torch\"}"]; }),
            expect: [
                "command passes --enable-tokenizer-info-endpoint, which exposes the tokenizer's internals over the API: remove it.",
                "command passes --profiler-config, which enables profiler endpoints: remove it.",
            ] },
        { kind: "check", title: "dev mode off (0) is fine", resources: () => m(N.inference, (p) => setEnv(p, "VLLM_SERVER_DEV_MODE=0")), expect: [] },
        { kind: "missing", title: "no envs, no command", resources: () => m(N.inference, (p) => { p.envs = undefined; p.command = undefined; }), expect: [] },
        { kind: "unknown", title: "envs unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = UNKNOWN.string; }), expect: [unknownMsg("envs")] },
    ],
    "docker-volume-disallow-host-bind": [
        { kind: "check", title: "a bind volume onto /etc", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "bind", device: "/etc" }; }),
            expect: ['driverOpts.device "/etc" is the sensitive host path: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a bind volume onto the docker socket's directory", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "rbind,ro", device: "/var/run" }; }),
            expect: ['driverOpts.device "/var/run" contains the container runtime socket /var/run/docker.sock, which grants root on the host: remove the mount.'] },
        { kind: "check", title: "a bind volume onto a data directory is fine",
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "bind", device: "/srv/models" }; }), expect: [] },
        { kind: "missing", title: "driverOpts unset", resources: () => m(N.volume, (p) => { p.driverOpts = undefined; }), expect: [] },
        { kind: "unknown", title: "device unknown", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { o: "bind", device: UNKNOWN.string }; }), expect: [unknownMsg("driverOpts.device")] },
    ],
};

const urnByName = new Map(secureStack().map((r) => [r.name, urnOf(r)]));

describe("every policy has its cases", () => {
    it.each(allPolicies.map((p) => p.name))("%s has check, missing and unknown cases", (name) => {
        const kinds = new Set((CASES[name] ?? []).map((c) => c.kind));
        expect([...kinds].filter((k) => ["check", "missing", "unknown"].includes(k)).sort()).toEqual(["check", "missing", "unknown"]);
    });
    it("the table names no policy the pack lacks", () => {
        expect(Object.keys(CASES).filter((n) => !allPolicies.some((p) => p.name === n))).toEqual([]);
    });
    it("every policy that reads config has a config case", () => {
        const configurable = allPolicies.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0).map((p) => p.name);
        const withConfig = Object.entries(CASES).filter(([, cs]) => cs.some((c) => c.config !== undefined)).map(([n]) => n);
        expect(configurable.filter((n) => !withConfig.includes(n))).toEqual([]);
        expect(Object.keys(CONFIG_PROPERTIES).length).toBeGreaterThan(0);
    });
});

for (const [policy, cases] of Object.entries(CASES)) {
    describe(policy, () => {
        it("passes the secure dev stack", async () => {
            const vs = await analyzeResources(secureStack(), dev);
            expect(vs.filter((v) => v.policy === policy)).toEqual([]);
        });
        it.each(cases.map((c) => [`${c.kind}: ${c.title}`, c] as const))("%s", async (_title, c) => {
            const config = c.config ?? dev;
            const vs = (await analyzeResources(c.resources(), config)).filter((v) => v.policy === policy);
            expect(vs.map((v) => v.message)).toEqual(c.expect);
            // The configured level (mandatory everywhere except dev's registry rules); never the SDK's advisory downgrade.
            const level = reconcilePolicyConfig(allPolicies, config)[policy]!.enforcementLevel;
            for (const v of vs) {
                expect(v.enforcementLevel).toBe(level);
                if (c.on) expect(v.urn).toBe(urnByName.get(c.on));
            }
        });
    });
}

describe("unknown values without the fail-closed wrapper", () => {
    it("the SDK path the harness mirrors downgrades to advisory (why every validator is wrapped)", async () => {
        const { validateResourceOfType } = await import("@pulumi/policy");
        const docker = await import("@pulumi/docker");
        const raw = {
            ...allPolicies.find((p) => p.name === "docker-container-disallow-privileged")!,
            name: "raw-privileged",
            validateResource: validateResourceOfType(docker.Container, (c, _a, report) => { if (c.privileged === true) report("privileged"); }),
        };
        const vs = await analyzeResources(mutated(N.inference, (p) => { p.privileged = UNKNOWN.boolean; }), {}, { policies: [raw] });
        expect(vs).toEqual([{
            policy: "raw-privileged", urn: urnOf({ type: DOCKER_TYPES.container, name: N.inference }), enforcementLevel: "advisory",
            message: "can't run policy 'raw-privileged' from policy pack 'airlock@v0.1.0' during preview: boolean value at .privileged can't be known during preview",
        }]);
    });
    it("with prod config every unknown-at-preview case is a mandatory violation", async () => {
        const prod = loadEnvironmentConfig("prod");
        for (const [policy, cases] of Object.entries(CASES)) {
            for (const c of cases.filter((x) => x.kind === "unknown")) {
                const vs = (await analyzeResources(c.resources(), prod))
                    .filter((v) => v.policy === policy && (c.on === undefined || v.urn === urnByName.get(c.on)));
                expect(vs.length, `${policy}: ${c.title}`).toBeGreaterThan(0);
                expect(vs.every((v) => v.enforcementLevel === "mandatory" && v.message.includes("is unknown at preview")), `${policy}: ${c.title}`).toBe(true);
            }
        }
    });
    it("inference() is the shape the fixtures' stack uses", () => {
        expect(secureStack().find((r) => r.name === N.inference)?.props.networkMode).toBe(inference().networkMode);
    });
});
