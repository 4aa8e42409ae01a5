/**
 * Workload classification, fail closed. Every container is held to the sealed rules (internal network or none,
 * offline env, telemetry off, non-root, read-only model volumes) unless it claims a role that needs more with the
 * `airlock.dev/role` label AND looks like that role:
 *  - `model-staging`: a one-shot, exec-form `hf download` (no restart, no GPU, no published port, no server argv)
 *    that writes only where it downloads; it may use an egress network and run as root without capabilities;
 *  - `volume-init`: a one-shot exec-form `chmod`/`chown` of its own writable volumes, without any network; it may
 *    run as root without capabilities and needs no offline env;
 *  - `gateway`: a reverse proxy from a known proxy image, with no GPU, no volume or bind (tmpfs only) and no
 *    credential but its own (`AIRLOCK_GATEWAY_*` env); it needs no offline env and may use ONE routed network of
 *    its own besides internal ones (the stack rule docker-container-require-internal-network checks that part).
 * `inference` and `training` claim nothing beyond the sealed rules. An unlabeled container, a label the pack does
 * not know, or a claim that does not hold is sealed. A recognised model server (vLLM, TGI, SGLang, …) is never
 * anything but inference, whatever its label says.
 */
import {
    GATEWAY_CREDENTIAL_ENV_PREFIX, GATEWAY_IMAGE_REPOSITORIES, MODEL_ROOT, type ModelServerKind, NON_SECRET_ENV_NAMES, ROLE_LABEL, type Role, ROLES,
    isSecretName, recognizeModelServer, secretShapeIn,
} from "@airlock/baseline";
import { argvOf, isProgram, servedModels, tokensOf } from "./argv";
import { type ContainerProps, attachments, labelMap } from "./container";
import { parseEnvs } from "./env";
import { deferredImageRef, parseImageRef } from "./image";
import { isUnder } from "./paths";

/** The role the rules act on: a verified claim, or "sealed" (with the label's claim, if any, in `label`). */
export type EffectiveRole = "inference" | "training" | "model-staging" | "volume-init" | "gateway" | "sealed";

export interface Workload {
    /** The `airlock.dev/role` label as written (undefined when absent). */
    readonly label: string | undefined;
    readonly role: EffectiveRole;
    /** The recognised model server, if any. */
    readonly server: ModelServerKind | undefined;
    /** Whether the container runs vLLM's OpenAI-compatible server (the vLLM-specific rules apply). */
    readonly vllmServer: boolean;
    /** Why the label's claim does not hold (empty when it holds or claims nothing). */
    readonly claimProblems: readonly string[];
    /** `entrypoints` + `command`. */
    readonly argv: readonly string[];
}

type ClassifiedFields = Pick<ContainerProps,
    "labels" | "image" | "entrypoints" | "command" | "restart" | "deviceRequests" | "gpus" | "ports" | "publishAllPorts" |
    "volumes" | "mounts" | "networkMode" | "networksAdvanced" | "envs" | "uploads">;

/** Whether the image reference names vLLM (e.g. `vllm/vllm-openai`, a mirror of it). */
export const imageLooksLikeVllm = (image: string): boolean => /vllm/i.test(parseImageRef(image).repository);

export const usesImageEntrypoint = (c: Pick<ContainerProps, "entrypoints">): boolean => (c.entrypoints ?? []).length === 0;

/** The container's image reference, or "" when only its source resource can tell (see {@link deferredImageRef}). */
const imageText = (c: Pick<ContainerProps, "image">): string => deferredImageRef(() => c.image) ?? "";

function recognize(c: ClassifiedFields, argv: readonly string[]): ModelServerKind | undefined {
    return recognizeModelServer(tokensOf(argv), parseImageRef(imageText(c)).repository, usesImageEntrypoint(c));
}

