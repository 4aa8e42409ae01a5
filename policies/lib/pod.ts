/**
 * One reader for every pod the pack can see: the pod template of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
 * ReplicationController, Job, CronJob or a bare Pod (any API version the SDK registers), its containers (init and
 * ephemeral ones included), its namespace and its role. Props arrive through the SDK's unknown-checking proxy, so
 * every read of an unknown value throws and the fail-closed wrappers report the field; readers therefore touch only
 * what a rule needs, lazily.
 */
import type { PolicyResource, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import {
    type KubernetesEnv, type KubernetesEnvValue, NVIDIA_GPU_RESOURCE, ROLE_LABEL, ROLES, type ModelServerKind, parseKubernetesQuantity,
    recognizeModelServer, resolveKubernetesEnv,
} from "@airlock/baseline";
import { argvEnvChanges, isProgram, tokensOf } from "./argv";
import { parseImageRef } from "./image";
import { formatPropertyPath } from "./fail-closed";
import {
    type ContainerSpecProps, type ObjectMetaProps, POD_TEMPLATE_KINDS, POD_TEMPLATE_TYPES, type PodSpecProps, isCustomResourceType,
} from "./kubernetes-types";
import { isUnder } from "./paths";
import { isUnknownValueError } from "./sdk";

export type { ContainerSpecProps, PodSpecProps };
type Metadata = ObjectMetaProps;

/** A pod template as the rules read it. */
export interface PodTemplate {
    readonly type: string;
    /** `Deployment`, `Job`, `Pod`, … */
    readonly kind: string;
    /** The field path of the pod spec, for messages: `spec.template.spec`. */
    readonly specField: string;
    /** The field path of the pod's labels: `spec.template.metadata.labels`. */
    readonly labelsField: string;
    readonly spec: PodSpecProps;
    /** The resource's own metadata (namespace, name). */
    readonly metadata: Metadata | undefined;
    /** The pod's labels (what NetworkPolicies and Services select). */
    labels(): Record<string, string>;
    /** The pod's annotations (AppArmor's legacy annotations live there). */
    annotations(): Record<string, string>;
}

function at(props: Record<string, unknown>, path: string): Record<string, unknown> | undefined {
    let v: unknown = props;
    for (const seg of path.split(".")) {
        if (v === undefined || v === null || typeof v !== "object") return undefined;
        v = (v as Record<string, unknown>)[seg];
    }
    return v as Record<string, unknown> | undefined;
}

const stringMap = (v: unknown): Record<string, string> =>
    Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, String(x)]));

/** The pod template of a resource, or `undefined` when its type runs no pods. */
export function podTemplateOf(type: string, props: Record<string, unknown>): PodTemplate | undefined {
    const k = POD_TEMPLATE_KINDS.get(type);
    if (k === undefined) return undefined;
    const metadata = props.metadata as Metadata | undefined;
    const podMeta = () => (k.path === "spec" ? metadata : at(props, `${k.path}.metadata`) as Metadata | undefined);
    const spec = k.path === "spec" ? props.spec : at(props, `${k.path}.spec`);
    const prefix = k.path === "spec" ? "" : `${k.path}.`;
    return {
        type, kind: k.kind, metadata,
        specField: k.path === "spec" ? "spec" : `${k.path}.spec`,
        labelsField: `${prefix}metadata.labels`,
        spec: (spec ?? {}) as PodSpecProps,
        labels: () => stringMap(podMeta()?.labels),
        annotations: () => stringMap(podMeta()?.annotations),
    };
}

/** Reads `o[k]` through the SDK's proxy: `{ unknown: true }` when the value is unknown at preview. */
function readField(o: Record<string, unknown>, k: string): { readonly value: unknown } | { readonly unknown: true } {
    try {
        return { value: o[k] };
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        return { unknown: true };
    }
}

/** Whether `o` looks like a pod spec: a `containers` list of objects with an `image` (or a `containers` unknown at preview). */
function looksLikePodSpec(o: Record<string, unknown>): boolean {
    if (!("containers" in o)) return false;
    const c = readField(o, "containers");
    if ("unknown" in c) return true; // the pod rules read it and fail closed
    return Array.isArray(c.value) && c.value.length > 0 &&
        c.value.every((x) => typeof x === "object" && x !== null && !Array.isArray(x) && "image" in x);
}

