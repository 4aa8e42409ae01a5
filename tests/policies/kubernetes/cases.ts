/**
 * Per-policy cases of the Kubernetes rules (the table rules.test.ts runs): each starts from the secure enclave and
 * changes one thing; `expect` holds the EXACT messages of the policy under test, `on` the resource they are reported
 * on. Kinds as in tests/policies/rules.test.ts: check, missing (unset = the Kubernetes default), unknown (a mandatory
 * violation naming the field), scope, config.
 */
import type { PolicyPackConfigFile } from "../../../policies/lib/pack-config";
import { VLLM_IMAGE } from "../../fixtures/programs/kubernetes/manifests";
import { type FixtureResource, UNKNOWN } from "../harness";
import { K, LWS_WORKER, NS, container, pod, secureEnclave, withLeaderWorkerSet, withSpec } from "./fixtures";

export type Kind = "check" | "missing" | "unknown" | "scope" | "config";
export interface Case {
    readonly kind: Kind;
    readonly title: string;
    readonly resources: () => FixtureResource[];
    readonly expect: readonly string[];
    readonly config?: PolicyPackConfigFile;
    readonly on?: string;
}

const C = "spec.template.spec.containers[0]";
const P = "spec.template.spec";
export const unknownMsg = (path: string) =>
    `${path} is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`;
const HUB = 'huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)';
const ECR_ONLY = "(allowed: /^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$/)";
const setEnv = (c: { env: { name: string }[] }, name: string, entry?: Record<string, unknown>) => {
    c.env = c.env.filter((e) => e.name !== name);
    if (entry) c.env.push({ name, ...entry });
};
const gateway = (gatewayClassName: unknown): FixtureResource => ({ type: "kubernetes:gateway.networking.k8s.io/v1:Gateway", name: "gw", props: {
    apiVersion: "gateway.networking.k8s.io/v1", kind: "Gateway", metadata: { name: "public", namespace: NS },
    spec: { ...(gatewayClassName === undefined ? {} : { gatewayClassName }), listeners: [{ name: "http", protocol: "HTTP", port: 80 }] },
} });
const bare = (props: Record<string, unknown>): FixtureResource => ({ type: "kubernetes:core/v1:Pod", name: "bare", props });

