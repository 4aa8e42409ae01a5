/**
 * The baseline applied to what EC2 user data runs: every container launch and every model server started on the
 * host, read from the parsed script (lib/user-data.ts) with the consumers' own readings (@airlock/baseline): the
 * hub-offline and telemetry switches, a served model that is a local path (or a hub id pinned to a commit),
 * `--trust-remote-code` only for allow-listed models, the API key from the environment (never argv), images pinned
 * by digest from an allowed registry, and no port on every interface (`-p 8000:8000`, `0.0.0.0`, `::`, `-P`, or a
 * host-network server bound to all addresses). Used by the aws-ec2-*-require-sealed-user-data rules and by the
 * stack rule that verifies a staging subnet's claim.
 */
import * as path from "node:path";
import {
    ALTERNATE_HUB_SWITCHES, COMMIT_SHA, type DockerRun, type EnvLookup, type EnvSwitch, HUB_ID, HUB_OFFLINE_SWITCHES, MODEL_SERVERS,
    type ModelServerKind, TELEMETRY_OFF_SWITCHES, VLLM_API_KEY_ENV, dockerFlag, dockerOptionValues, hasVllmFlag, modelDirName,
    parsePublish, readVllmOptions, recognizeModelServer, staticValues, vllmFlagValues,
} from "@airlock/baseline";
import type { TrustedModel } from "./config";
import { hubDownloads, servedModels } from "./argv";
import { parseImageRef, pinningProblem, registryProblem } from "./image";
import { isUnder, normalizePath } from "./paths";
import { type ContainerLaunch, type Script, containerLaunches } from "./user-data";

export interface SealedConfig {
    readonly allowedModelRoots: readonly string[];
    readonly trustRemoteCodeAllowlist: readonly TrustedModel[];
    readonly allowedRegistries: readonly string[];
    readonly allowedRegistryPatterns: readonly string[];
}

/** A workload the user data starts: a container or a process on the host. */
interface Workload {
    /** `line 73: docker run (vLLM server)` */
    readonly name: string;
    /** The command line tokens (static values) of the workload's program: entrypoint + args, or the host argv. */
    readonly tokens: readonly string[];
    /** Arguments that expand at run time. */
    readonly dynamic: readonly string[];
    /** A container started with its image's own entrypoint (the first argument then is vLLM's model). */
    readonly imageEntrypoint: boolean;
    readonly server: ModelServerKind | undefined;
    readonly vllm: boolean;
    /** A verified `hf download` (the staging role): may use the hub. */
    readonly download: boolean;
    /** The environment the workload sees; `undefined` value with a reason when it cannot be known. */
    readonly env: (key: string) => { readonly value: string | undefined; readonly unverifiable?: string };
    /** Where its ports are published / bound. */
    readonly exposure: string[];
}

const UNIVERSAL = ["", "0.0.0.0", "::", "[::]", "*"];