/** The property paths of every nested object of `props` that looks like a pod spec (values unknown at preview are skipped). */
function podSpecPaths(props: unknown): (string | number)[][] {
    const out: (string | number)[][] = [];
    const walk = (v: unknown, path: (string | number)[]) => {
        if (typeof v !== "object" || v === null) return;
        if (Array.isArray(v)) {
            for (let i = 0; i < v.length; i++) {
                const x = readField(v as unknown as Record<string, unknown>, String(i));
                if ("value" in x) walk(x.value, [...path, i]);
            }
            return;
        }
        const o = v as Record<string, unknown>;
        if (path.length > 0 && looksLikePodSpec(o)) {
            out.push(path);
            return;
        }
        for (const k of Object.keys(o)) {
            if (path.length === 0 && (k === "metadata" || k === "apiVersion" || k === "kind")) continue;
            const x = readField(o, k);
            if ("value" in x) walk(x.value, [...path, k]);
        }
    };
    walk(props, []);
    return out;
}

/**
 * The pod templates of a custom resource the pack has no reader for (a LeaderWorkerSet, an InferenceService, a
 * RayCluster, a Kubeflow or Argo job, …): every nested object that looks like a pod spec, read as one, with its field
 * path (`spec.leaderWorkerTemplate.workerTemplate.spec`). The pod's labels are the `metadata` next to a `spec`, else the
 * resource's own.
 */
function customResourcePodTemplates(type: string, props: Record<string, unknown>): PodTemplate[] {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const metadata = props.metadata as Metadata | undefined;
    return podSpecPaths(props).map((path) => {
        const get = (segs: readonly (string | number)[]): unknown =>
            segs.reduce<unknown>((v, seg) => (v as Record<string, unknown> | undefined)?.[seg], props);
        const parent = path[path.length - 1] === "spec" ? path.slice(0, -1) : undefined;
        // A pod spec without a template around it (KServe's spec.predictor) takes the resource's labels, which such
        // operators copy to their pods.
        const podMeta = () => (parent === undefined || parent.length === 0 ? metadata
            : (get(parent) as { metadata?: Metadata } | undefined)?.metadata);
        const parentField = parent === undefined || parent.length === 0 ? undefined : formatPropertyPath(parent.map(String));
        return {
            type, kind, metadata,
            specField: formatPropertyPath(path.map(String)),
            labelsField: parentField === undefined ? "metadata.labels" : `${parentField}.metadata.labels`,
            spec: get(path) as PodSpecProps,
            labels: () => stringMap(podMeta()?.labels),
            annotations: () => stringMap(podMeta()?.annotations),
        };
    });
}

/** Every pod template of a resource: the one of a kind the pack reads, or those found in a custom resource. */
export function podTemplatesOf(type: string, props: Record<string, unknown>): PodTemplate[] {
    const t = podTemplateOf(type, props);
    if (t !== undefined) return [t];
    return isCustomResourceType(type) ? customResourcePodTemplates(type, props) : [];
}

/** A container of a pod, with where it is written. */
export interface ContainerRef {
    /** `spec.template.spec.containers[0]`. */
    readonly field: string;
    readonly c: ContainerSpecProps;
    readonly kind: "container" | "init container" | "ephemeral container";
    /** How messages name it: `container "vllm"`. */
    readonly label: string;
}

/** Every container of the pod: regular, init and ephemeral. */
export function containersOf(t: PodTemplate): ContainerRef[] {
    const out: ContainerRef[] = [];
    const add = (list: readonly unknown[] | undefined, key: string, kind: ContainerRef["kind"]) => (list ?? []).forEach((raw, i) => {
        const c = raw as ContainerSpecProps;
        out.push({ field: `${t.specField}.${key}[${i}]`, c, kind, label: `${kind} "${String(c.name ?? i)}"` });
    });
    add(t.spec.containers as unknown[] | undefined, "containers", "container");
    add(t.spec.initContainers as unknown[] | undefined, "initContainers", "init container");
    add(t.spec.ephemeralContainers as unknown[] | undefined, "ephemeralContainers", "ephemeral container");
    return out;
}

/** The key names of the envFrom sources the stack declares (see kubernetes-stack.ts envSourceKeysOf), else unknown. */
export type EnvSourceKeys = (kind: "secretRef" | "configMapRef", name: string) => ReadonlySet<string> | undefined;

/** Where {@link KubernetesEnv.fieldOf} says a variable was set by the container's command line. */
export const COMMAND_LINE_FIELD = "command";

/**
 * The env the container's program starts with: kubelet's (an envFrom source with known keys provides only those),
 * then what its command line changes — an `env` wrapper or a shell assignment (lib/argv.ts argvEnvChanges) wins.
 */
