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
import { RUNPOD_CASES } from "./runpod-cases";

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
    /** An unknown case the policy leaves to another one (which must report it): that policy's name. */
    readonly deferredTo?: string;
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
/** Cases about the serving network or one container's settings that the gateway would also trip over: without it. */
const noGateway = (rs: FixtureResource[]) => rs.filter((r) => r.name !== N.gateway && r.name !== N.gatewayNet);

const NET_FIX = 'set networkMode to "none" or attach it only to docker.Network resources with internal: true declared in this program';
const SEALED = "unlabeled container (sealed by default)";
const HUB_READING = (lib: string) => `${lib} reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)`;
const role = (value: string) => [{ label: "airlock.dev/role", value }];
const otherHost = { name: "gpu-box", type: "pulumi:providers:docker", props: { host: "ssh://gpu-box" } };
const builder = (props: Record<string, unknown>): FixtureResource => ({ type: DOCKER_TYPES.buildxBuilder, name: "builder", props });
const plugin = (props: Record<string, unknown>): FixtureResource => ({ type: DOCKER_TYPES.plugin, name: "plugin", props });
const TGI_IMAGE = `ghcr.io/huggingface/text-generation-inference:3.3.4@sha256:${"1".repeat(64)}`;
const LOCAL_ONLY = "(allowed: \"localhost:5000\", /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/)";
const REGISTRY_FIX = "mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.";
const HF_TOKEN = `hf_${"a".repeat(34)}`;
const IMAGE_ID = `sha256:${"4".repeat(64)}`;
const CMDLINE = "the command line (an env wrapper or shell assignment, which overrides envs)";
const NOT_REMOTE = "not from one docker.RemoteImage, so which image runs cannot be verified: pull it with a docker.RemoteImage pinned by digest and pass its imageId, or set image to the pinned reference.";
/** `rs` where `name`'s image is computed from `source`'s output (the engine's propertyDependencies). */
const fromSource = (rs: FixtureResource[], name: string, source: string): FixtureResource[] => {
    const src = rs.find((r) => r.name === source)!;
    return rs.map((r) => (r.name === name ? { ...r, propertyDependencies: { image: [urnOf(src)] } } : r));
};