/** The environment of a container launch: `--env K=V` (last one wins), `--env K` passes the host's K through. */
function containerEnv(run: DockerRun): Workload["env"] {
    const entries = dockerOptionValues(run, "--env");
    const files = dockerOptionValues(run, "--env-file");
    return (key) => {
        let found: { value: string | undefined; unverifiable?: string } | undefined;
        for (const w of entries) {
            if (w === undefined) continue;
            if (w.value === undefined) {
                if (w.raw.replace(/^["']/, "").startsWith(`${key}=`) || w.raw.includes(key)) found = { value: undefined, unverifiable: `--env ${w.raw} is computed at run time (${w.expansion})` };
                continue;
            }
            const eq = w.value.indexOf("=");
            const k = eq < 0 ? w.value : w.value.slice(0, eq);
            if (k !== key) continue;
            found = eq < 0 ? { value: undefined, unverifiable: `--env ${key} passes the host's value through, which the pack cannot verify` } : { value: w.value.slice(eq + 1) };
        }
        if (found === undefined && files.length > 0) return { value: undefined, unverifiable: `--env-file ${files.map((f) => f?.raw).join(", ")} is read at run time, which the pack cannot verify` };
        return found ?? { value: undefined };
    };
}

function describe(kind: ModelServerKind | undefined, vllm: boolean, download: boolean): string {
    if (kind) return kind.name;
    if (vllm) return "vLLM server";
    return download ? "model download" : "container";
}

function fromLaunch(l: ContainerLaunch): Workload {
    const r = l.run;
    const entry = dockerOptionValues(r, "--entrypoint").at(-1);
    const args = r.args;
    const dynamic = [...(entry && entry.value === undefined ? [entry] : []), ...args].filter((w) => w.value === undefined).map((w) => `${w.raw} (${w.expansion})`);
    const tokens = [...(entry?.value !== undefined ? [entry.value] : []), ...args.map((w) => w.value ?? "")];
    const image = r.image?.value ?? "";
    const usesImageEntrypoint = entry === undefined;
    const server = recognizeModelServer(tokens, parseImageRef(image).repository, usesImageEntrypoint);
    const vllm = server?.id === "vllm";
    const download = server === undefined && ["hf", "huggingface-cli"].includes(path.posix.basename(tokens[0] ?? "")) && tokens[1] === "download";
    const exposure: string[] = [];
    if (dockerFlag(r, "--publish-all")) exposure.push("--publish-all publishes every exposed port on all interfaces");
    for (const p of dockerOptionValues(r, "--publish")) {
        if (p?.value === undefined) { exposure.push(`--publish ${p?.raw ?? ""} is computed at run time${p?.expansion ? ` (${p.expansion})` : ""}, so where the port is bound cannot be verified`); continue; }
        const pub = parsePublish(p.value);
        if (UNIVERSAL.includes(pub.ip)) exposure.push(`--publish ${p.value} binds container port ${pub.containerPort} on ${pub.ip === "" ? "every interface (no host address)" : `every interface (${pub.ip})`}`);
    }
    const network = dockerOptionValues(r, "--network").at(-1)?.value;
    if (network === "host" && server !== undefined) exposure.push(...hostBinding(tokens, server, "--network host"));
    return {
        name: `${l.where}: ${r.cli} ${r.subcommand} (${describe(server, vllm, download)})`, tokens, dynamic, server, vllm, download,
        imageEntrypoint: usesImageEntrypoint,
        env: containerEnv(r), exposure,
    };
}

/** How a server on the host's network binds: vLLM reads --host (unset = every address). */
function hostBinding(tokens: readonly string[], server: ModelServerKind, context: string): string[] {
    if (server.id !== "vllm") return [`${context}: the ${server.name} binds addresses the pack cannot verify; run it in a container with --publish <instance address>:<port>:<port>`];
    const hosts = tokens.flatMap((t, i) => (t === "--host" ? [tokens[i + 1] ?? ""] : t.startsWith("--host=") ? [t.slice(7)] : []));
    const host = hosts.at(-1);
    if (host === undefined) return [`${context}: vLLM has no --host, so it listens on every interface`];
    if (UNIVERSAL.includes(host)) return [`${context}: vLLM --host ${host || "\"\""} listens on every interface`];
    return [];
}

/** Program names and module prefixes of every model server the baseline knows (a cheap pre-filter for commands). */
const SERVER_PROGRAMS = new Set(MODEL_SERVERS.flatMap((k) => k.programs));
const SERVER_MODULES = MODEL_SERVERS.flatMap((k) => k.modules);
const mayStartServer = (tokens: readonly string[]): boolean =>
    tokens.some((t) => SERVER_PROGRAMS.has(path.posix.basename(t)) || SERVER_MODULES.some((m) => t === m || t.startsWith(`${m}.`) || t.startsWith(`${m}:`)));

/** Host processes that are model servers, with the script's exported static assignments as their environment. */
function hostServers(script: Script): Workload[] {
    const out: Workload[] = [];
    const assigned = new Map<string, string | undefined>();
    for (const c of script.commands) {
        const cmd = c.command;
        if (cmd.words.length === 0) {
            for (const a of cmd.assignments) assigned.set(a.name, a.value.value);
            continue;
        }
        const head = cmd.words[0]!.value;
        if (head === "export" || head === "declare" || head === "typeset" || head === "readonly") {
            for (const w of cmd.words.slice(1)) {
                const eq = (w.value ?? "").indexOf("=");
                if (w.value !== undefined && eq > 0) assigned.set(w.value.slice(0, eq), w.value.slice(eq + 1));
            }
            continue;
        }
        const tokens = cmd.words.map((w) => w.value ?? "");
        if (!mayStartServer(tokens)) continue;
        const server = recognizeModelServer(tokens, "", false);
        if (server === undefined || containerLaunches({ commands: [c], unreadable: [], exported: new Set() }).length > 0) continue;
        const prefix = new Map(cmd.assignments.map((a) => [a.name, a.value.value] as const));
        out.push({
            name: `${c.where}: ${server.name} on the host`, tokens, server, vllm: server.id === "vllm", download: false, imageEntrypoint: false,
            dynamic: cmd.words.filter((w) => w.value === undefined).map((w) => `${w.raw} (${w.expansion})`),
            env: (key) => {
                if (prefix.has(key)) return prefix.get(key) === undefined ? { value: undefined, unverifiable: `${key} is computed at run time` } : { value: prefix.get(key) };
                if (!assigned.has(key) || !script.exported.has(key)) return { value: undefined };
                const v = assigned.get(key);
                return v === undefined ? { value: undefined, unverifiable: `${key} is computed at run time` } : { value: v };
            },
            exposure: hostBinding(tokens, server, "on the host network"),
        });
    }
    return out;
}

function switchProblems(w: Workload, switches: readonly EnvSwitch[], consequence: string): string[] {
    const out: string[] = [];
    for (const sw of switches) {
        const unverifiable = w.env(sw.name).unverifiable ?? (sw.name === "DO_NOT_TRACK" ? w.env("VLLM_DO_NOT_TRACK").unverifiable : undefined);
        if (unverifiable) { out.push(`${w.name}: ${unverifiable}, so ${consequence}: set --env ${sw.name}=${sw.secure} literally.`); continue; }
        const lookup: EnvLookup = (k) => w.env(k).value;
        const p = sw.problem(lookup);
        if (p !== undefined) out.push(`${w.name}: ${p.endsWith("is not set") ? p : `${p} (${sw.reading})`}, so ${consequence}: set --env ${sw.name}=${sw.secure}.`);
    }
    return out;
}

function modelProblems(w: Workload, cfg: SealedConfig): string[] {
    const out: string[] = [];
    const roots = cfg.allowedModelRoots.map(normalizePath);
    const options = readVllmOptions(w.tokens);
    const models = servedModels(w.tokens, w.imageEntrypoint ? { command: [...w.tokens] } : undefined);
    if (models.length === 0) out.push(`${w.name}: names no model, so vLLM would download its default model from the hub: serve a local path such as /models/<org>--<name>.`);
    for (const m of models) {
        if (m.startsWith("/")) {
            if (!roots.some((r) => isUnder(m, r))) out.push(`${w.name}: serves "${m}", which is not under an allowed model root (${roots.join(", ")}): serve the local copy of the staged model.`);
            continue;
        }
        const revisions = vllmFlagValues(options, "--revision");
        if (!HUB_ID.test(m)) out.push(`${w.name}: serves "${m}", which is neither a local path under ${roots.join(", ")} nor a hub id: serve the local copy of the staged model.`);
        else if (revisions.length === 0 || !revisions.every((r) => COMMIT_SHA.test(r))) {
            out.push(`${w.name}: serves hub model "${m}" ${revisions.length === 0 ? "without --revision" : `at --revision "${revisions.find((r) => !COMMIT_SHA.test(r))}"`}: serve the local copy of the staged model (or pin a 40-hex commit).`);
        }
    }
    if (hasVllmFlag(options, "--trust-remote-code")) {
        const allowed = (m: string) => (m.startsWith("/")
            ? roots.some((r) => isUnder(m, r)) && cfg.trustRemoteCodeAllowlist.some((e) => modelDirName(e.model) === path.posix.basename(normalizePath(m)))
            : cfg.trustRemoteCodeAllowlist.some((e) => e.model === m && vllmFlagValues(options, "--revision").every((r) => r === e.revision) && vllmFlagValues(options, "--revision").length === 1));
        const bad = models.filter((m) => !allowed(m));
        if (bad.length > 0 || models.length === 0) {
            out.push(`${w.name}: --trust-remote-code is set for ${bad.map((m) => `"${m}"`).join(", ") || "an unnamed model"}, which is not on trustRemoteCodeAllowlist at its reviewed revision: remove it, or add {model, revision} to trustRemoteCodeAllowlist after reviewing the code.`);
        }
    }
    const apiKey = options.find((o) => o.flags.includes("--api-key"));
    if (apiKey) out.push(`${w.name}: passes ${apiKey.written.split("=")[0]} in argv, which exposes the key through ps and docker inspect: remove it and pass ${VLLM_API_KEY_ENV} from Secrets Manager through the environment.`);
    const key = w.env(VLLM_API_KEY_ENV);
    if (key.value === undefined && key.unverifiable === undefined) {
        out.push(`${w.name}: ${VLLM_API_KEY_ENV} is not set, so the server accepts unauthenticated requests: read the key from Secrets Manager at boot and pass --env ${VLLM_API_KEY_ENV}.`);
    } else if (key.value !== undefined && key.value.trim() === "") {
        out.push(`${w.name}: ${VLLM_API_KEY_ENV} is empty, so the server accepts unauthenticated requests: read the key from Secrets Manager at boot and pass --env ${VLLM_API_KEY_ENV}.`);
    }
    return out;
}

/** Every violation of the baseline in what the script starts. */
export function sealedUserDataProblems(script: Script, cfg: SealedConfig): string[] {
    const out = script.unreadable.map((u) => `userData: ${u}.`);
    const launches = containerLaunches(script);
    for (const l of launches) {
        const w = fromLaunch(l);
        for (const p of l.run.problems) out.push(`${w.name}: ${p}: write the launch with options the Docker CLI documents.`);
        const image = l.run.image;
        if (image !== undefined) {
            if (image.value === undefined) out.push(`${w.name}: the image is computed at run time (${image.expansion}): name the digest-pinned image literally.`);
            else {
                const pin = pinningProblem("image", image.value);
                if (pin) out.push(`${w.name}: ${pin}`);
                const reg = registryProblem("image", image.value, cfg.allowedRegistries, cfg.allowedRegistryPatterns);
                if (reg) out.push(`${w.name}: ${reg}`);
            }
        }
        out.push(...checkWorkload(w, cfg));
    }
    for (const w of hostServers(script)) out.push(...checkWorkload(w, cfg));
    return out;
}

function checkWorkload(w: Workload, cfg: SealedConfig): string[] {
    const out: string[] = [];
    const who = w.server?.name ?? (w.vllm ? "vLLM server" : "container");
    if (!w.download) out.push(...switchProblems(w, [...HUB_OFFLINE_SWITCHES, ...ALTERNATE_HUB_SWITCHES], `the ${who} could call a model hub`));
    out.push(...switchProblems(w, TELEMETRY_OFF_SWITCHES, `the ${who} could send telemetry`));
    for (const e of w.exposure) out.push(`${w.name}: ${e}: publish the port on the instance's own address only (--publish <address>:<port>:<port>), which its security group guards.`);
    if (w.server !== undefined && w.dynamic.length > 0) {
        out.push(`${w.name}: arguments are computed at run time (${w.dynamic.join(", ")}), so what it serves cannot be verified: write them literally.`);
    } else if (w.vllm) {
        out.push(...modelProblems(w, cfg));
    }
    if (w.download) {
        for (const d of hubDownloads(w.tokens)) {
            if (d.revisions.length === 0 || !d.revisions.every((r) => COMMIT_SHA.test(r))) {
                out.push(`${w.name}: downloads "${d.repo ?? "<repo>"}" ${d.revisions.length === 0 ? "without --revision" : `at --revision "${d.revisions.find((r) => !COMMIT_SHA.test(r))}"`}: pin the reviewed 40-hex commit.`);
            }
        }
    }
    return out;
}

/**
 * Why a script is not a verified one-shot model staging script, or []: it downloads only (`hf download` at pinned
 * revisions, nothing served, no port published), reads cleanly, and powers the instance off when done.
 */
export function stagingScriptProblems(script: Script): string[] {
    const out = [...script.unreadable];
    const launches = containerLaunches(script).map(fromLaunch);
    const hosts = hostServers(script);
    if (launches.length === 0) out.push("it starts no model download");
    for (const w of [...launches, ...hosts]) {
        if (!w.download) out.push(`${w.name} is not a model download`);
        if (w.exposure.length > 0) out.push(`${w.name} exposes a port`);
        for (const d of w.download ? hubDownloads(w.tokens) : []) {
            if (d.revisions.length === 0 || !d.revisions.every((r) => COMMIT_SHA.test(r))) out.push(`${w.name} downloads "${d.repo ?? "<repo>"}" without a 40-hex --revision`);
        }
    }
    const powersOff = script.commands.some((c) => {
        const v = staticValues(c.command.words) ?? [];
        const prog = path.posix.basename(v[0] ?? "");
        return prog === "poweroff" || prog === "halt" || (prog === "shutdown" && (v.includes("-h") || v.includes("-P") || v.includes("--poweroff")))
            || (prog === "systemctl" && v[1] === "poweroff");
    });
    if (!powersOff) out.push("it never powers the instance off (shutdown -h now), so it is not one-shot");
    return out;
}

/** Options that take a credential as their value. */
const CREDENTIAL_OPTIONS = ["--api-key", "--token", "--hf-token", "--password", "--secret", "--access-key", "--secret-key", "--secret-access-key"];

const literalFix = (name: string) => `read it at boot from Secrets Manager instead: ${name}="$(aws secretsmanager get-secret-value --secret-id <name> --query SecretString --output text)"`;

/**
 * Credentials written into user data: credential-shaped strings anywhere in the text, literal values assigned to
 * secret-named variables (shell assignments, `export`, `docker run --env`), and literal values of credential options.
 * Values computed at run time (a command substitution that reads Secrets Manager) are the intended channel.
 */
export function userDataSecretProblems(text: string, script: Script, isSecretName: (n: string) => boolean, shapeIn: (v: string) => string | undefined, nonSecret: readonly string[]): string[] {
    const out: string[] = [];
    const shape = shapeIn(text);
    if (shape) out.push(`userData contains a credential (${shape}): user data is readable by anyone who can describe the instance and is stored in the Pulumi state; remove it, rotate it, and ${literalFix("NAME")}.`);
    const secretName = (n: string) => isSecretName(n) && !nonSecret.includes(n);
    for (const c of script.commands) {
        const cmd = c.command;
        const assignments = [...cmd.assignments.map((a) => [a.name, a.value.value] as const)];
        const head = cmd.words[0]?.value;
        if (head === "export" || head === "declare" || head === "typeset" || head === "readonly" || head === "local") {
            for (const w of cmd.words.slice(1)) {
                const eq = (w.value ?? "").indexOf("=");
                if (w.value !== undefined && eq > 0) assignments.push([w.value.slice(0, eq), w.value.slice(eq + 1)]);
            }
        }
        for (const [name, value] of assignments) {
            if (secretName(name) && value !== undefined && value.trim() !== "") out.push(`userData ${c.where}: ${name} is assigned a literal value, so the secret is stored in the user data and the Pulumi state: ${literalFix(name)}.`);
        }
        for (const run of containerLaunches({ commands: [c], unreadable: [], exported: new Set() }).map((l) => l.run)) {
            for (const v of dockerOptionValues(run, "--env")) {
                const eq = (v?.value ?? "").indexOf("=");
                if (v?.value === undefined || eq <= 0) continue;
                const name = v.value.slice(0, eq);
                if (secretName(name) && v.value.slice(eq + 1).trim() !== "") out.push(`userData ${c.where}: docker run --env ${name}=… passes a literal secret: pass --env ${name} (from the environment) and ${literalFix(name)}.`);
            }
        }
        cmd.words.forEach((w, i) => {
            const v = w.value;
            if (v === undefined || !v.startsWith("--")) return;
            const eq = v.indexOf("=");
            const flag = (eq < 0 ? v : v.slice(0, eq)).replace(/_/g, "-");
            if (!CREDENTIAL_OPTIONS.includes(flag)) return;
            const value = eq >= 0 ? v.slice(eq + 1) : cmd.words[i + 1]?.value;
            if (value !== undefined && value !== "" && !value.startsWith("-")) out.push(`userData ${c.where}: ${flag} is given a literal value, which is visible in the user data, the Pulumi state and the process list: pass it through the environment and ${literalFix("NAME")}.`);
        });
    }
    return out;
}