export function envOf(c: ContainerSpecProps, keysOf?: EnvSourceKeys): KubernetesEnv {
    const env = resolveKubernetesEnv(c.env as never, c.envFrom as never, keysOf);
    const changes = argvEnvChanges(argvOfContainer(c));
    if (changes.length === 0) return env;
    const changed = new Map<string, KubernetesEnvValue | undefined>();
    let cleared = false;
    for (const ch of changes) {
        if (ch.kind === "clear") { cleared = true; changed.clear(); continue; }
        changed.set(ch.key, ch.kind === "unset" ? undefined
            : ch.value === undefined ? { kind: "opaque", source: "a value the command's shell computes at run time" } : { kind: "value", value: ch.value });
    }
    const fromCommandLine = (name: string): boolean => changed.has(name) || cleared;
    return {
        lookup: (name) => (changed.has(name) ? changed.get(name) : cleared ? undefined : env.lookup(name)),
        fieldOf: (name) => (fromCommandLine(name) ? COMMAND_LINE_FIELD : env.fieldOf(name)),
    };
}

/** `command` + `args` (Kubernetes' ENTRYPOINT + CMD overrides), as strings. */
export const argvOfContainer = (c: Pick<ContainerSpecProps, "command" | "args">): string[] =>
    [...(c.command ?? []), ...(c.args ?? [])].map((a) => (typeof a === "string" ? a : String(a)));

/** Whether the container runs its image's own ENTRYPOINT (no `command`). */
export const usesImageEntrypoint = (c: Pick<ContainerSpecProps, "command">): boolean => (c.command ?? []).length === 0;

/** The GPUs a container asks the device plugin for (the larger of limit and request). */
export function gpuCount(c: Pick<ContainerSpecProps, "resources">): number {
    const r = c.resources;
    const limit = parseKubernetesQuantity((r?.limits as Record<string, unknown> | undefined)?.[NVIDIA_GPU_RESOURCE]) ?? 0;
    const request = parseKubernetesQuantity((r?.requests as Record<string, unknown> | undefined)?.[NVIDIA_GPU_RESOURCE]) ?? 0;
    return Math.max(limit, request);
}

/** The effective namespace of a namespaced resource: its own, else the provider's, else the kubeconfig context's. */
export function namespaceOf(
    metadata: Pick<Metadata, "namespace"> | undefined, provider: ResourceValidationArgs["provider"] | PolicyResource["provider"],
): { readonly name: string; readonly explicit: boolean } | { readonly name: undefined; readonly reason: string } {
    const own = metadata?.namespace;
    if (typeof own === "string" && own !== "") return { name: own, explicit: true };
    const fromProvider = (provider?.props as { namespace?: unknown } | undefined)?.namespace;
    if (typeof fromProvider === "string" && fromProvider !== "") return { name: fromProvider, explicit: false };
    return { name: undefined, reason: "the kubeconfig context's namespace, else \"default\"" };
}

// ---------------------------------------------------------------------------------------------------------------
// Roles: a label is a claim the pack verifies (see lib/workload.ts for Docker).

/** The role the rules act on. Kubernetes has no volume-init role: fsGroup opens volumes to the pod's user. */
export type PodRole = "inference" | "training" | "model-staging" | "sealed";

export interface PodWorkload {
    readonly label: string | undefined;
    readonly role: PodRole;
    /** The first recognised model server among the containers. */
    readonly server: ModelServerKind | undefined;
    /** Indexes (into {@link containersOf}) of the containers that run vLLM's server. */
    readonly vllmContainers: ReadonlySet<number>;
    readonly claimProblems: readonly string[];
}

const imageLooksLikeVllm = (image: string): boolean => /vllm/i.test(parseImageRef(image).repository);

/** Whether a container runs vLLM's OpenAI-compatible server (by argv, or a vLLM image's own entrypoint). */
export function isVllmContainer(c: ContainerSpecProps): boolean {
    const argv = argvOfContainer(c);
    const image = String(c.image ?? "");
    const kind = recognizeModelServer(tokensOf(argv), parseImageRef(image).repository, usesImageEntrypoint(c));
    return kind?.id === "vllm" || (usesImageEntrypoint(c) && imageLooksLikeVllm(image));
}