/** What every one-shot role shares: runs once, no GPU, publishes nothing. */
function oneShotProblems(c: ClassifiedFields): string[] {
    const out: string[] = [];
    const restart = c.restart ?? "no";
    if (restart !== "no") out.push(`restart is "${restart}", so it does not run once`);
    if ((c.deviceRequests ?? []).length > 0 || (c.gpus !== undefined && c.gpus !== "")) out.push("it requests GPUs");
    if ((c.ports ?? []).length > 0 || c.publishAllPorts === true) out.push("it publishes ports");
    return out;
}

/** Writable, persistent attachments (volumes and binds; tmpfs is neither shared nor persistent). */
const writableTargets = (c: ClassifiedFields): { field: string; target: string | undefined }[] =>
    attachments(c).filter((a) => !a.readOnly && a.kind !== "tmpfs").map((a) => ({ field: a.field, target: a.target }));

function stagingProblems(c: ClassifiedFields, argv: readonly string[]): string[] {
    const out = oneShotProblems(c);
    const entry = (c.entrypoints ?? []).map(String);
    if (entry.length === 0) out.push("entrypoints is unset, so the image's own entrypoint runs (not a verifiable download)");
    if (!(isProgram(argv[0], "hf", "huggingface-cli") && argv[1] === "download")) {
        out.push(`its command is not an exec-form "hf download <repo> --revision <sha> --local-dir <path>" (got ${JSON.stringify(argv.slice(0, 3).join(" "))})`);
        return out;
    }
    const localDirs = argv.flatMap((a, i) => (a === "--local-dir" ? [argv[i + 1] ?? ""] : a.startsWith("--local-dir=") ? [a.slice(12)] : []));
    for (const w of writableTargets(c)) {
        const t = w.target ?? "";
        if (!localDirs.some((d) => d.startsWith("/") && t.startsWith("/") && (isUnder(t, d) || isUnder(d, t)))) {
            out.push(`${w.field} mounts ${t || "(no target)"} writable, which is not where it downloads (--local-dir ${localDirs.join(", ") || "unset"})`);
        }
    }
    return out;
}

function volumeInitProblems(c: ClassifiedFields, argv: readonly string[]): string[] {
    const out = oneShotProblems(c);
    if (c.networkMode !== "none" || (c.networksAdvanced ?? []).length > 0) out.push(`networkMode is ${JSON.stringify(c.networkMode ?? "unset")}, not "none"`);
    if ((c.entrypoints ?? []).length === 0 || !isProgram(argv[0], "chmod", "chown")) {
        out.push(`its command is not an exec-form chmod/chown set in entrypoints (got ${JSON.stringify(argv.slice(0, 2).join(" "))})`);
        return out;
    }
    const targets = writableTargets(c);
    // chmod/chown [options] <mode|owner> <path>…
    const paths = argv.slice(1).filter((a) => !a.startsWith("-")).slice(1);
    if (paths.length === 0) out.push("it names no path");
    for (const p of paths) {
        if (!targets.some((t) => t.target === p)) out.push(`it changes ${p}, which is not one of its writable volumes`);
        if (isUnder(p, MODEL_ROOT)) out.push(`it changes ${p} under the model store ${MODEL_ROOT}`);
    }
    return out;
}

function gatewayProblems(c: ClassifiedFields): string[] {
    const out: string[] = [];
    const image = deferredImageRef(() => c.image);
    const repository = parseImageRef(image ?? "").repository;
    const known = GATEWAY_IMAGE_REPOSITORIES.some((r) => repository === r || repository.endsWith(`/${r}`) || repository === `library/${r}`);
    if (image === undefined) out.push("its image is only known after deployment (an image ID or an unknown output), so the proxy cannot be verified: set image to the pinned reference itself (a docker.RemoteImage's name)");
    else if (!known) out.push(`its image ${JSON.stringify(repository)} is not a known reverse proxy (${GATEWAY_IMAGE_REPOSITORIES.join(", ")})`);
    if ((c.deviceRequests ?? []).length > 0 || (c.gpus !== undefined && c.gpus !== "")) out.push("it requests GPUs");
    for (const a of attachments(c)) {
        if (a.kind !== "tmpfs") out.push(`${a.field} mounts ${a.target ?? "a path"} (a gateway mounts no volume, model or host path)`);
    }
    for (const e of parseEnvs(c.envs)) {
        const credential = (isSecretName(e.key) && !NON_SECRET_ENV_NAMES.includes(e.key)) || (e.value !== undefined && secretShapeIn(e.value) !== undefined);
        if (credential && !e.key.startsWith(GATEWAY_CREDENTIAL_ENV_PREFIX)) out.push(`envs holds the credential ${e.key}, which is not the gateway's own (${GATEWAY_CREDENTIAL_ENV_PREFIX}*)`);
    }
    return out;
}