export const CASES: Record<string, Case[]> = {
    "kubernetes-pod-disallow-privileged": [
        { kind: "check", title: "privileged vLLM container", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.privileged = true; }),
            expect: [`${C}.securityContext.privileged is true, which gives container "vllm" every capability and every device of the node: set it to false (GPUs come from nvidia.com/gpu limits).`] },
        { kind: "check", title: "a privileged init container of a bare Pod", on: "bare",
            resources: () => [...secureEnclave(), bare({ metadata: { namespace: NS }, spec: { containers: [], initContainers: [{ name: "setup", securityContext: { privileged: true } }] } })],
            expect: ['spec.initContainers[0].securityContext.privileged is true, which gives init container "setup" every capability and every device of the node: set it to false (GPUs come from nvidia.com/gpu limits).'] },
        { kind: "check", title: "Windows host process on the pod", on: K.training,
            resources: () => withSpec((s) => { pod(s, "training").securityContext.windowsOptions = { hostProcess: true }; }),
            expect: [`${P}.securityContext.windowsOptions.hostProcess is true, which runs the pod as a process of the node: remove it.`] },
        { kind: "check", title: "a privileged worker of a LeaderWorkerSet (a custom resource, found by shape)", on: "lws",
            resources: () => withLeaderWorkerSet((w) => { w.spec.containers[0].securityContext.privileged = true; }),
            expect: [`${LWS_WORKER}.containers[0].securityContext.privileged is true, which gives container "vllm" every capability and every device of the node: set it to false (GPUs come from nvidia.com/gpu limits).`] },
        { kind: "check", title: "a KServe InferenceService predictor (a pod spec without a template)", on: "isvc",
            resources: () => [...secureEnclave(), { type: "kubernetes:serving.kserve.io/v1beta1:InferenceService", name: "isvc", props: {
                apiVersion: "serving.kserve.io/v1beta1", kind: "InferenceService", metadata: { name: "qwen", namespace: NS },
                spec: { predictor: { containers: [{ name: "kserve-container", image: VLLM_IMAGE, securityContext: { privileged: true } }] } } } }],
            expect: ['spec.predictor.containers[0].securityContext.privileged is true, which gives container "kserve-container" every capability and every device of the node: set it to false (GPUs come from nvidia.com/gpu limits).'] },
        { kind: "unknown", title: "a custom resource's containers unknown", on: "lws",
            resources: () => withLeaderWorkerSet((w) => { w.spec.containers = UNKNOWN.array; }),
            expect: [unknownMsg(`${LWS_WORKER}.containers`)] },
        { kind: "missing", title: "privileged unset is false", resources: () => withSpec((s) => { delete container(s, "server").securityContext.privileged; }), expect: [] },
        { kind: "unknown", title: "privileged unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.privileged = UNKNOWN.boolean; }),
            expect: [unknownMsg(`${C}.securityContext.privileged`)] },
    ],
    "kubernetes-pod-require-no-privilege-escalation": [
        { kind: "check", title: "allowPrivilegeEscalation true", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.allowPrivilegeEscalation = true; }),
            expect: [`${C}.securityContext.allowPrivilegeEscalation is true, so setuid binaries can give container "vllm" root again: set it to false.`] },
        { kind: "missing", title: "unset means true (no no_new_privs)", on: K.stage,
            resources: () => withSpec((s) => { delete container(s, "stage").securityContext; }),
            expect: [`${C}.securityContext.allowPrivilegeEscalation is unset, which Kubernetes treats as true, so setuid binaries can give container "download" root again: set it to false.`] },
        { kind: "unknown", title: "allowPrivilegeEscalation unknown", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").securityContext.allowPrivilegeEscalation = UNKNOWN.boolean; }),
            expect: [unknownMsg(`${C}.securityContext.allowPrivilegeEscalation`)] },
    ],
    "kubernetes-pod-drop-all-capabilities": [
        { kind: "check", title: "drop lists single capabilities, not ALL", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.capabilities = { drop: ["NET_RAW"] }; }),
            expect: [`${C}.securityContext.capabilities.drop is ["NET_RAW"], so container "vllm" keeps the runtime's default capabilities (NET_RAW, SETUID, …): set drop: ["ALL"].`] },
        { kind: "check", title: "adds SYS_ADMIN back", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").securityContext.capabilities.add = ["CAP_SYS_ADMIN"]; }),
            expect: [`${C}.securityContext.capabilities.add adds CAP_SYS_ADMIN, which is not in allowedCapabilities (none): remove it.`] },
        { kind: "missing", title: "capabilities unset", on: K.stage,
            resources: () => withSpec((s) => { delete container(s, "stage").securityContext.capabilities; }),
            expect: [`${C}.securityContext.capabilities.drop is unset, so container "download" keeps the runtime's default capabilities (NET_RAW, SETUID, …): set drop: ["ALL"].`] },
        { kind: "config", title: "NET_BIND_SERVICE allow-listed", config: { all: "mandatory", "kubernetes-pod-drop-all-capabilities": { allowedCapabilities: ["NET_BIND_SERVICE"] } },
            resources: () => withSpec((s) => { container(s, "server").securityContext.capabilities.add = ["NET_BIND_SERVICE"]; }), expect: [] },
        { kind: "unknown", title: "drop unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.capabilities.drop = UNKNOWN.array; }),
            expect: [unknownMsg(`${C}.securityContext.capabilities.drop`)] },
    ],
    "kubernetes-pod-disallow-unconfined-profiles": [
        { kind: "check", title: "seccomp Unconfined on the container overrides the pod", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.seccompProfile = { type: "Unconfined" }; }),
            expect: [`${C}.securityContext.seccompProfile.type is "Unconfined", which lets container "vllm" make every system call: use RuntimeDefault.`] },
        { kind: "check", title: "a Localhost seccomp profile the pack cannot read", on: K.stage,
            resources: () => withSpec((s) => { pod(s, "stage").securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/vllm.json" }; }),
            expect: [`${P}.securityContext.seccompProfile is the Localhost profile "profiles/vllm.json", a file on the node the pack cannot read and not in allowedSecurityProfiles: use RuntimeDefault, or allow-list the reviewed profile.`] },
        { kind: "config", title: "the Localhost profile allow-listed", config: { all: "mandatory", "kubernetes-pod-disallow-unconfined-profiles": { allowedSecurityProfiles: ["profiles/vllm.json"] } },
            resources: () => withSpec((s) => { pod(s, "stage").securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/vllm.json" }; }), expect: [] },
        { kind: "check", title: "AppArmor Unconfined, spc_t, Unmasked /proc and the legacy annotation", on: K.training,
            resources: () => withSpec((s) => {
                const sc = container(s, "training").securityContext;
                sc.appArmorProfile = { type: "Unconfined" };
                sc.seLinuxOptions = { type: "spc_t" };
                sc.procMount = "Unmasked";
                s.training.spec.template.metadata.annotations = { "container.apparmor.security.beta.kubernetes.io/train": "unconfined" };
            }),
            expect: [
                `${C}.securityContext.appArmorProfile.type is Unconfined, which disables AppArmor for container "train": use RuntimeDefault.`,
                'the pod annotation container.apparmor.security.beta.kubernetes.io/train is "unconfined", which disables AppArmor for container "train": remove it.',
                `${C}.securityContext.seLinuxOptions.type is "spc_t", which is not a container type (container_t, container_init_t, container_kvm_t, container_engine_t): remove it.`,
                `${C}.securityContext.procMount is Unmasked, which exposes the node's /proc to container "train": remove it.`,
            ] },
        { kind: "missing", title: "seccomp unset on pod and container = Unconfined", on: K.server,
            resources: () => withSpec((s) => { delete pod(s, "server").securityContext.seccompProfile; }),
            expect: [`${C}.securityContext.seccompProfile and ${P}.securityContext.seccompProfile are unset, so container "vllm" runs Unconfined (kubelet's default): set seccompProfile: { type: RuntimeDefault } on the pod.`] },
        { kind: "unknown", title: "the pod's seccomp type unknown", on: K.server,
            resources: () => withSpec((s) => { pod(s, "server").securityContext.seccompProfile = { type: UNKNOWN.string }; }),
            expect: [unknownMsg(`${P}.securityContext.seccompProfile.type`)] },
    ],
    "kubernetes-pod-require-non-root": [
        { kind: "check", title: "runAsNonRoot false on the container overrides the pod", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.runAsNonRoot = false; }),
            expect: [`${C}.securityContext.runAsNonRoot is false, so container "vllm" may run as root: set it to true.`] },
        { kind: "check", title: "runAsUser 0 and supplemental group 0", on: K.training,
            resources: () => withSpec((s) => { pod(s, "training").securityContext.runAsUser = 0; pod(s, "training").securityContext.supplementalGroups = [0]; }),
            expect: [
                `${P}.securityContext.supplementalGroups contains 0, the root group, which owns root-only files: remove it.`,
                `${P}.securityContext.runAsUser is 0 (root), for container "train": use an unprivileged id such as 1000.`,
            ] },
        { kind: "missing", title: "runAsNonRoot unset everywhere", on: K.stage,
            resources: () => withSpec((s) => { delete pod(s, "stage").securityContext.runAsNonRoot; }),
            expect: [`runAsNonRoot is unset on ${C}.securityContext and ${P}.securityContext, so container "download" runs as the image's user (often root): set runAsNonRoot: true and runAsUser: 1000 on the pod.`] },
        { kind: "unknown", title: "runAsNonRoot unknown", on: K.server,
            resources: () => withSpec((s) => { pod(s, "server").securityContext.runAsNonRoot = UNKNOWN.boolean; }),
            expect: [unknownMsg(`${P}.securityContext.runAsNonRoot`)] },
    ],
    "kubernetes-pod-require-read-only-root-filesystem": [
        { kind: "check", title: "readOnlyRootFilesystem false", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").securityContext.readOnlyRootFilesystem = false; }),
            expect: [`${C}.securityContext.readOnlyRootFilesystem is false, so container "vllm" can rewrite its own image: set it to true and give writable paths emptyDir volumes.`] },
        { kind: "missing", title: "unset is writable", on: K.training,
            resources: () => withSpec((s) => { delete container(s, "training").securityContext.readOnlyRootFilesystem; }),
            expect: [`${C}.securityContext.readOnlyRootFilesystem is unset (false), so container "train" can rewrite its own image: set it to true and give writable paths emptyDir volumes.`] },
        { kind: "unknown", title: "readOnlyRootFilesystem unknown", on: K.stage,
            resources: () => withSpec((s) => { container(s, "stage").securityContext.readOnlyRootFilesystem = UNKNOWN.boolean; }),
            expect: [unknownMsg(`${C}.securityContext.readOnlyRootFilesystem`)] },
    ],
    "kubernetes-pod-require-resource-limits": [
        { kind: "check", title: "no memory limit on the server", on: K.server,
            resources: () => withSpec((s) => { delete container(s, "server").resources.limits.memory; }),
            expect: [`${C}.resources sets no limits.memory: container "vllm" may take the node's memory and CPU — set requests and a memory limit.`] },
        { kind: "check", title: "/dev/shm without sizeLimit", on: K.server,
            resources: () => withSpec((s) => { pod(s, "server").volumes[3].emptyDir = { medium: "Memory" }; }),
            expect: [`${P}.volumes[3] (dshm) is a memory-backed emptyDir without sizeLimit, which can fill the node's RAM: set emptyDir.sizeLimit.`] },
        { kind: "check", title: "requests without limits.cpu and no cpu at all", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").resources = { limits: { memory: "24Gi" } }; }),
            expect: [`${C}.resources sets no requests.cpu: container "vllm" may take the node's memory and CPU — set requests and a memory limit.`] },
        { kind: "missing", title: "limits alone: a missing request defaults to the limit", resources: () => withSpec((s) => {
            container(s, "server").resources = { limits: { cpu: "4", memory: "24Gi", "nvidia.com/gpu": "1" } };
        }), expect: [] },
        { kind: "missing", title: "resources unset", on: K.stage,
            resources: () => withSpec((s) => { delete container(s, "stage").resources; }),
            expect: [`${C}.resources sets no requests.cpu, requests.memory, limits.memory: container "download" may take the node's memory and CPU — set requests and a memory limit.`] },
        { kind: "unknown", title: "limits unknown", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").resources.limits = UNKNOWN.object; }),
            expect: [unknownMsg(`${C}.resources.limits`)] },
    ],
    "kubernetes-pod-disallow-host-namespaces": [
        { kind: "check", title: "hostNetwork, hostPID and a hostPort", on: K.server,
            resources: () => withSpec((s) => { pod(s, "server").hostNetwork = true; pod(s, "server").hostPID = true; container(s, "server").ports[0].hostPort = 8000; }),
            expect: [
                `${P}.hostNetwork is true, which puts the pod in the node's network namespace, outside every NetworkPolicy: remove it.`,
                `${P}.hostPID is true, which puts the pod in the node's process namespace: remove it.`,
                `${C}.ports[0].hostPort is 8000, which publishes container "vllm" on the node's interfaces: remove it and use a ClusterIP Service.`,
            ] },
        { kind: "missing", title: "unset = the pod's own namespaces", resources: () => withSpec((s) => { delete pod(s, "server").hostIPC; }), expect: [] },
        { kind: "unknown", title: "hostIPC unknown", on: K.training,
            resources: () => withSpec((s) => { pod(s, "training").hostIPC = UNKNOWN.boolean; }), expect: [unknownMsg(`${P}.hostIPC`)] },
    ],
    "kubernetes-pod-restrict-volume-types": [
        { kind: "check", title: "hostPath of /etc and an nfs volume", on: K.training,
            resources: () => withSpec((s) => { pod(s, "training").volumes.push({ name: "etc", hostPath: { path: "/etc" } }, { name: "share", nfs: { server: "10.0.0.9", path: "/export" } }); }),
            expect: [
                `${P}.volumes[4] (etc) is a hostPath of /etc, which is a sensitive host path: use a persistentVolumeClaim or an emptyDir.`,
                `${P}.volumes[5] (share) is a nfs volume, which the restricted Pod Security Standard forbids (allowed: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret): use a persistentVolumeClaim.`,
            ] },
        { kind: "check", title: "an innocuous-looking hostPath is still the node's file system", on: K.stage,
            resources: () => withSpec((s) => { pod(s, "stage").volumes.push({ name: "scratch", hostPath: { path: "/mnt/fast-ssd" } }); }),
            expect: [`${P}.volumes[3] (scratch) is a hostPath of /mnt/fast-ssd, which exposes the node's file system: use a persistentVolumeClaim or an emptyDir.`] },
        { kind: "missing", title: "no volumes at all", resources: () => withSpec((s) => { delete pod(s, "server").volumes; }), expect: [] },
        { kind: "unknown", title: "a hostPath's path unknown", on: K.training,
            resources: () => withSpec((s) => { pod(s, "training").volumes.push({ name: "h", hostPath: { path: UNKNOWN.string } }); }),
            expect: [unknownMsg(`${P}.volumes[4].hostPath.path`)] },
    ],
    "kubernetes-pod-require-read-only-model-volumes": [
        { kind: "check", title: "the server mounts the model writable", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").volumeMounts[0].readOnly = false; }),
            expect: [`${C}.volumeMounts[0] mounts /models/Qwen--Qwen3-4B-Instruct-2507 (under the model root /models) writable: this vLLM server must not change the model store — set readOnly: true.`] },
        { kind: "check", title: "the claim itself is not read-only", on: K.training,
            resources: () => withSpec((s) => { delete pod(s, "training").volumes[0].persistentVolumeClaim.readOnly; }),
            expect: [`${P}.volumes[0].persistentVolumeClaim (model, mounted at /models/Qwen--Qwen3-4B-Instruct-2507) is not claimed readOnly: set persistentVolumeClaim.readOnly: true.`] },
        { kind: "scope", title: "the verified staging Job writes its download target", resources: () => secureEnclave(), expect: [] },
        { kind: "missing", title: "readOnly unset on the mount is writable", on: K.training,
            resources: () => withSpec((s) => { delete container(s, "training").volumeMounts[0].readOnly; }),
            expect: [`${C}.volumeMounts[0] mounts /models/Qwen--Qwen3-4B-Instruct-2507 (under the model root /models) writable: this training pod must not change the model store — set readOnly: true.`] },
        { kind: "config", title: "another model root", on: K.training, config: { all: "mandatory", "kubernetes-pod-require-read-only-model-volumes": { allowedModelRoots: ["/data"] } },
            resources: () => withSpec((s) => { container(s, "training").volumeMounts[1].readOnly = false; }),
            expect: [`${C}.volumeMounts[1] mounts /data (under the model root /data) writable: this training pod must not change the model store — set readOnly: true.`] },
        { kind: "unknown", title: "mountPath unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").volumeMounts[0].mountPath = UNKNOWN.string; }),
            expect: [unknownMsg(`${C}.volumeMounts[0].mountPath`)] },
    ],
    "kubernetes-pod-disallow-service-account-token": [
        { kind: "check", title: "token mounted explicitly and a projected token", on: K.server,
            resources: () => withSpec((s) => { pod(s, "server").automountServiceAccountToken = true; pod(s, "server").volumes.push({ name: "t", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } }); }),
            expect: [
                `${P}.automountServiceAccountToken is true: the pod would hold a Kubernetes API token — set it to false.`,
                `${P}.volumes[4].projected.sources[0] mounts a serviceAccountToken, a Kubernetes API credential: remove it.`,
            ] },
        { kind: "check", title: "unset on the pod inherits false from the ServiceAccount the stack declares", resources: () => withSpec((s) => {
            delete pod(s, "training").automountServiceAccountToken;
        }), expect: [] },
        { kind: "check", title: "unset on the pod, its ServiceAccount not in the stack", on: K.server, resources: () => withSpec((s) => {
            delete pod(s, "server").automountServiceAccountToken;
            pod(s, "server").serviceAccountName = "vllm";
        }), expect: [`${P}.automountServiceAccountToken is unset, so the ServiceAccount "vllm"'s setting applies (true by default; it is not declared in namespace "${NS}" of this stack, so it cannot be verified): the pod would hold a Kubernetes API token — set it to false on the pod or the ServiceAccount.`] },
        { kind: "missing", title: "unset on the pod and on its ServiceAccount (true by default)", on: K.training,
            resources: () => withSpec((s) => { delete pod(s, "training").automountServiceAccountToken; delete s.serviceAccount.automountServiceAccountToken; }),
            expect: [`${P}.automountServiceAccountToken is unset, so the ServiceAccount "llm" (${K.serviceAccount}) of this stack decides, and its automountServiceAccountToken is unset (true): the pod would hold a Kubernetes API token — set it to false on the pod or the ServiceAccount.`] },
        { kind: "unknown", title: "the ServiceAccount's automountServiceAccountToken unknown", on: K.training,
            resources: () => withSpec((s) => { delete pod(s, "training").automountServiceAccountToken; s.serviceAccount.automountServiceAccountToken = UNKNOWN.boolean; }),
            expect: [`${P}.automountServiceAccountToken is unset, so the ServiceAccount "llm" (${K.serviceAccount}) of this stack decides, and its automountServiceAccountToken is unknown at preview: the pod would hold a Kubernetes API token — set it to false on the pod or the ServiceAccount.`] },
        { kind: "unknown", title: "automountServiceAccountToken unknown", on: K.stage,
            resources: () => withSpec((s) => { pod(s, "stage").automountServiceAccountToken = UNKNOWN.boolean; }),
            expect: [unknownMsg(`${P}.automountServiceAccountToken`)] },
    ],
    "kubernetes-pod-verify-role-claim": [
        { kind: "check", title: "a Deployment claims model-staging", on: K.server,
            resources: () => withSpec((s) => { s.server.spec.template.metadata.labels["airlock.dev/role"] = "model-staging"; }),
            expect: ['spec.template.metadata.labels claims airlock.dev/role="model-staging", but it runs a vLLM server: the pod is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "a staging Job that writes outside its download target", on: K.stage,
            resources: () => withSpec((s) => {
                pod(s, "stage").volumes.push({ name: "out", persistentVolumeClaim: { claimName: "other" } });
                container(s, "stage").volumeMounts.push({ name: "out", mountPath: "/output" });
            }),
            expect: ['spec.template.metadata.labels claims airlock.dev/role="model-staging", but container "download" mounts /output writable, which is not where it downloads (--local-dir /models/Qwen--Qwen3-4B-Instruct-2507): the pod is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "check", title: "volume-init is a Docker role", on: K.training,
            resources: () => withSpec((s) => { s.training.spec.template.metadata.labels["airlock.dev/role"] = "volume-init"; }),
            expect: ['spec.template.metadata.labels claims airlock.dev/role="volume-init", but volume-init is a Docker role; on Kubernetes fsGroup opens a volume to the pod\'s user: the pod is held to the sealed rules — make it match the role or remove the label.'] },
        { kind: "missing", title: "no label claims nothing", resources: () => withSpec((s) => { delete s.training.spec.template.metadata.labels; }), expect: [] },
        { kind: "unknown", title: "the staging command unknown", on: K.stage,
            resources: () => withSpec((s) => { container(s, "stage").command = UNKNOWN.array; }),
            expect: [unknownMsg(`${C}.command`)] },
    ],
    "kubernetes-pod-require-offline-env": [
        { kind: "check", title: "an env wrapper in the command overrides env (env HF_HUB_OFFLINE=0 vllm serve …)", on: K.server,
            resources: () => withSpec((s) => { const c = container(s, "server"); c.command = ["env", "HF_HUB_OFFLINE=0", ...(c.command ?? ["vllm", "serve"])]; }),
            expect: [`${C}.command/args: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB}) (an env wrapper or shell assignment in the command overrides env), so container "vllm" of this vLLM server could call a model hub: remove the command's change to HF_HUB_OFFLINE and set HF_HUB_OFFLINE to "1" with a literal value.`] },
        { kind: "check", title: "a shell form that exports the switch on passes", resources: () => withSpec((s) => {
            const c = container(s, "training"); c.command = ["sh", "-c", `export HF_HUB_OFFLINE=1 && exec ${[...(c.command ?? []), ...(c.args ?? [])].join(" ")}`]; c.args = [];
        }), expect: [] },
        { kind: "check", title: "HF_HUB_OFFLINE= 1 (not trimmed: the Hub stays online)", on: K.server,
            resources: () => withSpec((s) => { setEnv(container(s, "server"), "HF_HUB_OFFLINE", { value: " 1" }); }),
            expect: [`${C}.env: HF_HUB_OFFLINE=" 1" is off for huggingface_hub (${HUB}), so container "vllm" of this vLLM server could call a model hub: set HF_HUB_OFFLINE to "1" with a literal value.`] },
        { kind: "check", title: "a later entry wins: the last HF_HUB_OFFLINE is 0", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").env.push({ name: "HF_HUB_OFFLINE", value: "0" }); }),
            expect: [`${C}.env: HF_HUB_OFFLINE="0" is off for huggingface_hub (${HUB}), so container "train" of this training pod could call a model hub: set HF_HUB_OFFLINE to "1" with a literal value.`] },
        { kind: "check", title: "$(VAR) expansion is read as kubelet expands it", resources: () => withSpec((s) => {
            const c = container(s, "server");
            c.env = [{ name: "ON", value: "1" }, ...c.env.map((e: { name: string }) => (e.name === "HF_HUB_OFFLINE" ? { name: e.name, value: "$(ON)" } : e))];
        }), expect: [] },
        { kind: "check", title: "a value from a Secret cannot be read", on: K.server,
            resources: () => withSpec((s) => { setEnv(container(s, "server"), "TRANSFORMERS_OFFLINE", { valueFrom: { configMapKeyRef: { name: "flags", key: "offline" } } }); }),
            expect: [`${C}.env: TRANSFORMERS_OFFLINE comes from env[8].valueFrom (configMapKeyRef "flags"/"offline"), which the pack cannot read, so container "vllm" of this vLLM server could call a model hub: set TRANSFORMERS_OFFLINE to "1" with a literal value.`] },
        { kind: "check", title: "envFrom may set ModelScope", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").envFrom = [{ configMapRef: { name: "vllm-flags" } }]; }),
            expect: [`${C}.env: VLLM_USE_MODELSCOPE comes from envFrom[0] (configMapRef "vllm-flags"), which the pack cannot read, so container "vllm" of this vLLM server could call a model hub: set VLLM_USE_MODELSCOPE to "False" with a literal value.`] },
        { kind: "check", title: "envFrom a Secret of the stack provides only its own keys", resources: () => withSpec((s) => {
            container(s, "server").envFrom = [{ secretRef: { name: "qwen-api-key" } }];
        }), expect: [] },
        { kind: "scope", title: "the verified staging Job reaches the Hub", resources: () => secureEnclave(), expect: [] },
        { kind: "missing", title: "an unlabeled pod is sealed: HF_DATASETS_OFFLINE missing", on: K.training,
            resources: () => withSpec((s) => { delete s.training.spec.template.metadata.labels; setEnv(container(s, "training"), "HF_DATASETS_OFFLINE"); }),
            expect: [`${C}.env: HF_DATASETS_OFFLINE is not set, so container "train" of this unlabeled pod (sealed by default) could call a model hub: set HF_DATASETS_OFFLINE to "1" with a literal value.`] },
        { kind: "unknown", title: "an env value unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").env[0].value = UNKNOWN.string; }),
            expect: [unknownMsg(`${C}.env[0].value`)] },
    ],
    "kubernetes-pod-require-telemetry-off": [
        { kind: "check", title: "VLLM_DO_NOT_TRACK overrides DO_NOT_TRACK", on: K.stage,
            resources: () => withSpec((s) => { container(s, "stage").env.push({ name: "VLLM_DO_NOT_TRACK", value: "0" }); }),
            expect: [`${C}.env: VLLM_DO_NOT_TRACK="0" overrides DO_NOT_TRACK and is off for vLLM (vLLM reads VLLM_DO_NOT_TRACK (when non-empty) or else DO_NOT_TRACK, and only the exact string "1" is on), so container "download" of this model-staging pod could send telemetry: set VLLM_DO_NOT_TRACK to "1" with a literal value (or remove it and set DO_NOT_TRACK to "1").`] },
        { kind: "check", title: "VLLM_DO_NOT_TRACK from envFrom: the message names it, not DO_NOT_TRACK", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").envFrom = [{ secretRef: { name: "vllm-env" } }]; }),
            expect: [`${C}.env: VLLM_DO_NOT_TRACK comes from envFrom[0] (secretRef "vllm-env"), which the pack cannot read, so container "vllm" of this vLLM server could send telemetry: set VLLM_DO_NOT_TRACK to "1" with a literal value (or remove it and set DO_NOT_TRACK to "1").`] },
        { kind: "check", title: "a ConfigMap of the stack that holds VLLM_DO_NOT_TRACK cannot be read", on: K.server, resources: () => [
            ...withSpec((s) => { container(s, "server").envFrom = [{ configMapRef: { name: "settings" } }]; }),
            { type: "kubernetes:core/v1:ConfigMap", name: "settings", props: { metadata: { name: "settings", namespace: NS }, data: { VLLM_DO_NOT_TRACK: "0" } } }],
            expect: [`${C}.env: VLLM_DO_NOT_TRACK comes from envFrom[0] (configMapRef "settings"), which the pack cannot read, so container "vllm" of this vLLM server could send telemetry: set VLLM_DO_NOT_TRACK to "1" with a literal value (or remove it and set DO_NOT_TRACK to "1").`] },
        { kind: "check", title: "a ConfigMap of the stack without telemetry keys", resources: () => [
            ...withSpec((s) => { container(s, "server").envFrom = [{ configMapRef: { name: "settings" } }]; }),
            { type: "kubernetes:core/v1:ConfigMap", name: "settings", props: { metadata: { name: "settings", namespace: NS }, data: { VLLM_LOGGING_LEVEL: "INFO" } } }],
            expect: [] },
        { kind: "missing", title: "VLLM_NO_USAGE_STATS missing", on: K.server,
            resources: () => withSpec((s) => { setEnv(container(s, "server"), "VLLM_NO_USAGE_STATS"); }),
            expect: [`${C}.env: VLLM_NO_USAGE_STATS is not set, so container "vllm" of this vLLM server could send telemetry: set VLLM_NO_USAGE_STATS to "1" with a literal value.`] },
        { kind: "unknown", title: "env unknown", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").env = UNKNOWN.array; }), expect: [unknownMsg(`${C}.env`)] },
    ],
    "kubernetes-pod-disallow-literal-secrets": [
        { kind: "check", title: "HF_TOKEN as a literal, an API key from a ConfigMap, a token in args", on: K.stage,
            resources: () => withSpec((s) => {
                const c = container(s, "stage");
                c.env.push({ name: "HF_TOKEN", value: "not-token-shaped" }, { name: "OPENAI_API_KEY", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } });
                c.command.push(`--token=hf_${"b".repeat(34)}`);
            }),
            expect: [
                `${C}.env[5] (HF_TOKEN) has a literal value under a secret-like name: read it from a Secret with valueFrom.secretKeyRef.`,
                `${C}.env[6] (OPENAI_API_KEY) reads configMapKeyRef "cfg"/"k", which is not a Secret: use valueFrom.secretKeyRef.`,
                `${C}.command[7] contains a credential (Hugging Face token), visible in the manifest and to ps: remove it and read it from a Secret through env.`,
            ] },
        { kind: "check", title: "a token under an innocuous name", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").env.push({ name: "NOTES", value: `AKIA${"A".repeat(16)}` }); }),
            expect: [`${C}.env[8] (NOTES) contains a credential (AWS access key id) as a literal value: remove it, rotate it, and read it from a Secret with valueFrom.secretKeyRef.`] },
        { kind: "missing", title: "a secret-named variable without value", resources: () => withSpec((s) => { container(s, "training").env.push({ name: "WANDB_API_KEY" }); }), expect: [] },
        { kind: "unknown", title: "an env name unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").env[2].name = UNKNOWN.string; }), expect: [unknownMsg(`${C}.env[2].name`)] },
    ],
    "kubernetes-pod-require-vllm-api-key": [
        { kind: "check", title: "--api-key in args (even as $(VAR))", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").args.push("--api-key", "$(VLLM_API_KEY)"); }),
            expect: [`${C} passes --api-key in its arguments, where the key is visible in the manifest and to ps: remove it and set VLLM_API_KEY from a Secret.`] },
        { kind: "check", title: "an optional secretKeyRef", on: K.server,
            resources: () => withSpec((s) => { setEnv(container(s, "server"), "VLLM_API_KEY", { valueFrom: { secretKeyRef: { name: "k", key: "k", optional: true } } }); }),
            expect: [`${C}.env[8] (VLLM_API_KEY) is an optional secretKeyRef, so a missing key starts the server without authentication: remove optional.`] },
        { kind: "check", title: "an unlabeled vLLM image with its own entrypoint and a literal key", on: K.server,
            resources: () => withSpec((s) => {
                delete s.server.spec.template.metadata.labels["airlock.dev/role"];
                delete container(s, "server").command;
                setEnv(container(s, "server"), "VLLM_API_KEY", { value: "literal" });
            }),
            expect: [`${C}.env[8] (VLLM_API_KEY) does not read a Secret: use valueFrom.secretKeyRef.`] },
        { kind: "missing", title: "no VLLM_API_KEY", on: K.server,
            resources: () => withSpec((s) => { setEnv(container(s, "server"), "VLLM_API_KEY"); }),
            expect: [`${C}.env sets no VLLM_API_KEY and no envFrom Secret of this stack has it, so the vLLM server answers without authentication: set it from a Secret with valueFrom.secretKeyRef.`] },
        { kind: "check", title: "envFrom a Secret of the stack whose stringData has VLLM_API_KEY", resources: () => withSpec((s) => {
            setEnv(container(s, "server"), "VLLM_API_KEY");
            s.apiKey.stringData = { VLLM_API_KEY: "from-a-pulumi-secret" };
            container(s, "server").envFrom = [{ configMapRef: { name: "settings" } }, { secretRef: { name: "qwen-api-key" } }];
        }), expect: [] },
        { kind: "check", title: "an optional envFrom of the stack's Secret", on: K.server, resources: () => withSpec((s) => {
            setEnv(container(s, "server"), "VLLM_API_KEY");
            s.apiKey.stringData = { VLLM_API_KEY: "from-a-pulumi-secret" };
            container(s, "server").envFrom = [{ secretRef: { name: "qwen-api-key", optional: true } }];
        }), expect: [`${C}.env sets no VLLM_API_KEY and envFrom[0] (Secret "qwen-api-key") is optional, so a missing Secret starts the server without authentication: set it from a Secret with valueFrom.secretKeyRef.`] },
        { kind: "check", title: "envFrom a Secret that is not declared in the stack", on: K.server, resources: () => withSpec((s) => {
            setEnv(container(s, "server"), "VLLM_API_KEY");
            container(s, "server").envFrom = [{ secretRef: { name: "vllm-env" } }];
        }), expect: [`${C}.env sets no VLLM_API_KEY and envFrom[0] reads Secret "vllm-env", which is not declared in this stack in namespace "${NS}", so whether it sets VLLM_API_KEY cannot be verified: set it from a Secret with valueFrom.secretKeyRef.`] },
        { kind: "scope", title: "not a vLLM server: no key needed", resources: () => withSpec((s) => { setEnv(container(s, "training"), "VLLM_API_KEY"); }), expect: [] },
        { kind: "unknown", title: "args unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").args = UNKNOWN.array; }), expect: [unknownMsg(`${C}.args`)] },
    ],
    "kubernetes-pod-require-pinned-image": [
        { kind: "check", title: "latest tag", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/vllm:latest"; }),
            expect: [`${C}.image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/vllm:latest" uses the mutable tag "latest": reference a version tag pinned by digest ("<registry>/vllm:<version>@sha256:<64 hex>").`] },
        { kind: "missing", title: "image unset", on: K.stage,
            resources: () => withSpec((s) => { delete container(s, "stage").image; }),
            expect: [`${C}.image is empty: set it to a digest-pinned reference "<registry>/<repository>:<tag>@sha256:<64 hex>".`] },
        { kind: "unknown", title: "image unknown", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").image = UNKNOWN.string; }), expect: [unknownMsg(`${C}.image`)] },
    ],
    "kubernetes-pod-require-allowed-registry": [
        { kind: "check", title: "nvcr.io", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").image = `nvcr.io/nvidia/pytorch:25.01-py3@sha256:${"d".repeat(64)}`; }),
            expect: [`${C}.image "nvcr.io/nvidia/pytorch:25.01-py3@sha256:${"d".repeat(64)}" comes from registry "nvcr.io", which is not allowed ${ECR_ONLY}: mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`] },
        { kind: "config", title: "an internal registry allowed", config: { all: "mandatory", "kubernetes-pod-require-allowed-registry": { allowedRegistries: ["registry.internal:5000"] } },
            resources: () => withSpec((s) => { container(s, "training").image = `registry.internal:5000/axolotl@sha256:${"d".repeat(64)}`; }), expect: [] },
        { kind: "missing", title: "a bare name is Docker Hub", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").image = VLLM_IMAGE.replace(/^.*\/mirror\/vllm\//, ""); }),
            expect: [`${C}.image "vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c" comes from registry "docker.io", which is not allowed ${ECR_ONLY}: mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.`] },
        { kind: "unknown", title: "image unknown", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").image = UNKNOWN.string; }), expect: [unknownMsg(`${C}.image`)] },
    ],
    "kubernetes-pod-require-gpu-hygiene": [
        { kind: "check", title: "fractional GPU, request differs, NVIDIA_VISIBLE_DEVICES on a CPU container", on: K.server,
            resources: () => withSpec((s) => {
                const c = container(s, "server");
                c.resources.limits["nvidia.com/gpu"] = "500m";
                setEnv(c, "NVIDIA_VISIBLE_DEVICES", { value: "all" });
            }),
            expect: [
                `${C}.resources.limits["nvidia.com/gpu"] is "500m", not a whole number of GPUs: set a positive integer.`,
                `${C}.env[9] sets NVIDIA_VISIBLE_DEVICES, which makes the NVIDIA runtime expose GPUs the device plugin did not allocate: remove it and request nvidia.com/gpu limits.`,
            ] },
        { kind: "check", title: "a request that differs from the limit", on: K.server,
            resources: () => withSpec((s) => { container(s, "server").resources.requests["nvidia.com/gpu"] = 2; }),
            expect: [`${C}.resources.requests["nvidia.com/gpu"] (2) differs from its limit ("1"): set them equal or remove the request.`] },
        { kind: "missing", title: "a GPU container without a memory limit", on: K.training,
            resources: () => withSpec((s) => { delete container(s, "training").resources.limits.memory; }),
            expect: [`${C}.resources.limits.memory is unset on container "train", which holds GPUs: set a memory limit.`] },
        { kind: "unknown", title: "GPU limit unknown", on: K.training,
            resources: () => withSpec((s) => { container(s, "training").resources.limits["nvidia.com/gpu"] = UNKNOWN.string; }),
            expect: [unknownMsg(`${C}.resources.limits.nvidia.com/gpu`)] },
    ],
    "kubernetes-pod-disallow-system-namespace": [
        { kind: "check", title: "kube-system", on: K.server,
            resources: () => withSpec((s) => { s.server.metadata.namespace = "kube-system"; }),
            expect: ['metadata.namespace is "kube-system", a namespace without the enclave\'s pod security and default-deny policies: run the Deployment in the enclave\'s namespace.'] },
        { kind: "check", title: "the provider's namespace is default", on: K.training,
            resources: () => withSpec((s) => { delete s.training.metadata.namespace; }).map((r) => ({ ...r, provider: { name: "default", type: "pulumi:providers:kubernetes", props: { namespace: "default" } } })),
            expect: ['the provider\'s namespace is "default", a namespace without the enclave\'s pod security and default-deny policies: run the Job in the enclave\'s namespace.'] },
        { kind: "missing", title: "namespace unset and no provider namespace", on: K.stage,
            resources: () => withSpec((s) => { delete s.stage.metadata.namespace; }),
            expect: ['metadata.namespace is unset and the provider sets no namespace, so the Job lands in the kubeconfig context\'s namespace, else "default", which cannot be verified: set metadata.namespace to the enclave\'s namespace.'] },
        { kind: "unknown", title: "namespace unknown", on: K.server,
            resources: () => withSpec((s) => { s.server.metadata.namespace = UNKNOWN.string; }), expect: [unknownMsg("metadata.namespace")] },
    ],
    "kubernetes-namespace-require-default-deny": [
        { kind: "check", title: "the deny policy allows DNS egress", on: K.server,
            resources: () => withSpec((s) => { s.defaultDeny.spec.egress = [{ ports: [{ protocol: "UDP", port: 53 }] }]; }).filter((r) => r.name === K.server || r.type !== "kubernetes:batch/v1:Job"),
            expect: [`namespace "${NS}" has no default-deny NetworkPolicy for Egress in this stack, so this Deployment's pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: ["Egress"] and no rules.`] },
        { kind: "check", title: "a deny that selects only some pods does not count", on: K.server,
            resources: () => withSpec((s) => { s.defaultDeny.spec.podSelector = { matchLabels: { app: "qwen" } }; }).filter((r) => r.type !== "kubernetes:batch/v1:Job"),
            expect: [`namespace "${NS}" has no default-deny NetworkPolicy for Ingress and Egress in this stack, so this Deployment's pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: ["Ingress", "Egress"] and no rules.`] },
        { kind: "check", title: "a LeaderWorkerSet in a namespace without default deny is a workload (reported once)", on: "lws",
            resources: () => withLeaderWorkerSet(undefined, (p) => { p.metadata.namespace = "other"; }).filter((r) => r.type !== "kubernetes:batch/v1:Job" && r.name !== K.server),
            expect: ['namespace "other" has no default-deny NetworkPolicy for Ingress and Egress in this stack, so this LeaderWorkerSet\'s pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: ["Ingress", "Egress"] and no rules.'] },
        { kind: "missing", title: "policyTypes unset: a policy without rules denies Ingress only", on: K.server,
            resources: () => withSpec((s) => { delete s.defaultDeny.spec.policyTypes; }).filter((r) => r.type !== "kubernetes:batch/v1:Job"),
            expect: [`namespace "${NS}" has no default-deny NetworkPolicy for Egress in this stack, so this Deployment's pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: ["Egress"] and no rules.`] },
        { kind: "unknown", title: "the deny policy's namespace unknown", on: K.server,
            resources: () => withSpec((s) => { s.defaultDeny.metadata.namespace = UNKNOWN.string; }).filter((r) => r.type !== "kubernetes:batch/v1:Job"),
            expect: [`namespace "${NS}" has no default-deny NetworkPolicy for Ingress and Egress in this stack (the fields of NetworkPolicy "${K.defaultDeny}" are unknown at preview — make them plain values), so this Deployment's pods are open in that direction: add a NetworkPolicy with podSelector: {} and policyTypes: ["Ingress", "Egress"] and no rules.`] },
    ],
    "kubernetes-namespace-require-restricted-pod-security": [
        { kind: "check", title: "enforce: privileged", on: K.namespace,
            resources: () => withSpec((s) => { s.namespace.metadata.labels["pod-security.kubernetes.io/enforce"] = "privileged"; }),
            expect: [`metadata.labels["pod-security.kubernetes.io/enforce"] is "privileged", so the API server admits pods of namespace "${NS}" that break the restricted standard: set it to "restricted".`] },
        { kind: "check", title: "a namespace the stack does not declare", on: K.server,
            resources: () => withSpec((s) => { s.server.metadata.namespace = "shared"; }),
            expect: ['namespace "shared" is not declared in this stack, so whether it enforces the restricted Pod Security Standard cannot be verified: declare it as a Namespace labelled pod-security.kubernetes.io/enforce: restricted.'] },
        { kind: "check", title: "a LeaderWorkerSet without namespace lands in the context's namespace", on: "lws",
            resources: () => withLeaderWorkerSet(undefined, (p) => { delete p.metadata.namespace; }),
            expect: ['metadata.namespace is unset and the provider sets none, so the LeaderWorkerSet lands in the kubeconfig context\'s namespace, else "default", whose pod security cannot be verified: set metadata.namespace.'] },
        { kind: "missing", title: "no enforce label (warn only)", on: K.namespace,
            resources: () => withSpec((s) => { delete s.namespace.metadata.labels["pod-security.kubernetes.io/enforce"]; }),
            expect: [`metadata.labels["pod-security.kubernetes.io/enforce"] is unset, so the API server admits pods of namespace "${NS}" that break the restricted standard: set it to "restricted".`] },
        { kind: "unknown", title: "the label unknown", on: K.namespace,
            resources: () => withSpec((s) => { s.namespace.metadata.labels["pod-security.kubernetes.io/enforce"] = UNKNOWN.string; }),
            expect: [unknownMsg('metadata.labels["pod-security.kubernetes.io/enforce"]')] },
    ],
    "kubernetes-network-policy-restrict-egress": [
        { kind: "check", title: "namespace-wide DNS egress reaches the servers", on: K.defaultDeny,
            resources: () => withSpec((s) => { s.defaultDeny.spec.egress = [{ ports: [{ protocol: "UDP", port: 53 }] }]; }),
            expect: [
                `spec.egress[0] has no "to", so it allows every destination, the metadata endpoint 169.254.169.254 included: list ipBlocks that except it.`,
                `spec.egress lets the vLLM server of Deployment "${K.server}" send traffic out: only verified model-staging pods may have egress — narrow spec.podSelector to model-staging pods or remove the egress rules.`,
                `spec.egress lets the training pod of Job "${K.training}" send traffic out: only verified model-staging pods may have egress — narrow spec.podSelector to model-staging pods or remove the egress rules.`,
            ] },
        { kind: "check", title: "staging egress without the metadata exception", on: K.stagingEgress,
            resources: () => withSpec((s) => { s.stagingEgress.spec.egress[1].to[0].ipBlock.except = ["10.0.0.0/8"]; }),
            expect: ['spec.egress[1].to[0].ipBlock 0.0.0.0/0 contains the metadata endpoint 169.254.169.254, which hands out the node\'s cloud credentials: add "169.254.169.254/32" to except.'] },
        { kind: "check", title: "an IPv6 ::/0 next to the IPv4 block reaches AWS's IPv6 metadata endpoint", on: K.stagingEgress,
            resources: () => withSpec((s) => { s.stagingEgress.spec.egress[1].to.push({ ipBlock: { cidr: "::/0" } }, { ipBlock: { cidr: "fd00::/8", except: ["fd00:ec2::/32"] } }); }),
            expect: ['spec.egress[1].to[1].ipBlock ::/0 contains the metadata endpoint fd00:ec2::254, which hands out the node\'s cloud credentials: add "fd00:ec2::254/128" to except.'] },
        { kind: "check", title: "an IPv6 block that excepts fd00:ec2::254/128 passes", resources: () => withSpec((s) => {
            s.stagingEgress.spec.egress[1].to.push({ ipBlock: { cidr: "::/0", except: ["fd00:ec2::254/128", "fc00::/7"] } });
        }), expect: [] },
        { kind: "missing", title: "podSelector unset selects every pod", on: K.stagingEgress,
            resources: () => withSpec((s) => { delete s.stagingEgress.spec.podSelector; }).filter((r) => r.name !== K.training),
            expect: [`spec.egress lets the vLLM server of Deployment "${K.server}" send traffic out: only verified model-staging pods may have egress — narrow spec.podSelector to model-staging pods or remove the egress rules.`] },
        { kind: "unknown", title: "the ipBlock cidr unknown", on: K.stagingEgress,
            resources: () => withSpec((s) => { s.stagingEgress.spec.egress[1].to[0].ipBlock.cidr = UNKNOWN.string; }),
            expect: [unknownMsg("spec.egress[1].to[0].ipBlock.cidr")] },
    ],
    "kubernetes-network-policy-restrict-ingress": [
        { kind: "check", title: "every namespace, and a rule without sources", on: K.gatewayIngress,
            resources: () => withSpec((s) => { s.gatewayIngress.spec.ingress = [{ from: [{ namespaceSelector: {} }] }, { ports: [{ port: 8000 }] }]; }),
            expect: [
                "spec.ingress[0].from[0].namespaceSelector is empty, which admits every namespace of the cluster: match the gateway's namespace (kubernetes.io/metadata.name).",
                'spec.ingress[1] has no "from", so it admits every source, inside and outside the cluster: list the gateway\'s namespaceSelector and podSelector.',
            ] },
        { kind: "check", title: "an ipBlock source", on: K.gatewayIngress,
            resources: () => withSpec((s) => { s.gatewayIngress.spec.ingress[0].from = [{ ipBlock: { cidr: "10.0.0.0/8" } }]; }),
            expect: ["spec.ingress[0].from[0].ipBlock admits 10.0.0.0/8 by address (load balancers, nodes, anything routed there): select the gateway's namespace and pods instead."] },
        { kind: "missing", title: "no ingress rules = deny", resources: () => withSpec((s) => { delete s.gatewayIngress.spec.ingress; }), expect: [] },
        { kind: "unknown", title: "the source unknown", on: K.gatewayIngress,
            resources: () => withSpec((s) => { s.gatewayIngress.spec.ingress[0].from = UNKNOWN.array; }), expect: [unknownMsg("spec.ingress[0].from")] },
    ],
    "kubernetes-service-disallow-external-exposure": [
        { kind: "check", title: "NodePort with externalIPs", on: K.service,
            resources: () => withSpec((s) => { s.service.spec.type = "NodePort"; s.service.spec.externalIPs = ["203.0.113.7"]; }),
            expect: [
                "spec.type is NodePort, which exposes the Service outside the cluster on every node's interfaces: use ClusterIP and reach it through the gateway.",
                'spec.externalIPs routes outside traffic for ["203.0.113.7"] into the Service: remove it.',
            ] },
        { kind: "missing", title: "type unset is ClusterIP", resources: () => withSpec((s) => { delete s.service.spec.type; }), expect: [] },
        { kind: "unknown", title: "type unknown", on: K.service,
            resources: () => withSpec((s) => { s.service.spec.type = UNKNOWN.string; }), expect: [unknownMsg("spec.type")] },
    ],
    "kubernetes-ingress-disallow-external-exposure": [
        { kind: "check", title: "an nginx Ingress", on: K.ingress,
            resources: () => withSpec((s) => { s.ingress = { metadata: { name: "qwen", namespace: NS }, spec: { ingressClassName: "nginx" } }; }),
            expect: ['spec.ingressClassName is "nginx", which is not in allowedIngressClasses (none configured): remove the Ingress or use a reviewed internal class.'] },
        { kind: "config", title: "an internal class allowed", config: { all: "mandatory", "kubernetes-ingress-disallow-external-exposure": { allowedIngressClasses: ["internal-nginx"] } },
            resources: () => withSpec((s) => { s.ingress = { metadata: { name: "qwen", namespace: NS, annotations: { "kubernetes.io/ingress.class": "internal-nginx" } }, spec: {} }; }), expect: [] },
        { kind: "check", title: "a Gateway API Gateway of an internet-facing class", on: "gw",
            resources: () => [...secureEnclave(), gateway("gke-l7-global-external-managed")],
            expect: ['spec.gatewayClassName is "gke-l7-global-external-managed", which is not in allowedIngressClasses (none configured): remove the Gateway or use a reviewed internal GatewayClass.'] },
        { kind: "config", title: "an internal GatewayClass allowed", config: { all: "mandatory", "kubernetes-ingress-disallow-external-exposure": { allowedIngressClasses: ["internal-gw"] } },
            resources: () => [...secureEnclave(), gateway("internal-gw")], expect: [] },
        { kind: "missing", title: "a Gateway without gatewayClassName", on: "gw",
            resources: () => [...secureEnclave(), gateway(undefined)],
            expect: ["spec.gatewayClassName is unset, so which controller (usually an internet-facing load balancer) serves the Gateway cannot be verified: remove the Gateway or name an internal GatewayClass from allowedIngressClasses (none configured)."] },
        { kind: "unknown", title: "a Gateway's class unknown", on: "gw",
            resources: () => [...secureEnclave(), gateway(UNKNOWN.string)], expect: [unknownMsg("spec.gatewayClassName")] },
        { kind: "missing", title: "no class: the cluster's default controller", on: K.ingress,
            resources: () => withSpec((s) => { s.ingress = { metadata: { name: "qwen", namespace: NS }, spec: {} }; }),
            expect: ["spec.ingressClassName is unset, so the cluster's default ingress controller (usually internet-facing) routes outside traffic in: remove the Ingress or name an internal class from allowedIngressClasses (none configured)."] },
        { kind: "unknown", title: "class unknown", on: K.ingress,
            resources: () => withSpec((s) => { s.ingress = { metadata: { name: "qwen", namespace: NS }, spec: { ingressClassName: UNKNOWN.string } }; }),
            expect: [unknownMsg("spec.ingressClassName")] },
    ],
    "kubernetes-patch-disallow-checked-kinds": [
        { kind: "check", title: "a DeploymentPatch of the server's pod template", on: "patch",
            resources: () => [...secureEnclave(), { type: "kubernetes:apps/v1:DeploymentPatch", name: "patch",
                props: { metadata: { name: "qwen", namespace: NS }, spec: { template: { spec: { hostNetwork: true } } } } }],
            expect: [`this DeploymentPatch server-side-applies a partial object onto the live Deployment "${NS}/qwen", so the pack cannot see the merged object and none of its Deployment rules can hold: manage the Deployment itself in this stack (adopt it with the import resource option) instead of patching it.`] },
        { kind: "check", title: "a NamespacePatch and a ServicePatch", resources: () => [...secureEnclave(),
            { type: "kubernetes:core/v1:NamespacePatch", name: "ns-patch", props: { metadata: { name: NS, labels: { "pod-security.kubernetes.io/enforce": "privileged" } } } },
            { type: "kubernetes:core/v1:ServicePatch", name: "svc-patch", props: { metadata: { name: "qwen", namespace: NS }, spec: { type: "LoadBalancer" } } }],
            expect: [
                `this NamespacePatch server-side-applies a partial object onto the live Namespace "${NS}", so the pack cannot see the merged object and none of its Namespace rules can hold: manage the Namespace itself in this stack (adopt it with the import resource option) instead of patching it.`,
                `this ServicePatch server-side-applies a partial object onto the live Service "${NS}/qwen", so the pack cannot see the merged object and none of its Service rules can hold: manage the Service itself in this stack (adopt it with the import resource option) instead of patching it.`,
            ] },
        { kind: "scope", title: "the secure enclave manages whole objects", resources: () => secureEnclave(), expect: [] },
        { kind: "missing", title: "a NetworkPolicyPatch without metadata", on: "np-patch",
            resources: () => [...secureEnclave(), { type: "kubernetes:networking.k8s.io/v1:NetworkPolicyPatch", name: "np-patch", props: { spec: { egress: [{}] } } }],
            expect: ["this NetworkPolicyPatch server-side-applies a partial object onto an existing NetworkPolicy, so the pack cannot see the merged object and none of its NetworkPolicy rules can hold: manage the NetworkPolicy itself in this stack (adopt it with the import resource option) instead of patching it."] },
        { kind: "unknown", title: "the patched object's name unknown", on: "patch",
            resources: () => [...secureEnclave(), { type: "kubernetes:batch/v1:JobPatch", name: "patch", props: { metadata: { name: UNKNOWN.string, namespace: NS } } }],
            expect: [unknownMsg("metadata.name")] },
    ],
    "kubernetes-helm-release-disallow-opaque": [
        { kind: "check", title: "a Release", on: K.release,
            resources: () => withSpec((s) => { s.release = { chart: "vllm-stack", version: "0.1.7" }; }),
            expect: ['the Release installs chart "vllm-stack" 0.1.7 through Helm, so none of its resources reach the policy pack: render it with helm.v4.Chart (or yaml.ConfigFile) so each resource is checked.'] },
        { kind: "missing", title: "no version", on: K.release,
            resources: () => withSpec((s) => { s.release = { chart: "./charts/vllm" }; }),
            expect: ['the Release installs chart "./charts/vllm" through Helm, so none of its resources reach the policy pack: render it with helm.v4.Chart (or yaml.ConfigFile) so each resource is checked.'] },
        { kind: "unknown", title: "chart unknown", on: K.release,
            resources: () => withSpec((s) => { s.release = { chart: UNKNOWN.string }; }), expect: [unknownMsg("chart")] },
    ],
};