function stagingProblems(t: PodTemplate, containers: readonly ContainerRef[]): string[] {
    const out: string[] = [];
    if (t.kind !== "Job" && t.kind !== "Pod") out.push(`it is a ${t.kind}, which does not run once (stage with a Job)`);
    if (t.kind === "Pod") {
        const policy = t.spec.restartPolicy ?? "Always";
        if (policy === "Always") out.push(`restartPolicy is "${policy}", so it does not run once`);
    }
    const volumes = new Map((t.spec.volumes ?? []).map((v) => [String(v.name), v]));
    for (const ref of containers) {
        const c = ref.c;
        const argv = argvOfContainer(c);
        if (gpuCount(c) > 0) out.push(`${ref.label} requests GPUs`);
        if ((c.ports ?? []).length > 0) out.push(`${ref.label} declares ports`);
        if (usesImageEntrypoint(c)) {
            out.push(`${ref.label} sets no command, so the image's own entrypoint runs (not a verifiable download)`);
            continue;
        }
        if (!(isProgram(argv[0], "hf", "huggingface-cli") && argv[1] === "download")) {
            out.push(`${ref.label} is not an exec-form "hf download <repo> --revision <sha> --local-dir <path>" (got ${JSON.stringify(argv.slice(0, 3).join(" "))})`);
            continue;
        }
        const localDirs = argv.flatMap((a, i) => (a === "--local-dir" ? [argv[i + 1] ?? ""] : a.startsWith("--local-dir=") ? [a.slice(12)] : []));
        for (const m of c.volumeMounts ?? []) {
            if (m.readOnly === true) continue;
            const v = volumes.get(String(m.name));
            if (v?.emptyDir !== undefined) continue; // scratch space: neither shared nor persistent
            const target = String(m.mountPath ?? "");
            if (!localDirs.some((d) => d.startsWith("/") && target.startsWith("/") && (isUnder(target, d) || isUnder(d, target)))) {
                out.push(`${ref.label} mounts ${target || "(no path)"} writable, which is not where it downloads (--local-dir ${localDirs.join(", ") || "unset"})`);
            }
        }
    }
    return out;
}

/** Classifies a pod (reads its labels, its containers' images and argv, and for a claim what the claim depends on). */
export function classifyPod(t: PodTemplate): PodWorkload {
    const label = t.labels()[ROLE_LABEL];
    const containers = containersOf(t);
    const vllmContainers = new Set<number>();
    let server: ModelServerKind | undefined;
    containers.forEach((ref, i) => {
        const argv = argvOfContainer(ref.c);
        const kind = recognizeModelServer(tokensOf(argv), parseImageRef(String(ref.c.image ?? "")).repository, usesImageEntrypoint(ref.c));
        if (isVllmContainer(ref.c)) vllmContainers.add(i);
        server ??= kind;
    });
    if (server !== undefined || vllmContainers.size > 0) {
        const what = server?.name ?? "vLLM server";
        return { label, role: "inference", server, vllmContainers, claimProblems: label === "inference" || label === undefined ? [] : [`it runs a ${what}`] };
    }
    let role: PodRole = "sealed";
    let claimProblems: string[] = [];
    if (label === "inference" || label === "training") role = label;
    else if (label === "model-staging") {
        claimProblems = stagingProblems(t, containers);
        if (claimProblems.length === 0) role = "model-staging";
    } else if (label === "volume-init") {
        claimProblems = ["volume-init is a Docker role; on Kubernetes fsGroup opens a volume to the pod's user"];
    } else if (label !== undefined) {
        claimProblems = [`"${label}" is not a role the pack knows (${ROLES.filter((r) => r !== "volume-init").join(", ")})`];
    }
    return { label, role, server, vllmContainers, claimProblems };
}

/** How a message names the pod: "vLLM server", "training pod", `pod labelled "model-staging" (…)`. */
export function describePod(w: PodWorkload): string {
    if (w.server !== undefined) return w.server.name;
    if (w.vllmContainers.size > 0) return "vLLM server";
    if (w.role === "sealed") {
        if (w.label === undefined) return "unlabeled pod (sealed by default)";
        return `pod labelled "${w.label}" (sealed: the claim does not hold)`;
    }
    return `${w.role} pod`;
}

/** Whether the pod may have a route out (only a verified model-staging download). */
export const podMayHaveEgress = (w: PodWorkload): boolean => w.role === "model-staging";
/** Whether the pod's containers must carry the hub-offline switches. */
export const podNeedsOfflineEnv = (w: PodWorkload): boolean => w.role !== "model-staging";
/** Whether the pod may write under the model root. */
export const podMayWriteModelStore = (w: PodWorkload): boolean => w.role === "model-staging";

/**
 * A resource validation over every pod-bearing type: reads each pod template (a custom resource may hold several) and
 * hands it to `check`; other types
 * report themselves not applicable (there is no single type tag for the server's short-circuit).
 */
export function validatePodTemplates(
    check: (t: PodTemplate, args: ResourceValidationArgs, report: (message: string) => void) => void | Promise<void>,
): ResourceValidation {
    return async (args, report) => {
        const templates = podTemplatesOf(args.type, args.props);
        if (templates.length === 0) {
            args.notApplicable(`Policy only applies to resources that run pods (${POD_TEMPLATE_TYPES.slice(0, 8).join(", ")}, …, and custom resources with pod specs)`);
            return;
        }
        for (const t of templates) await check(t, args, (m) => report(m));
    };
}