const CASES: Record<string, Case[]> = {
    "docker-container-require-internal-network": [
        { kind: "check", title: "networkMode bridge on the inference server", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = "bridge"; }),
            expect: [`networkMode "bridge" gives this vLLM server a route out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "serving network not internal", on: N.inference,
            resources: () => noGateway(m(N.serving, (p) => { p.internal = false; })),
            expect: [`networkMode "airlock-dev-serving" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "check", title: "a network the stack does not declare (fail closed)", on: N.training,
            resources: () => m(N.training, (p) => { p.networkMode = "corp-net"; }),
            expect: [`networkMode "corp-net" names no docker.Network declared in this stack on the same Docker host, so it cannot be verified as internal for this training container: ${NET_FIX}.`] },
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
        { kind: "check", title: "an unlabeled container on the default bridge is sealed too (fail closed)", on: N.training,
            resources: () => m(N.training, (p) => { unlabeled(p); p.networkMode = "bridge"; }),
            expect: [`networkMode "bridge" gives this ${SEALED} a route out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "an unlabeled text-generation-inference server on the default bridge", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); p.image = TGI_IMAGE; p.entrypoints = undefined; p.command = ["--model-id", MODEL_PATH]; p.networkMode = undefined; }),
            expect: [`networkMode is unset, so Docker attaches this text-generation-inference server to its default bridge network, which routes out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "a model-staging claim that does not hold (it requests a GPU) gets no egress", on: N.stage,
            resources: () => m(N.stage, (p) => { p.deviceRequests = [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }]; }),
            expect: [`networkMode "airlock-dev-staging" names a docker.Network that is not internal, so this container labelled "model-staging" (sealed: the claim does not hold) has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "scope", title: "networksAdvanced only: the provider detaches the default bridge (the engine's Check fills networkMode \"bridge\")",
            resources: () => m(N.inference, (p) => { p.networkMode = undefined; p.networksAdvanced = [{ name: "airlock-dev-serving" }]; }), expect: [] },
        { kind: "scope", title: "networksAdvanced with networkMode \"bridge\" written out",
            resources: () => m(N.inference, (p) => { p.networkMode = "bridge"; p.networksAdvanced = [{ name: "airlock-dev-serving", aliases: ["qwen"] }]; }), expect: [] },
        { kind: "check", title: "networksAdvanced lists the egress network beside the internal one", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = undefined; p.networksAdvanced = [{ name: "airlock-dev-serving" }, { name: "airlock-dev-staging" }]; }),
            expect: [`networksAdvanced[1].name "airlock-dev-staging" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "scope", title: "a custom internal networkMode plus internal networksAdvanced",
            resources: () => m(N.inference, (p) => { p.networksAdvanced = [{ name: "airlock-dev-serving" }]; }), expect: [] },
        { kind: "check", title: "a custom networkMode stays attached beside networksAdvanced", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = "airlock-dev-staging"; p.networksAdvanced = [{ name: "airlock-dev-serving" }]; }),
            expect: [`networkMode "airlock-dev-staging" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or ${NET_FIX}.`] },
        { kind: "check", title: "an internal network on one Docker host does not vouch for a same-named network on another", on: N.inference,
            resources: () => secureStack().map((r) => (r.name === N.inference ? { ...r, provider: otherHost } : r)),
            expect: [`networkMode "airlock-dev-serving" names no docker.Network declared in this stack on the same Docker host, so it cannot be verified as internal for this vLLM server: ${NET_FIX}.`] },
        { kind: "scope", title: "a verified gateway may use one routed network of its own", resources: () => secureStack(), expect: [] },
        { kind: "check", title: "a gateway on two routed networks", on: N.gateway,
            resources: () => m(N.gateway, (p) => { p.networksAdvanced = [{ name: "airlock-dev-serving" }, { name: "airlock-dev-staging" }]; }),
            expect: ['this gateway joins 2 routed networks ("airlock-dev-gateway", "airlock-dev-staging"): a gateway uses one routed network of its own besides the internal serving networks — remove the others.'] },
        { kind: "check", title: "a gateway whose routed network is the staging network (shared with the download)", on: N.gateway,
            resources: () => m(N.gateway, (p) => { p.networkMode = "airlock-dev-staging"; }),
            expect: ['the gateway\'s routed network "airlock-dev-staging" is also joined by "qwen3-4b-stage": a gateway\'s routed network must be its own (the only non-internal path into the serving network) — give the gateway a network nothing else joins.'] },
        { kind: "check", title: "a gateway on the host's network", on: N.gateway,
            resources: () => m(N.gateway, (p) => { p.networkMode = "host"; p.networksAdvanced = undefined; }),
            expect: [`networkMode "host" gives this gateway container a route out of the host: ${NET_FIX}.`] },
        { kind: "check", title: "a sidecar joining the serving network and the gateway's network (both are reported)",
            resources: () => m(N.training, (p) => { p.networkMode = "airlock-dev-gateway"; p.networksAdvanced = [{ name: "airlock-dev-serving" }]; }),
            expect: [
                `networkMode "airlock-dev-gateway" names a docker.Network that is not internal, so this training container has a route out: set internal: true on that network or ${NET_FIX}.`,
                'the gateway\'s routed network "airlock-dev-gateway" is also joined by "qwen-lora": a gateway\'s routed network must be its own (the only non-internal path into the serving network) — give the gateway a network nothing else joins.',
            ] },
        { kind: "scope", title: "network and container on the same explicit provider",
            resources: () => noGateway(secureStack()).map((r) => (r.name === N.inference || r.name === N.serving ? { ...r, provider: otherHost } : r)), expect: [] },
        { kind: "missing", title: "networkMode unset = Docker's default bridge", on: N.training,
            resources: () => m(N.training, (p) => { p.networkMode = undefined; }),
            expect: [`networkMode is unset, so Docker attaches this training container to its default bridge network, which routes out of the host: ${NET_FIX}.`] },
        { kind: "unknown", title: "networkMode unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.networkMode = UNKNOWN.string; }), expect: [unknownMsg("networkMode")] },
        { kind: "unknown", title: "the network's internal flag unknown", on: N.inference,
            resources: () => noGateway(m(N.serving, (p) => { p.internal = UNKNOWN.boolean; })),
            expect: ['networkMode "airlock-dev-serving" names a docker.Network whose internal is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.'] },
        { kind: "unknown", title: "the network's name unknown", on: N.inference,
            resources: () => noGateway(m(N.serving, (p) => { p.name = UNKNOWN.string; })),
            expect: [`networkMode "airlock-dev-serving" names no docker.Network declared in this stack on the same Docker host (the name of docker.Network "${N.serving}" is unknown at preview — make network names plain values), so it cannot be verified as internal for this vLLM server: ${NET_FIX}.`] },
    ],
    "docker-container-restrict-published-ports": [
        { kind: "check", title: "port on 0.0.0.0", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, external: 18000, ip: "0.0.0.0" }]; }),
            expect: ['ports[0].ip "0.0.0.0" is not an allowed bind IP (allowed: 127.0.0.1): bind container port 8000 to an allowed IP or remove the port.'] },
        { kind: "check", title: "publishAllPorts", on: N.training,
            resources: () => m(N.training, (p) => { p.publishAllPorts = true; }),
            expect: ["publishAllPorts is true, which publishes every exposed port on all host interfaces: set publishAllPorts to false and publish single ports bound to an allowed IP."] },
        { kind: "check", title: "a port on :: (every IPv6 interface)", on: N.stage,
            resources: () => m(N.stage, (p) => { p.ports = [{ internal: 8080, ip: "::" }]; }),
            expect: ['ports[0].ip "::" is not an allowed bind IP (allowed: 127.0.0.1): bind container port 8080 to an allowed IP or remove the port.'] },
        { kind: "missing", title: "ports[].ip unset = 0.0.0.0", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, external: 18000 }]; }),
            expect: ["ports[0].ip is unset, so container port 8000 is published on 0.0.0.0 (every host interface): set ip to an allowed bind IP (127.0.0.1) or remove the port."] },
        { kind: "missing", title: "no ports at all", resources: () => m(N.inference, (p) => { p.ports = undefined; }), expect: [] },
        { kind: "config", title: "allowedPortBindIps override", on: N.inference,
            config: { "docker-container-restrict-published-ports": { allowedPortBindIps: ["10.0.0.5"] } },
            resources: () => noGateway(secureStack()),
            expect: ['ports[0].ip "127.0.0.1" is not an allowed bind IP (allowed: 10.0.0.5): bind container port 8000 to an allowed IP or remove the port.'] },
        { kind: "unknown", title: "ports[0].ip unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.ports = [{ internal: 8000, ip: UNKNOWN.string }]; }), expect: [unknownMsg("ports[0].ip")] },
    ],
    "docker-container-require-offline-env": [
        { kind: "check", title: "an env wrapper in entrypoints overrides envs (env HF_HUB_OFFLINE=0 vllm serve)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["env", "HF_HUB_OFFLINE=0", "vllm", "serve"]; }),
            expect: [`${CMDLINE}: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB_READING("huggingface_hub")}), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1" in envs and remove the command line's change to it.`] },
        { kind: "check", title: "a shell prefix assignment and an unset override envs", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["/bin/sh", "-c"]; p.command = [`unset TRANSFORMERS_OFFLINE; HF_HUB_OFFLINE=0 exec vllm serve ${MODEL_PATH} --port 8000`]; }),
            expect: [
                `${CMDLINE}: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB_READING("huggingface_hub")}), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1" in envs and remove the command line's change to it.`,
                `${CMDLINE}: TRANSFORMERS_OFFLINE is not set, so the vLLM server could call a model hub: set "TRANSFORMERS_OFFLINE=1" in envs and remove the command line's change to it.`,
            ] },
        { kind: "check", title: "env -i starts the program with an empty environment", on: N.training,
            resources: () => m(N.training, (p) => { p.entrypoints = ["env", "-i", "PATH=/usr/bin:/bin", ...arr(p.entrypoints)]; }),
            expect: ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"].map((k) =>
                `the command line (env -i starts the program with an empty environment): ${k} is not set, so the training container could call a model hub: set "${k}=1" in envs and remove the command line's change to it.`) },
        { kind: "check", title: "a start script the program uploads is read as the command (sh /opt/start.sh)", on: N.inference,
            resources: () => m(N.inference, (p) => {
                p.entrypoints = ["/bin/sh", "/opt/start.sh"]; p.command = [];
                p.uploads = [{ file: "/opt/start.sh", content: `#!/bin/sh\nset -e\nexport HF_HUB_OFFLINE=0\nexec vllm serve ${MODEL_PATH} --port 8000\n`, executable: true }];
            }),
            expect: [`${CMDLINE}: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB_READING("huggingface_hub")}), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1" in envs and remove the command line's change to it.`] },
        { kind: "check", title: "an uploaded start script run directly (shell #!, base64) that leaves the switches alone passes",
            resources: () => m(N.inference, (p) => {
                p.entrypoints = ["/opt/start.sh"]; p.command = [];
                p.uploads = [{ file: "/opt/start.sh", contentBase64: Buffer.from(`#!/usr/bin/env bash\nset -eu\nexec vllm serve ${MODEL_PATH} --port 8000\n`).toString("base64"), executable: true }];
            }), expect: [] },
        { kind: "check", title: "an env wrapper that sets the switches on passes (env -u of an unrelated key too)",
            resources: () => m(N.inference, (p) => { p.entrypoints = ["env", "-u", "LANG", "HF_HUB_OFFLINE=1", "vllm", "serve"]; }), expect: [] },
        { kind: "check", title: "HF_HUB_OFFLINE=0", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "HF_HUB_OFFLINE=0")),
            expect: [`envs: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB_READING("huggingface_hub")}), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1".`] },
        { kind: "check", title: "HF_HUB_OFFLINE= 1 (huggingface_hub does not trim: the Hub stays online)", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "HF_HUB_OFFLINE= 1")),
            expect: [`envs: HF_HUB_OFFLINE=" 1" is off for huggingface_hub (${HUB_READING("huggingface_hub")}), so the vLLM server could call a model hub: set "HF_HUB_OFFLINE=1".`] },
        { kind: "check", title: "a bare key without value is unset", on: N.training,
            resources: () => m(N.training, (p) => { envsWithout(p, "HF_DATASETS_OFFLINE"); p.envs = [...arr(p.envs), "HF_DATASETS_OFFLINE"]; }),
            expect: ['envs: HF_DATASETS_OFFLINE is not set, so the training container could call a model hub: set "HF_DATASETS_OFFLINE=1".'] },
        { kind: "check", title: "the spellings huggingface_hub accepts (true, On, YES)",
            resources: () => m(N.inference, (p) => { setEnv(p, "HF_HUB_OFFLINE=true"); setEnv(p, "TRANSFORMERS_OFFLINE=On"); setEnv(p, "HF_DATASETS_OFFLINE=YES"); }),
            expect: [] },
        { kind: "check", title: "a key set twice with different values: envs keeps no order, the off value may win", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = [...arr(p.envs), "TRANSFORMERS_OFFLINE=no"]; }),
            expect: [`envs: TRANSFORMERS_OFFLINE="no" is off for transformers (${HUB_READING("transformers")}); TRANSFORMERS_OFFLINE is set more than once with different values and envs keeps no order, so this value may win, so the vLLM server could call a model hub: set "TRANSFORMERS_OFFLINE=1".`] },
        { kind: "check", title: "a key set twice with the same value is fine",
            resources: () => m(N.inference, (p) => { p.envs = [...arr(p.envs), "TRANSFORMERS_OFFLINE=1"]; }), expect: [] },
        { kind: "check", title: "vLLM's ModelScope switch (a hub the offline switches do not cover)", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "VLLM_USE_MODELSCOPE=True")),
            expect: ['envs: VLLM_USE_MODELSCOPE="True" is on for vLLM, which then loads models from ModelScope (a hub the offline switches do not cover) (vLLM lowercases it: "true" is on), so the vLLM server could call a model hub: set "VLLM_USE_MODELSCOPE=False".'] },
        { kind: "check", title: "an unlabeled container is sealed: it needs the offline env too", on: N.training,
            resources: () => m(N.training, (p) => { unlabeled(p); envsWithout(p, "HF_HUB_OFFLINE"); }),
            expect: [`envs: HF_HUB_OFFLINE is not set, so the ${SEALED} could call a model hub: set "HF_HUB_OFFLINE=1".`] },
        { kind: "missing", title: "TRANSFORMERS_OFFLINE missing on an unlabeled vLLM server", on: N.inference,
            resources: () => m(N.inference, (p) => { unlabeled(p); envsWithout(p, "TRANSFORMERS_OFFLINE"); }),
            expect: ['envs: TRANSFORMERS_OFFLINE is not set, so the vLLM server could call a model hub: set "TRANSFORMERS_OFFLINE=1".'] },
        { kind: "missing", title: "envs unset on a training container", on: N.training,
            resources: () => m(N.training, (p) => { p.envs = undefined; }),
            expect: ["HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"].map((k) =>
                `envs: ${k} is not set, so the training container could call a model hub: set "${k}=1".`) },
        { kind: "scope", title: "model-staging needs the hub; volume-init runs chmod only; the gateway loads no model", resources: () => secureStack(), expect: [] },
        { kind: "unknown", title: "envs unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = UNKNOWN.string; }), expect: [unknownMsg("envs")] },
    ],
    "docker-container-require-telemetry-off": [
        { kind: "check", title: "VLLM_NO_USAGE_STATS=true (vLLM compares with \"1\")", on: N.inference,
            resources: () => m(N.inference, (p) => setEnv(p, "VLLM_NO_USAGE_STATS=true")),
            expect: ['envs: VLLM_NO_USAGE_STATS="true" is off for vLLM (vLLM reads it as on only for the exact string "1"), so the vLLM server could send telemetry: set "VLLM_NO_USAGE_STATS=1".'] },
        { kind: "check", title: "VLLM_DO_NOT_TRACK overrides DO_NOT_TRACK", on: N.training,
            resources: () => m(N.training, (p) => setEnv(p, "VLLM_DO_NOT_TRACK=0")),
            expect: ['envs: VLLM_DO_NOT_TRACK="0" overrides DO_NOT_TRACK and is off for vLLM (vLLM reads VLLM_DO_NOT_TRACK (when non-empty) or else DO_NOT_TRACK, and only the exact string "1" is on), so the training container could send telemetry: set "VLLM_DO_NOT_TRACK=1" (or remove it and keep "DO_NOT_TRACK=1").'] },
        { kind: "check", title: "DO_NOT_TRACK=true is on for huggingface_hub but off for vLLM", on: N.stage,
            resources: () => m(N.stage, (p) => setEnv(p, "DO_NOT_TRACK=true")),
            expect: ['envs: DO_NOT_TRACK="true" is off for vLLM (vLLM reads VLLM_DO_NOT_TRACK (when non-empty) or else DO_NOT_TRACK, and only the exact string "1" is on), so the model-staging container could send telemetry: set "DO_NOT_TRACK=1".'] },
        { kind: "missing", title: "DO_NOT_TRACK missing", on: N.training,
            resources: () => m(N.training, (p) => envsWithout(p, "DO_NOT_TRACK")),
            expect: ['envs: DO_NOT_TRACK is not set, so the training container could send telemetry: set "DO_NOT_TRACK=1".'] },
        { kind: "scope", title: "the volume-init step runs chmod only", resources: () => secureStack(), expect: [] },
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
        { kind: "check", title: "--mod (vLLM's parser takes an unambiguous prefix as --model)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = ["--mod", "Qwen/Qwen3-4B-Instruct-2507", "--rev=main"]; }),
            expect: ['command pins hub model "Qwen/Qwen3-4B-Instruct-2507" with --revision "main", which is not a 40-hex commit SHA: use the full commit id (a branch or tag can move).'] },
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
        { kind: "check", title: "--trust_remote_code (vLLM turns _ into -)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--trust_remote_code"]; }),
            expect: [`--trust-remote-code is set for "${MODEL_PATH}", which is not on trustRemoteCodeAllowlist: remove --trust-remote-code, or review the model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.`] },
        { kind: "check", title: "--trust-remote (an abbreviation argparse accepts)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--trust-remote"]; }),
            expect: [`--trust-remote-code is set for "${MODEL_PATH}", which is not on trustRemoteCodeAllowlist: remove --trust-remote-code, or review the model's code at one commit and add {model, revision} to trustRemoteCodeAllowlist in the policy config.`] },
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
        { kind: "check", title: "a token in a label (readable through docker inspect)", on: N.training,
            resources: () => m(N.training, (p) => { p.labels = [...(p.labels as object[]), { label: "ci.token", value: HF_TOKEN }]; }),
            expect: ["labels[2] (ci.token) contains a credential (Hugging Face token); labels are readable by anyone who can run docker inspect and are stored in plaintext in the state: remove it."] },
        { kind: "check", title: "a token in an uploaded file (base64 too)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.uploads = [{ file: "/cache/token", contentBase64: Buffer.from(`token=${HF_TOKEN}\n`).toString("base64") }]; }),
            expect: ["uploads[0] (/cache/token) writes a credential (Hugging Face token) into the container from its plaintext inputs: remove it and deliver the secret through a protected env entry or a secret store at runtime."] },
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
        { kind: "check", title: "env -u VLLM_API_KEY in front of the server drops the key envs sets", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["/usr/bin/env", "-u", "VLLM_API_KEY", "vllm", "serve"]; }),
            expect: [`${CMDLINE} does not set VLLM_API_KEY, so this vLLM server accepts unauthenticated requests: add "VLLM_API_KEY=<key>" built from a Pulumi secret (and list envs in additionalSecretOutputs).`] },
        { kind: "check", title: "--api-key literal in argv", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--api-key", API_KEY]; }),
            expect: ["command passes --api-key, which exposes the key through docker inspect and ps: remove it and set VLLM_API_KEY in envs from a Pulumi secret."] },
        { kind: "check", title: "--api_key=… (any spelling vLLM accepts)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), `--api_key=${API_KEY}`]; }),
            expect: ["command passes --api_key (vLLM reads it as --api-key), which exposes the key through docker inspect and ps: remove it and set VLLM_API_KEY in envs from a Pulumi secret."] },
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
        { kind: "unknown", title: "image unknown: checked through the resource it comes from", on: N.training, deferredTo: "docker-container-require-resolvable-image",
            resources: () => m(N.training, (p) => { p.image = UNKNOWN.string; }), expect: [] },
        { kind: "scope", title: "an image ID (RemoteImage.imageId once pulled) is checked there too",
            resources: () => m(N.training, (p) => { p.image = IMAGE_ID; }), expect: [] },
    ],
    "docker-container-require-allowed-registry": [
        { kind: "check", title: "Docker Hub (bare vllm/vllm-openai)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000/mirror/", ""); }),
            expect: [`image "${VLLM_IMAGE.replace("localhost:5000/mirror/", "")}" comes from registry "docker.io", which is not allowed ${LOCAL_ONLY}: ${REGISTRY_FIX}`] },
        { kind: "check", title: "private ECR is allowed by default",
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000", ECR); }), expect: [] },
        { kind: "config", title: "prod does not allow localhost:5000", on: N.training, config: loadEnvironmentConfig("prod"),
            resources: () => m(N.inference, (p) => { p.image = VLLM_IMAGE.replace("localhost:5000", ECR); }).filter((r) => r.name !== N.stage && r.name !== N.init && r.name !== N.gateway),
            expect: [`image "${TRAINER_IMAGE}" comes from registry "localhost:5000", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): ${REGISTRY_FIX}`] },
        { kind: "missing", title: "no config at all: defaults to private ECR only", on: N.training, config: {},
            resources: () => [...secureStack().filter((r) => r.name === N.training)],
            expect: [`image "${TRAINER_IMAGE}" comes from registry "localhost:5000", which is not allowed (allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/): ${REGISTRY_FIX}`] },
        { kind: "unknown", title: "image unknown: checked through the resource it comes from", on: N.stage, deferredTo: "docker-container-require-resolvable-image",
            resources: () => m(N.stage, (p) => { p.image = UNKNOWN.string; }), expect: [] },
    ],
    "docker-container-require-resolvable-image": [
        { kind: "check", title: "image unknown, computed from no resource", on: N.training,
            resources: () => m(N.training, (p) => { p.image = UNKNOWN.string; }),
            expect: [`image is unknown at preview and comes from no resource of the stack, ${NOT_REMOTE}`] },
        { kind: "check", title: "an image ID computed from a network's output", on: N.training,
            resources: () => fromSource(m(N.training, (p) => { p.image = IMAGE_ID; }), N.training, N.serving),
            expect: [`image is the image ID "${IMAGE_ID}" and comes from Network "${N.serving}", ${NOT_REMOTE}`] },
        { kind: "check", title: "a vLLM image run by its own entrypoint, its image unknown: the vLLM rules cannot see it", on: N.inference,
            resources: () => fromSource(m(N.inference, (p) => { p.image = UNKNOWN.string; p.entrypoints = undefined; p.command = ["vllm", "serve", ...arr(p.command)].slice(2); }), N.inference, N.image),
            expect: [`image is unknown at preview: it runs RemoteImage "${N.image}" ("${VLLM_IMAGE}") with the image's own entrypoint, which makes it a vLLM server, ` +
                "but the rules for one cannot see that at preview: set image to the RemoteImage's name (`image: <remoteImage>.name`, known at preview), " +
                "or set entrypoints to the server's command (e.g. [\"vllm\", \"serve\"])."] },
        { kind: "scope", title: "image: remoteImage.imageId at its first preview (unknown) passes, the RemoteImage's name is what is checked",
            resources: () => fromSource(m(N.inference, (p) => { p.image = UNKNOWN.string; }), N.inference, N.image), expect: [] },
        { kind: "scope", title: "image: remoteImage.imageId on later previews (an image ID) passes",
            resources: () => fromSource(m(N.training, (p) => { p.image = IMAGE_ID; }), N.training, N.image), expect: [] },
        { kind: "missing", title: "a plain reference is not this policy's business", resources: () => secureStack(), expect: [] },
        { kind: "unknown", title: "the RemoteImage's name unknown: its own rules report it", on: N.image, deferredTo: "docker-remote-image-require-pinned-image",
            resources: () => fromSource(m(N.image, (p) => { p.name = UNKNOWN.string; }).map((r) => (r.name === N.training ? { ...r, props: { ...r.props, image: UNKNOWN.string } } : r)), N.training, N.image),
            expect: [] },
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
            expect: ['securityOpts[1] "seccomp=unconfined" disables the seccomp system-call filter: remove it so Docker\'s default applies.'] },
        { kind: "check", title: "apparmor:unconfined (legacy separator) and label=disable", on: N.stage,
            resources: () => m(N.stage, (p) => { p.securityOpts = ["no-new-privileges:true", "apparmor:unconfined", "label=disable"]; }),
            expect: [
                'securityOpts[1] "apparmor:unconfined" disables the AppArmor profile: remove it so Docker\'s default applies.',
                'securityOpts[2] "label=disable" disables SELinux labelling: remove it so Docker\'s default applies.',
            ] },
        { kind: "check", title: "an inline seccomp profile that allows everything", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ALLOW" })}`]; }),
            expect: ['securityOpts[1] "seccomp={\"defaultAction\":\"SCMP_ACT_ALLOW\"}" is an inline seccomp profile whose defaultAction "SCMP_ACT_ALLOW" lets every system call through: remove it so Docker\'s default applies.'] },
        { kind: "check", title: "an inline seccomp profile that denies by default but allows mount and ptrace", on: N.training,
            resources: () => m(N.training, (p) => { p.securityOpts = ["no-new-privileges:true", `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["read", "ptrace", "mount"], action: "SCMP_ACT_ALLOW" }] })}`]; }),
            expect: ['securityOpts[1] "seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":[\"read\",\"ptrac..." is an inline seccomp profile that allows mount, ptrace, which Docker\'s default profile denies: remove it so Docker\'s default applies.'] },
        { kind: "check", title: "a stricter inline seccomp profile is fine (capability-conditional rules are ignored)",
            resources: () => m(N.training, (p) => { p.securityOpts = ["no-new-privileges:true", `seccomp=${JSON.stringify({ defaultAction: "SCMP_ACT_ERRNO", syscalls: [{ names: ["read", "write"], action: "SCMP_ACT_ALLOW" }, { names: ["mount"], action: "SCMP_ACT_ALLOW", includes: { caps: ["CAP_SYS_ADMIN"] } }] })}`]; }),
            expect: [] },
        { kind: "check", title: "a seccomp profile by path (the daemon never reads it)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "seccomp=/etc/docker/seccomp.json"]; }),
            expect: ['securityOpts[1] "seccomp=/etc/docker/seccomp.json" names a seccomp profile the pack cannot read (Docker takes the profile\'s JSON inline; a path is not read by the daemon): remove it so Docker\'s default applies.'] },
        { kind: "check", title: "the super-privileged SELinux type", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "label=type:spc_t"]; }),
            expect: ['securityOpts[1] "label=type:spc_t" runs under the unconfined SELinux type spc_t: remove it so Docker\'s default applies.'] },
        { kind: "check", title: "an AppArmor profile nobody reviewed", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "apparmor=vllm-custom"]; }),
            expect: ['securityOpts[1] "apparmor=vllm-custom" names the AppArmor profile "vllm-custom", which is not Docker\'s default nor in allowedSecurityProfiles (its rules cannot be verified): remove it so Docker\'s default applies.'] },
        { kind: "config", title: "a reviewed AppArmor profile in allowedSecurityProfiles",
            config: { "docker-container-disallow-unconfined-profiles": { allowedSecurityProfiles: ["vllm-custom"] } },
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", "apparmor=vllm-custom", "apparmor=docker-default"]; }), expect: [] },
        { kind: "missing", title: "securityOpts unset (defaults apply)", resources: () => m(N.inference, (p) => { p.securityOpts = undefined; }), expect: [] },
        { kind: "unknown", title: "one option unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.securityOpts = ["no-new-privileges:true", UNKNOWN.string]; }), expect: [unknownMsg("securityOpts[1]")] },
    ],
    "docker-container-require-resource-limits": [
        { kind: "check", title: "memory 0", on: N.inference, resources: () => m(N.inference, (p) => { p.memory = 0; }),
            expect: ["memory is 0, so the container may use all host memory: set memory (MiB) to a positive limit."] },
        { kind: "check", title: "cpuShares alone is a CPU limit", resources: () => m(N.inference, (p) => { p.cpus = undefined; p.cpuShares = 512; }), expect: [] },
        { kind: "check", title: "cpuSet pins it to listed CPUs, a hard bound", resources: () => m(N.inference, (p) => { p.cpus = undefined; p.cpuSet = "0-3,6"; }), expect: [] },
        { kind: "check", title: "a cpuSet that is not a CPU list bounds nothing", on: N.inference, resources: () => m(N.inference, (p) => { p.cpus = undefined; p.cpuSet = "all"; }),
            expect: ["none of cpus, cpuShares, cpuQuota or cpuSet is set, so the container may use every host CPU: set cpus (e.g. \"4\")."] },
        { kind: "missing", title: "memory and cpus unset", on: N.stage, resources: () => m(N.stage, (p) => { p.memory = undefined; p.cpus = undefined; }),
            expect: [
                "memory is unset, so the container may use all host memory: set memory (MiB) to a positive limit.",
                "none of cpus, cpuShares, cpuQuota or cpuSet is set, so the container may use every host CPU: set cpus (e.g. \"4\").",
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
            expect: ['volumes[0].hostPath "/var/run/docker.sock" is a container runtime socket (docker.sock), which grants root on the host: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a rootless Docker socket", on: N.training,
            resources: () => m(N.training, (p) => { p.mounts = [{ type: "bind", source: "/run/user/1000/docker.sock", target: "/var/run/docker.sock" }]; }),
            expect: ['mounts[0].source "/run/user/1000/docker.sock" is a container runtime socket (docker.sock), which grants root on the host: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "Podman's socket directory", on: N.training,
            resources: () => m(N.training, (p) => { p.mounts = [{ type: "bind", source: "/run/podman", target: "/p" }]; }),
            expect: ['mounts[0].source "/run/podman" contains the container runtime socket /run/podman/podman.sock, which grants root on the host: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "the Hugging Face token cache and AWS credentials", on: N.inference,
            resources: () => m(N.inference, (p) => { p.mounts = [{ type: "bind", source: "/home/alice/.cache/huggingface", target: "/hf", readOnly: true }, { type: "bind", source: "/root/.aws/", target: "/aws", readOnly: true }]; }),
            expect: [
                'mounts[0].source "/home/alice/.cache/huggingface" is or holds the credential store .cache/huggingface: remove the bind mount and use a named volume for data.',
                'mounts[1].source "/root/.aws/" is or holds the credential store .aws: remove the bind mount and use a named volume for data.',
            ] },
        { kind: "check", title: "a whole home directory", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ hostPath: "/home/alice", containerPath: "/work", readOnly: true }]; }),
            expect: ['volumes[0].hostPath "/home/alice" is a home directory, which holds credential stores (.ssh, .aws, .docker, …): remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a directory holding the socket", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ hostPath: "/run/", containerPath: "/host-run" }]; }),
            expect: ['volumes[0].hostPath "/run/" contains the container runtime socket /run/docker.sock, which grants root on the host: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "/etc bind mount", on: N.inference,
            resources: () => m(N.inference, (p) => { p.mounts = [{ type: "bind", source: "/etc/ssl", target: "/etc/ssl", readOnly: true }]; }),
            expect: ['mounts[0].source "/etc/ssl" is under the sensitive host path /etc: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a data directory under a home and a volume mount are fine",
            resources: () => m(N.training, (p) => { p.mounts = [{ type: "bind", source: "/home/alice/datasets", target: "/datasets", readOnly: true }, { type: "volume", source: "etc", target: "/x", readOnly: true }]; }), expect: [] },
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
        { kind: "check", title: "a sidecar joins the server's PID namespace (reads its API key through /proc)", on: N.training,
            resources: () => m(N.training, (p) => { p.pidMode = "container:airlock-dev-qwen-0"; p.ipcMode = "container:airlock-dev-qwen-0"; }),
            expect: [
                'pidMode "container:airlock-dev-qwen-0" joins another container\'s process namespace, so this container can read its environment (API keys included) and memory: remove pidMode.',
                'ipcMode "container:airlock-dev-qwen-0" joins another container\'s IPC namespace and its shared memory: remove ipcMode.',
            ] },
        { kind: "missing", title: "unset = private namespaces", resources: () => m(N.training, (p) => { p.pidMode = undefined; p.ipcMode = undefined; }), expect: [] },
        { kind: "unknown", title: "pidMode unknown", on: N.training,
            resources: () => m(N.training, (p) => { p.pidMode = UNKNOWN.string; }), expect: [unknownMsg("pidMode")] },
    ],
    "docker-container-disallow-host-devices": [
        { kind: "check", title: "/dev/mem", on: N.inference, resources: () => m(N.inference, (p) => { p.devices = [{ hostPath: "/dev/mem" }]; }),
            expect: ['devices[0] maps host device "/dev/mem" into the container: remove it and request GPUs with deviceRequests.'] },
        { kind: "check", title: "a device cgroup rule opening every character device", on: N.training,
            resources: () => m(N.training, (p) => { p.deviceCgroupRules = ["c *:* rmw"]; }),
            expect: ['deviceCgroupRules[0] "c *:* rmw" lets the container access host devices outside the GPU runtime: remove it and request GPUs with deviceRequests.'] },
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
        { kind: "check", title: "a container labelled model-staging that is not a one-shot download may not write", on: N.stage,
            resources: () => m(N.stage, (p) => { p.restart = "unless-stopped"; }),
            expect: [`volumes[0] mounts the model store at ${MODEL_PATH} writable in this container labelled "model-staging" (sealed: the claim does not hold): set readOnly: true (only model-staging containers may write the model store).`] },
        { kind: "config", title: "allowedModelRoots override", on: N.training,
            config: { "docker-container-require-read-only-model-volumes": { allowedModelRoots: ["/output"] } },
            resources: () => secureStack().filter((r) => r.name !== N.init),
            expect: ["volumes[2] mounts the model store at /output writable in this training container: set readOnly: true (only model-staging containers may write the model store)."] },
        { kind: "unknown", title: "readOnly unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { (p.volumes as { readOnly?: unknown }[])[0]!.readOnly = UNKNOWN.boolean; }), expect: [unknownMsg("volumes[0].readOnly")] },
    ],
    "docker-container-require-non-root-user": [
        { kind: "check", title: "user root (0:0)", on: N.inference, resources: () => m(N.inference, (p) => { p.user = "0:0"; }),
            expect: ['user "0:0" is uid 0 (root): this vLLM server must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "user root by name", on: N.training, resources: () => m(N.training, (p) => { p.user = "root"; }),
            expect: ['user "root" is root: this training container must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "uid 0 spelled \"00\" (the runtime parses it as 0)", on: N.training, resources: () => m(N.training, (p) => { p.user = "00:1000"; }),
            expect: ['user "00:1000" is uid 0 (root): this training container must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "a non-root uid in the root group", on: N.inference, resources: () => m(N.inference, (p) => { p.user = "1000:0"; }),
            expect: ['user "1000:0" runs in group 0 (root), which owns root-only files: this vLLM server must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "a uid without a group (runc: the image's passwd group, or 0 when the uid is not listed)", on: N.inference, resources: () => m(N.inference, (p) => { p.user = "1000"; }),
            expect: ['user "1000" sets no group, so it runs in the group the image\'s /etc/passwd gives the uid, or in group 0 (root) when it lists none, which cannot be verified: this vLLM server must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "a user name (resolved in the image, may be uid 0)", on: N.inference, resources: () => m(N.inference, (p) => { p.user = "vllm"; }),
            expect: ['user "vllm" names a user that is resolved in the image\'s /etc/passwd (it may be uid 0), which cannot be verified: this vLLM server must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "check", title: "group 0 and the docker group added", on: N.training, resources: () => m(N.training, (p) => { p.groupAdds = ["0", "docker", "video"]; }),
            expect: ['groupAdds adds "0", a group with root-equivalent access: remove it.', 'groupAdds adds "docker", a group with root-equivalent access: remove it.'] },
        { kind: "check", title: "an unlabeled container is sealed: it must not run as root", on: N.training,
            resources: () => m(N.training, (p) => { unlabeled(p); p.user = "0"; }),
            expect: [`user "0" is uid 0 (root): this ${SEALED} must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".`] },
        { kind: "scope", title: "model-staging and volume-init may run as root", resources: () => secureStack(), expect: [] },
        { kind: "missing", title: "user unset", on: N.training, resources: () => m(N.training, (p) => { p.user = undefined; }),
            expect: ['user is unset (the image\'s default user runs, often root): this training container must not run as root — set user to a numeric non-root uid:gid such as "1000:1000".'] },
        { kind: "unknown", title: "user unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.user = UNKNOWN.string; }), expect: [unknownMsg("user")] },
    ],
    "docker-container-require-read-only-root-filesystem": [
        { kind: "check", title: "readOnly false", on: N.stage, resources: () => m(N.stage, (p) => { p.readOnly = false; }),
            expect: ["readOnly is false, so the container can modify its root file system: set readOnly: true and mount writable paths as tmpfs."] },
        { kind: "check", title: "an exec tmpfs outside the JIT cache root", on: N.inference,
            resources: () => m(N.inference, (p) => { p.tmpfs = { "/tmp": "rw,exec,size=1g", "/cache": "rw,exec,nosuid,size=8g" }; }),
            expect: ['tmpfs "/tmp" is mounted with exec, a writable place to drop and run binaries: remove "exec" (Docker then mounts it noexec), or keep exec only under /cache (allowedExecTmpfsPaths).'] },
        { kind: "check", title: "a later noexec wins over exec",
            resources: () => m(N.inference, (p) => { p.tmpfs = { "/tmp": "exec,noexec" }; }), expect: [] },
        { kind: "config", title: "allowedExecTmpfsPaths override", on: N.inference,
            config: { "docker-container-require-read-only-root-filesystem": { allowedExecTmpfsPaths: ["/jit"] } },
            resources: () => m(N.inference, (p) => { p.tmpfs = { "/cache": "rw,exec" }; }),
            expect: ['tmpfs "/cache" is mounted with exec, a writable place to drop and run binaries: remove "exec" (Docker then mounts it noexec), or keep exec only under /jit (allowedExecTmpfsPaths).'] },
        { kind: "missing", title: "readOnly unset", on: N.inference, resources: () => m(N.inference, (p) => { p.readOnly = undefined; }),
            expect: ["readOnly is unset, so the container can modify its root file system: set readOnly: true and mount writable paths as tmpfs."] },
        { kind: "unknown", title: "readOnly unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.readOnly = UNKNOWN.boolean; }), expect: [unknownMsg("readOnly")] },
    ],
    "docker-container-disallow-vllm-dangerous-modes": [
        { kind: "check", title: "export VLLM_SERVER_DEV_MODE=1 in a shell form", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["sh", "-c"]; p.command = [`export VLLM_SERVER_DEV_MODE=1 && exec vllm serve ${MODEL_PATH}`]; }),
            expect: [`${CMDLINE}: VLLM_SERVER_DEV_MODE="1" is on for vLLM and enables the development endpoints (arbitrary RPC into the engine) (vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on): remove it or set VLLM_SERVER_DEV_MODE=0.`] },
        { kind: "check", title: "VLLM_SERVER_DEV_MODE=1", on: N.inference, resources: () => m(N.inference, (p) => setEnv(p, "VLLM_SERVER_DEV_MODE=1")),
            expect: ['envs: VLLM_SERVER_DEV_MODE="1" is on for vLLM and enables the development endpoints (arbitrary RPC into the engine) (vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on): remove it or set VLLM_SERVER_DEV_MODE=0.'] },
        { kind: "check", title: "VLLM_SERVER_DEV_MODE=2 and \" 1\" (vLLM reads bool(int(v)))", on: N.inference,
            resources: () => m(N.inference, (p) => { setEnv(p, "VLLM_SERVER_DEV_MODE=2"); }),
            expect: ['envs: VLLM_SERVER_DEV_MODE="2" is on for vLLM and enables the development endpoints (arbitrary RPC into the engine) (vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on): remove it or set VLLM_SERVER_DEV_MODE=0.'] },
        { kind: "check", title: "a value vLLM cannot read is unverifiable", on: N.training,
            resources: () => m(N.training, (p) => setEnv(p, "VLLM_SERVER_DEV_MODE=yes")),
            expect: ['envs: VLLM_SERVER_DEV_MODE="yes" is not an integer, which vLLM cannot read (unverifiable); enables the development endpoints (arbitrary RPC into the engine) when on (vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on): remove it or set VLLM_SERVER_DEV_MODE=0.'] },
        { kind: "check", title: "insecure serialization (pickle)", on: N.inference, resources: () => m(N.inference, (p) => setEnv(p, "VLLM_ALLOW_INSECURE_SERIALIZATION= 1")),
            expect: ['envs: VLLM_ALLOW_INSECURE_SERIALIZATION=" 1" is on for vLLM and lets the engine unpickle untrusted data (remote code execution) (vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on): remove it or set VLLM_ALLOW_INSECURE_SERIALIZATION=0.'] },
        { kind: "check", title: "runtime LoRA updating", on: N.inference, resources: () => m(N.inference, (p) => setEnv(p, "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True")),
            expect: ['envs: VLLM_ALLOW_RUNTIME_LORA_UPDATING="True" is on for vLLM and lets API clients load LoRA adapters at runtime (vLLM strips and lowercases it: "1" or "true" is on): remove it or set VLLM_ALLOW_RUNTIME_LORA_UPDATING=0.'] },
        { kind: "check", title: "forbidden flags, in any spelling", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--enable-tokenizer-info", "--profiler_config={\"profiler\":\"torch\"}"]; }),
            expect: [
                "command passes --enable-tokenizer-info (vLLM reads it as --enable-tokenizer-info-endpoint), which exposes the tokenizer's internals over the API: remove it.",
                "command passes --profiler_config (vLLM reads it as --profiler-config), which enables profiler endpoints: remove it.",
            ] },
        { kind: "check", title: "dev mode off (0, \"00\", \" 0 \") is fine", resources: () => m(N.inference, (p) => setEnv(p, "VLLM_SERVER_DEV_MODE= 00 ")), expect: [] },
        { kind: "missing", title: "no envs, no command", resources: () => m(N.inference, (p) => { p.envs = undefined; p.command = undefined; }), expect: [] },
        { kind: "unknown", title: "envs unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = UNKNOWN.string; }), expect: [unknownMsg("envs")] },
    ],
    "docker-volume-disallow-host-bind": [
        { kind: "check", title: "a bind volume onto /etc", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "bind", device: "/etc" }; }),
            expect: ['driverOpts.device "/etc" is a sensitive host path: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a bind volume onto the docker socket's directory", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "rbind,ro", device: "/var/run" }; }),
            expect: ['driverOpts.device "/var/run" contains the container runtime socket /var/run/docker.sock, which grants root on the host: remove the bind mount and use a named volume for data.'] },
        { kind: "check", title: "a bind volume onto a data directory is fine",
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "none", o: "bind", device: "/srv/models" }; }), expect: [] },
        { kind: "missing", title: "driverOpts unset", resources: () => m(N.volume, (p) => { p.driverOpts = undefined; }), expect: [] },
        { kind: "unknown", title: "device unknown", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { o: "bind", device: UNKNOWN.string }; }), expect: [unknownMsg("driverOpts.device")] },
    ],
    "docker-container-verify-role-claim": [
        { kind: "check", title: "model-staging with a GPU is not a one-shot download", on: N.stage,
            resources: () => m(N.stage, (p) => { p.deviceRequests = [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }]; }),
            expect: [`labels claim airlock.dev/role="model-staging", but ${"it requests GPUs"}: the container is held to the sealed rules — make it match the role or remove the label.`] },
        { kind: "check", title: "model-staging through a shell (not an exec-form download)", on: N.stage,
            resources: () => m(N.stage, (p) => { p.entrypoints = ["sh", "-c"]; p.command = [`hf download Qwen/Qwen3-4B-Instruct-2507 --revision ${MODEL_REVISION} --local-dir ${MODEL_PATH} && curl -d @/models x`]; }),
            expect: [`labels claim airlock.dev/role="model-staging", but its command is not an exec-form "hf download <repo> --revision <sha> --local-dir <path>" (got ${JSON.stringify(`sh -c hf download Qwen/Qwen3-4B-Instruct-2507 --revision ${MODEL_REVISION} --local-dir ${MODEL_PATH} && curl -d @/models x`)}): the container is held to the sealed rules — make it match the role or remove the label.`] },
        { kind: "check", title: "model-staging that also serves (a restart policy and a published port)", on: N.stage,
            resources: () => m(N.stage, (p) => { p.restart = "always"; p.ports = [{ internal: 8000, ip: "127.0.0.1" }]; }),
            expect: ['labels claim airlock.dev/role="model-staging", but restart is "always", so it does not run once; it publishes ports: the container is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "a vLLM server labelled model-staging", on: N.inference,
            resources: () => m(N.inference, (p) => { p.labels = role("model-staging"); }),
            expect: ['labels claim airlock.dev/role="model-staging", but it runs a vLLM server: the container is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "a role the pack does not know", on: N.training,
            resources: () => m(N.training, (p) => { p.labels = role("batch"); }),
            expect: ['labels claim airlock.dev/role="batch", but "batch" is not a role the pack knows (inference, training, model-staging, volume-init, gateway): the container is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "volume-init on a network, changing a model volume", on: N.init,
            resources: () => m(N.init, (p) => { p.networkMode = "airlock-dev-staging"; p.command = ["1777", "/models/x"]; }),
            expect: ['labels claim airlock.dev/role="volume-init", but networkMode is "airlock-dev-staging", not "none"; it changes /models/x, which is not one of its writable volumes; it changes /models/x under the model store /models: the container is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "a vLLM image labelled gateway", on: N.gateway,
            resources: () => m(N.gateway, (p) => { p.image = VLLM_IMAGE; }),
            expect: ['labels claim airlock.dev/role="gateway", but its image "mirror/vllm/vllm-openai" is not a known reverse proxy (nginx, nginxinc/nginx-unprivileged, envoyproxy/envoy, caddy, haproxy, traefik): the container is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "a gateway holding the model volume, a GPU and the HF token", on: N.gateway,
            resources: () => m(N.gateway, (p) => {
                p.volumes = [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: MODEL_PATH, readOnly: true }];
                p.deviceRequests = [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }];
                p.envs = [...arr(p.envs), `HF_TOKEN=${HF_TOKEN}`];
            }),
            expect: [`labels claim airlock.dev/role="gateway", but it requests GPUs; volumes[0] mounts ${MODEL_PATH} (a gateway mounts no volume, model or host path); envs holds the credential HF_TOKEN, which is not the gateway's own (AIRLOCK_GATEWAY_*): the container is held to the sealed rules — make it match the role or remove the label.`] },
        { kind: "scope", title: "the secure stack's staging, volume-init and gateway claims hold", resources: () => secureStack(), expect: [] },
        { kind: "missing", title: "no label claims nothing", resources: () => m(N.training, (p) => { unlabeled(p); }), expect: [] },
        { kind: "unknown", title: "restart unknown on a staging container", on: N.stage,
            resources: () => m(N.stage, (p) => { p.restart = UNKNOWN.string; }), expect: [unknownMsg("restart")] },
    ],
    "docker-container-restrict-log-driver": [
        { kind: "check", title: "syslog ships logs off the host", on: N.inference,
            resources: () => m(N.inference, (p) => { p.logDriver = "syslog"; p.logOpts = { "syslog-address": "tcp://logs.example.com:514" }; }),
            expect: ['logDriver "syslog" is not a driver that keeps logs on the host (json-file, local, journald, none): it can ship prompts and completions out of the enclave — remove logDriver or set "local".'] },
        { kind: "check", title: "splunk with its token in logOpts", on: N.inference,
            resources: () => m(N.inference, (p) => { p.logDriver = "splunk"; p.logOpts = { "splunk-url": "https://splunk:8088", "splunk-token": "00000000-1111-2222-3333-444444444444" }; }),
            expect: [
                'logDriver "splunk" is not a driver that keeps logs on the host (json-file, local, journald, none): it can ship prompts and completions out of the enclave — remove logDriver or set "local".',
                "logOpts.splunk-token holds a credential, stored in plaintext in the state: remove it.",
            ] },
        { kind: "check", title: "local drivers with rotation options are fine",
            resources: () => m(N.inference, (p) => { p.logDriver = "local"; p.logOpts = { "max-size": "10m", "max-file": "3" }; }), expect: [] },
        { kind: "missing", title: "logDriver unset (the daemon's default)", resources: () => m(N.inference, (p) => { p.logDriver = undefined; }), expect: [] },
        { kind: "config", title: "allowedLogDrivers narrowed to local", on: N.inference,
            config: { "docker-container-restrict-log-driver": { allowedLogDrivers: ["local"] } },
            resources: () => m(N.inference, (p) => { p.logDriver = "json-file"; }),
            expect: ['logDriver "json-file" is not a driver that keeps logs on the host (local): it can ship prompts and completions out of the enclave — remove logDriver or set "local".'] },
        { kind: "unknown", title: "logDriver unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.logDriver = UNKNOWN.string; }), expect: [unknownMsg("logDriver")] },
    ],
    "docker-container-require-declared-volumes": [
        { kind: "check", title: "a writable volume the stack does not declare", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [...(p.volumes as object[]), { volumeName: "scratch-nfs", containerPath: "/scratch", readOnly: false }]; }),
            expect: ['volumes[3] mounts volume "scratch-nfs" writable, but no docker.Volume of that name is declared in this stack on the same Docker host, so where its data goes cannot be verified: declare it, or mount it read-only.'] },
        { kind: "check", title: "another container's volumes", on: N.training,
            resources: () => m(N.training, (p) => { p.volumes = [{ fromContainer: "airlock-dev-qwen-0" }]; }),
            expect: ["volumes[0].fromContainer mounts every volume of another container, which cannot be verified: mount the volumes it needs explicitly."] },
        { kind: "check", title: "an inline volume on a plugin driver and one on NFS", on: N.inference,
            resources: () => m(N.inference, (p) => { p.mounts = [
                { type: "volume", target: "/a", source: "a", readOnly: true, volumeOptions: { driverName: "vieux/sshfs" } },
                { type: "volume", target: "/b", source: "b", readOnly: true, volumeOptions: { driverOptions: { type: "nfs", o: "addr=10.0.0.5,rw", device: ":/export" } } },
            ]; }),
            expect: [
                'mounts[0].volumeOptions.driver "vieux/sshfs" is not a driver that keeps data on the host (local): a volume plugin can mount remote storage, a path out of the enclave — use the local driver.',
                'mounts[1].volumeOptions.driverOpts o "addr=10.0.0.5,rw" names a remote address, so the local driver mounts storage the pack cannot verify is on the host (NFS, CIFS, a block device, …): remove driverOpts for a plain named volume.',
            ] },
        { kind: "check", title: "a volume declared on another Docker host", on: N.training,
            resources: () => secureStack().map((r) => (r.name === N.output ? { ...r, provider: otherHost } : r)).filter((r) => r.name !== N.init),
            expect: ['volumes[2] mounts volume "airlock-dev-qwen-lora-output" writable, but no docker.Volume of that name is declared in this stack on the same Docker host, so where its data goes cannot be verified: declare it, or mount it read-only.'] },
        { kind: "scope", title: "an existing data volume mounted read-only is allowed", resources: () => secureStack(), expect: [] },
        { kind: "missing", title: "no volumes at all", resources: () => m(N.training, (p) => { p.volumes = undefined; p.mounts = undefined; }), expect: [] },
        { kind: "config", title: "a reviewed volume plugin in allowedVolumeDrivers",
            config: { "docker-container-require-declared-volumes": { allowedVolumeDrivers: ["local", "vieux/sshfs"] } },
            resources: () => m(N.inference, (p) => { p.mounts = [{ type: "volume", target: "/a", source: "a", readOnly: true, volumeOptions: { driverName: "vieux/sshfs" } }]; }),
            expect: [] },
        { kind: "unknown", title: "a volume name unknown at preview", on: N.training,
            resources: () => m(N.training, (p) => { (p.volumes as { volumeName?: string }[])[2]!.volumeName = UNKNOWN.string; }), expect: [unknownMsg("volumes[2].volumeName")] },
    ],
    "docker-volume-disallow-remote-storage": [
        { kind: "check", title: "an NFS share through the local driver", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "nfs", o: "addr=10.0.0.5,rw,nfsvers=4", device: ":/exports/models" }; }),
            expect: ['driverOpts o "addr=10.0.0.5,rw,nfsvers=4" names a remote address, so the local driver mounts storage the pack cannot verify is on the host (NFS, CIFS, a block device, …): remove driverOpts for a plain named volume.'] },
        { kind: "check", title: "a volume plugin", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driver = "rexray/s3fs"; }),
            expect: ['driver "rexray/s3fs" is not a driver that keeps data on the host (local): a volume plugin can mount remote storage, a path out of the enclave — use the local driver.'] },
        { kind: "check", title: "a raw block device", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "ext4", device: "/dev/sdb1" }; }),
            expect: ['driverOpts type "ext4" with device, type, so the local driver mounts storage the pack cannot verify is on the host (NFS, CIFS, a block device, …): remove driverOpts for a plain named volume.'] },
        { kind: "check", title: "tmpfs and host binds are local (binds are checked by docker-volume-disallow-host-bind)",
            resources: () => m(N.volume, (p) => { p.driverOpts = { type: "tmpfs", device: "tmpfs", o: "size=1g" }; }), expect: [] },
        { kind: "missing", title: "driver unset = local", resources: () => m(N.volume, (p) => { p.driver = undefined; p.driverOpts = undefined; }), expect: [] },
        { kind: "config", title: "a reviewed plugin in allowedVolumeDrivers",
            config: { "docker-volume-disallow-remote-storage": { allowedVolumeDrivers: ["local", "rexray/s3fs"] } },
            resources: () => m(N.volume, (p) => { p.driver = "rexray/s3fs"; }), expect: [] },
        { kind: "unknown", title: "driver unknown", on: N.volume,
            resources: () => m(N.volume, (p) => { p.driver = UNKNOWN.string; }), expect: [unknownMsg("driver")] },
    ],
    "docker-buildx-builder-disallow-host-network": [
        { kind: "check", title: "a builder on the host's network", on: "builder",
            resources: () => [...secureStack(), builder({ driver: "docker-container", dockerContainer: { network: "host" } })],
            expect: ['dockerContainer.network is "host", so build steps run on the host\'s network: remove it.'] },
        { kind: "check", title: "insecure entitlements", on: "builder",
            resources: () => [...secureStack(), builder({ buildkitFlags: "--allow-insecure-entitlement network.host --allow-insecure-entitlement security.insecure" })],
            expect: [
                "buildkitFlags allows the network.host entitlement, so build steps can use the host's network: remove it.",
                "buildkitFlags allows the security.insecure entitlement, so build steps can run privileged: remove it.",
            ] },
        { kind: "missing", title: "a plain builder", resources: () => [...secureStack(), builder({})], expect: [] },
        { kind: "unknown", title: "buildkitFlags unknown", on: "builder",
            resources: () => [...secureStack(), builder({ buildkitFlags: UNKNOWN.string })], expect: [unknownMsg("buildkitFlags")] },
    ],
    "docker-container-require-verifiable-config": [
        { kind: "check", title: "one env key set twice with different values", on: N.inference,
            resources: () => m(N.inference, (p) => { p.envs = [...arr(p.envs), "HF_HUB_OFFLINE=0"]; }),
            expect: ["envs sets HF_HUB_OFFLINE more than once with different values; envs is a set whose order the Docker provider does not keep, so which value wins cannot be verified: set HF_HUB_OFFLINE once."] },
        { kind: "check", title: "vLLM reads further flags from a file (--config, --conf=)", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = [...arr(p.command), "--config", "/etc/vllm.yaml", "--conf=/x.yaml"]; }),
            expect: [
                "command passes --config /etc/vllm.yaml, which vLLM reads as --config: it loads further arguments from a file the pack cannot read: pass the options as flags in command instead.",
                "command passes --conf=/x.yaml, which vLLM reads as --config: it loads further arguments from a file the pack cannot read: pass the options as flags in command instead.",
            ] },
        { kind: "check", title: "a model server built by a shell at run time", on: N.inference,
            resources: () => m(N.inference, (p) => { p.entrypoints = ["sh", "-c"]; p.command = ["exec vllm serve $MODEL_DIR --port 8000"]; }),
            expect: ["command runs a shell string with parameter expansion, so the vLLM server's real command line is built at run time and cannot be checked: use the exec form (entrypoints + command) with literal arguments."] },
        { kind: "check", title: "a GPU job through command substitution", on: N.training,
            resources: () => m(N.training, (p) => { unlabeled(p); p.entrypoints = ["/bin/bash", "-c"]; p.command = ["$(printf axolotl) train /data/x.yml"]; }),
            expect: [`command runs a shell string with command substitution, so the ${SEALED}'s real command line is built at run time and cannot be checked: use the exec form (entrypoints + command) with literal arguments.`] },
        { kind: "scope", title: "a helper without GPU or model mount may use a shell",
            resources: () => m(N.init, (p) => { p.labels = undefined; p.entrypoints = ["sh", "-c"]; p.command = ["chmod 1777 $OUT"]; }), expect: [] },
        { kind: "missing", title: "no envs, no command", resources: () => m(N.inference, (p) => { p.envs = undefined; p.command = undefined; }), expect: [] },
        { kind: "unknown", title: "command unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.command = UNKNOWN.string; }), expect: [unknownMsg("command")] },
    ],
    "docker-container-restrict-runtime-settings": [
        { kind: "check", title: "an unreviewed runtime", on: N.inference,
            resources: () => m(N.inference, (p) => { p.runtime = "sysbox-runc"; }),
            expect: ['runtime "sysbox-runc" is not in allowedRuntimes (runc, io.containerd.runc.v2, nvidia, runsc), so how it builds the sandbox cannot be verified: remove runtime or allow it in the policy config after review.'] },
        { kind: "check", title: "a sysctl and a cgroup parent", on: N.training,
            resources: () => m(N.training, (p) => { p.sysctls = { "net.ipv4.ping_group_range": "0 2147483647" }; p.cgroupParent = "/"; }),
            expect: [
                'sysctls sets "net.ipv4.ping_group_range", which is not in allowedSysctls (none allowed): remove it or allow it in the policy config after review.',
                'cgroupParent "/" places the container under a cgroup this stack does not declare, whose limits cannot be verified: remove cgroupParent.',
            ] },
        { kind: "check", title: "the NVIDIA runtime is allowed", resources: () => m(N.inference, (p) => { p.runtime = "nvidia"; }), expect: [] },
        { kind: "missing", title: "all unset", resources: () => m(N.inference, (p) => { p.runtime = undefined; p.sysctls = undefined; }), expect: [] },
        { kind: "config", title: "allowedRuntimes narrowed, a sysctl allowed", on: N.inference,
            config: { "docker-container-restrict-runtime-settings": { allowedRuntimes: ["runc"], allowedSysctls: ["net.ipv4.ip_unprivileged_port_start"] } },
            resources: () => m(N.inference, (p) => { p.runtime = "nvidia"; p.sysctls = { "net.ipv4.ip_unprivileged_port_start": "0" }; }),
            expect: ['runtime "nvidia" is not in allowedRuntimes (runc), so how it builds the sandbox cannot be verified: remove runtime or allow it in the policy config after review.'] },
        { kind: "unknown", title: "runtime unknown", on: N.inference,
            resources: () => m(N.inference, (p) => { p.runtime = UNKNOWN.string; }), expect: [unknownMsg("runtime")] },
    ],
    "docker-service-disallow-swarm": [
        { kind: "check", title: "a swarm service running vLLM", on: "svc",
            resources: () => [...secureStack(), { type: DOCKER_TYPES.service, name: "svc", props: { name: "vllm", taskSpec: { containerSpec: { image: VLLM_IMAGE } } } }],
            expect: [`docker.Service (${VLLM_IMAGE}) is a swarm service, which the container rules do not cover (its network, env and sandbox are not checked): run it as a docker.Container instead.`] },
        { kind: "missing", title: "a service without an image", on: "svc",
            resources: () => [...secureStack(), { type: DOCKER_TYPES.service, name: "svc", props: { name: "x", taskSpec: { containerSpec: {} } } }],
            expect: ["docker.Service is a swarm service, which the container rules do not cover (its network, env and sandbox are not checked): run it as a docker.Container instead."] },
        { kind: "unknown", title: "image unknown", on: "svc",
            resources: () => [...secureStack(), { type: DOCKER_TYPES.service, name: "svc", props: { name: "x", taskSpec: { containerSpec: { image: UNKNOWN.string } } } }],
            expect: [unknownMsg("taskSpec.containerSpec.image")] },
    ],
    "docker-plugin-disallow-broad-permissions": [
        { kind: "check", title: "grantAllPermissions", on: "plugin",
            resources: () => [...secureStack(), plugin({ name: "vieux/sshfs:latest", grantAllPermissions: true })],
            expect: ['grantAllPermissions is true, so plugin "vieux/sshfs:latest" gets every privilege it asks for (host network, devices, capabilities, host mounts): remove it and list reviewed grantPermissions.'] },
        { kind: "check", title: "host network, a mount of / and every device", on: "plugin",
            resources: () => [...secureStack(), plugin({ name: "p", grantPermissions: [
                { name: "network", values: ["host"] }, { name: "mount", values: ["/", "/srv/data"] }, { name: "allow-all-devices", values: ["true"] },
            ] })],
            expect: [
                "grantPermissions[0] (network) grants host networking, a host-level privilege: remove it.",
                "grantPermissions[1] (mount) grants host mounts /, a host-level privilege: remove it.",
                "grantPermissions[2] (allow-all-devices) grants every host device, a host-level privilege: remove it.",
            ] },
        { kind: "missing", title: "no permissions granted", resources: () => [...secureStack(), plugin({ name: "p" })], expect: [] },
        { kind: "unknown", title: "grantAllPermissions unknown", on: "plugin",
            resources: () => [...secureStack(), plugin({ name: "p", grantAllPermissions: UNKNOWN.boolean })], expect: [unknownMsg("grantAllPermissions")] },
    ],

};