/** Classifies a container (reads labels, image, argv, and for a claim the fields the claim depends on). */
export function classify(c: ClassifiedFields): Workload {
    const argv = argvOf(c);
    const label = labelMap(c).get(ROLE_LABEL);
    const server = recognize(c, argv);
    const vllmServer = server?.id === "vllm" || (usesImageEntrypoint(c) && imageLooksLikeVllm(imageText(c)));
    if (server !== undefined || vllmServer) {
        return { label, role: "inference", server, vllmServer, claimProblems: label === "inference" || label === undefined ? [] : [`it runs a ${server?.name ?? "vLLM server"}`], argv };
    }
    const known = (ROLES as readonly string[]).includes(label ?? "") ? (label as Role) : undefined;
    let role: EffectiveRole = "sealed";
    let claimProblems: string[] = [];
    if (known === "inference" || known === "training") role = known;
    else if (known === "model-staging") {
        claimProblems = stagingProblems(c, argv);
        if (claimProblems.length === 0) role = "model-staging";
    } else if (known === "volume-init") {
        claimProblems = volumeInitProblems(c, argv);
        if (claimProblems.length === 0) role = "volume-init";
    } else if (known === "gateway") {
        claimProblems = gatewayProblems(c);
        if (claimProblems.length === 0) role = "gateway";
    } else if (label !== undefined) {
        claimProblems = [`"${label}" is not a role the pack knows (${ROLES.join(", ")})`];
    }
    return { label, role, server, vllmServer: false, claimProblems, argv };
}

/** Whether the container may have a route out (only a verified model-staging container). */
export const mayHaveEgress = (w: Workload): boolean => w.role === "model-staging";
/** Whether the container must carry the hub-offline switches (a proxy and a chmod load no model). */
export const needsOfflineEnv = (w: Workload): boolean => w.role !== "model-staging" && w.role !== "volume-init" && w.role !== "gateway";
/** Whether the container must carry the telemetry-off switches. */
export const needsTelemetryOff = (w: Workload): boolean => w.role !== "volume-init" && w.role !== "gateway";
/** Whether the container may run as root (without capabilities). */
export const mayRunAsRoot = (w: Workload): boolean => w.role === "model-staging" || w.role === "volume-init";
/** Whether the container may write the model store. */
export const mayWriteModelStore = (w: Workload): boolean => w.role === "model-staging";

/** The models a vLLM server container serves (see {@link servedModels}). */
export function servedModelsOf(c: Pick<ContainerProps, "image" | "entrypoints" | "command">, w: Workload): string[] {
    const imageEntry = usesImageEntrypoint(c) && imageLooksLikeVllm(imageText(c));
    return servedModels(w.argv, imageEntry ? { command: (c.command ?? []).map(String) } : undefined);
}

/** How a message names the workload: "vLLM server", "training container", `container labelled "model-staging" (…)`. */
export function describeWorkload(w: Workload): string {
    if (w.server !== undefined) return w.server.name;
    if (w.vllmServer) return "vLLM server";
    if (w.role === "sealed") {
        if (w.label === undefined) return "unlabeled container (sealed by default)";
        return `container labelled "${w.label}" (sealed: the claim does not hold)`;
    }
    return `${w.role} container`;
}