// The RunPod rules' cases live beside this table (same conventions).
Object.assign(CASES, RUNPOD_CASES);

/** The rules of this table (Docker, and RunPod from runpod-cases.ts); Kubernetes has its own (tests/policies/kubernetes/). */
const dockerPolicies = allPolicies.filter((p) => p.name.startsWith("docker-") || p.name.startsWith("runpod-"));

describe("every policy has its cases", () => {
    // Kubernetes and AWS rules have their own tables (kubernetes/rules.test.ts, aws-rules.test.ts).
    it.each(dockerPolicies.map((p) => p.name))("%s has check, missing and unknown cases", (name) => {
        const kinds = new Set((CASES[name] ?? []).map((c) => c.kind));
        expect([...kinds].filter((k) => ["check", "missing", "unknown"].includes(k)).sort()).toEqual(["check", "missing", "unknown"]);
    });
    it("the table names no policy the pack lacks", () => {
        expect(Object.keys(CASES).filter((n) => !allPolicies.some((p) => p.name === n))).toEqual([]);
    });
    it("every policy that reads config has a config case", () => {
        const configurable = dockerPolicies.filter((p) => Object.keys(p.configSchema?.properties ?? {}).length > 0).map((p) => p.name);
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
            const resources = c.resources();
            const vs = (await analyzeResources(resources, config)).filter((v) => v.policy === policy);
            expect(vs.map((v) => v.message)).toEqual(c.expect);
            // The configured level (mandatory everywhere except dev's registry rules); never the SDK's advisory downgrade.
            const level = reconcilePolicyConfig(allPolicies, config)[policy]!.enforcementLevel;
            for (const v of vs) {
                expect(v.enforcementLevel).toBe(level);
                if (c.on) expect(v.urn).toBe(urnOf(resources.find((r) => r.name === c.on)!));
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
                const resources = c.resources();
                const on = resources.find((r) => r.name === c.on);
                const vs = (await analyzeResources(resources, prod))
                    .filter((v) => v.policy === (c.deferredTo ?? policy) && (on === undefined || v.urn === urnOf(on)));
                expect(vs.length, `${policy}: ${c.title}`).toBeGreaterThan(0);
                expect(vs.every((v) => v.enforcementLevel === "mandatory" && v.message.includes("is unknown at preview")), `${policy}: ${c.title}`).toBe(true);
            }
        }
    });
    it("inference() is the shape the fixtures' stack uses", () => {
        expect(secureStack().find((r) => r.name === N.inference)?.props.networkMode).toBe(inference().networkMode);
    });
});
