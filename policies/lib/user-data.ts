/**
 * EC2 user data read as the instance will run it. The text is decoded (an instance's `userData` is plain,
 * `userDataBase64` and a launch template's `userData` are base64, possibly gzip), then read by format: a shell
 * script (`#!/bin/bash`, `#!/bin/sh`, … or no header) is parsed into commands with the baseline's shell-word reader;
 * `#cloud-config` contributes its `bootcmd`/`runcmd` entries (a string is a shell line, a list is an argv run
 * without a shell). Container launches (`docker run`, `podman run`, …) are read with the Docker CLI's own option
 * rules; model servers started on the host are recognised by argv. What could hide a launch from this reading — a
 * here-document or file content that runs containers, `eval`, a shell script or command name computed at run
 * time, compose files, constructs the reader does not follow — is reported as unreadable, never skipped.
 */
import * as path from "node:path";
import * as zlib from "node:zlib";
import * as yaml from "js-yaml";
import {
    type DockerRun, type ParsedShell, type ShellCommand, type ShellWord, findDockerRuns, parseShell, staticValues,
} from "@airlock/baseline";

export type UserData =
    | { readonly kind: "absent" }
    | { readonly kind: "text"; readonly field: string; readonly text: string }
    | { readonly kind: "unreadable"; readonly field: string; readonly reason: string };

/** Decodes base64 user data (gzip allowed); undefined when it is not base64 of UTF-8 text. */
function decodeBase64(value: string): string | undefined {
    const compact = value.replace(/\s+/g, "");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 === 1) return undefined;
    let bytes = Buffer.from(compact, "base64");
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
        try { bytes = zlib.gunzipSync(bytes); } catch { return undefined; }
    }
    const text = bytes.toString("utf8");
    return Buffer.from(text, "utf8").equals(bytes) ? text : undefined;
}

/**
 * The user data of a resource. `fields` maps each property to its encoding; the first one set is used (the
 * provider accepts only one of them). Reading a field whose value is unknown at preview throws (fail closed).
 */
export function readUserData(props: Record<string, unknown>, fields: readonly (readonly [string, "plain" | "base64"])[]): UserData {
    for (const [field, encoding] of fields) {
        const v = props[field];
        if (v === undefined || v === null || v === "") continue;
        if (typeof v !== "string") return { kind: "unreadable", field, reason: "is not a string" };
        if (encoding === "plain") return { kind: "text", field, text: v };
        const text = decodeBase64(v);
        return text === undefined ? { kind: "unreadable", field, reason: "is not base64 of UTF-8 text (or of gzip-compressed text)" } : { kind: "text", field, text };
    }
    return { kind: "absent" };
}

/** One command the instance runs, with where it came from. */
export interface Command {
    readonly command: ShellCommand;
    /** `line 12` or `runcmd[3]` (nested `sh -c` scripts keep the outer location). */
    readonly where: string;
}

export interface Script {
    readonly commands: readonly Command[];
    /** Why parts of the script cannot be verified (each names where). */
    readonly unreadable: readonly string[];
    /** Shell assignments that are exported (or all, after `set -a`): the environment of host processes. */
    readonly exported: ReadonlySet<string>;
}

const SHELLS = ["sh", "bash", "dash", "zsh", "ksh", "ash", "busybox"];
const base = (w: ShellWord | undefined): string | undefined => (w?.value === undefined ? undefined : path.posix.basename(w.value));

/** Text that starts containers or model servers (for content the pack cannot read as commands). */
export const LAUNCH_PATTERN = /\b(docker|podman|nerdctl|finch)(\s+container)?\s+(run|create)\b|\bdocker[- ]compose\b|\bvllm\s+serve\b|vllm\.entrypoints|text-generation-launcher|\bsglang\b|\bollama\s+serve\b|\bllama-server\b|\btritonserver\b|\btrtllm-serve\b/;

function formatOf(text: string): { kind: "shell" | "cloud-config" | "other"; what?: string } {
    const first = text.replace(/^\uFEFF/, "").split("\n", 1)[0]!.trim();
    if (first.startsWith("#cloud-config")) return { kind: "cloud-config" };
    if (first.startsWith("#!")) {
        const parts = first.slice(2).trim().split(/\s+/);
        const interpreter = path.posix.basename(parts[0] ?? "") === "env" ? parts[1] ?? "" : path.posix.basename(parts[0] ?? "");
        return SHELLS.includes(interpreter) ? { kind: "shell" } : { kind: "other", what: `a ${interpreter || "non-shell"} script` };
    }
    if (/^content-type:/i.test(first) || /^mime-version:/i.test(first)) return { kind: "other", what: "a MIME multi-part document" };
    if (/^#include\b|^<powershell>|^<script>|^#part-handler|^#upstart-job|^#cloud-boothook/i.test(first)) return { kind: "other", what: `a "${first.slice(0, 20)}" document` };
    return { kind: "shell" };
}

/** Scripts read recently, by text: the rules of one instance (and the stack rules) read the same user data. */
const recent = new Map<string, Script>();

/** Reads user data text into the commands it runs (memoized per text; a Script is never modified). */
export function readScript(text: string): Script {
    const hit = recent.get(text);
    if (hit !== undefined) return hit;
    const script = readScriptUncached(text);
    if (recent.size >= 32) recent.delete(recent.keys().next().value!);
    recent.set(text, script);
    return script;
}

function readScriptUncached(text: string): Script {
    const commands: Command[] = [];
    const unreadable: string[] = [];
    const exported = new Set<string>();
    let allExported = false;
    const declared = new Set<string>();

    const walk = (parsed: ParsedShell, where: (c: ShellCommand) => string, depth: number) => {
        for (const e of parsed.errors) unreadable.push(`${e}`);
        for (const c of parsed.commands) {
            const at = where(c);
            commands.push({ command: c, where: at });
            for (const a of c.assignments) if (c.words.length === 0) declared.add(a.name);
            for (const h of c.heredocs) {
                if (LAUNCH_PATTERN.test(h.body)) unreadable.push(`the here-document at ${at} starts containers or model servers as text the pack cannot read as commands; run them as command lines of the script`);
            }
            const words = c.words;
            if (words.length === 0) continue;
            const prog = base(words[0]);
            if (words[0]!.value === undefined) {
                unreadable.push(`the command at ${at} is computed at run time (${words[0]!.expansion}), so what it runs cannot be verified`);
                continue;
            }
            if (prog === "eval") { unreadable.push(`eval at ${at} runs text the pack cannot read`); continue; }
            if (prog === "export" || prog === "declare" || prog === "typeset" || prog === "readonly") {
                const values = words.slice(1).map((w) => w.value ?? "");
                const isExport = prog === "export" || values.includes("-x");
                for (const v of values) {
                    const name = v.split("=")[0]!;
                    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && isExport) exported.add(name);
                }
            }
            if (prog === "set" && words.slice(1).some((w) => /^-[a-z]*a/.test(w.value ?? "") || w.value === "allexport")) allExported = true;
            if (prog !== undefined && /^docker-compose$/.test(prog)) unreadable.push(`docker-compose at ${at} starts containers from a compose file the pack cannot read`);
            if ((prog === "docker" || prog === "podman") && ["compose", "stack", "service"].includes(words[1]?.value ?? "")) {
                unreadable.push(`${prog} ${words[1]!.value} at ${at} starts containers from a definition the pack cannot read`);
            }
            // `sh -c '<script>'`: read the script too.
            if (prog !== undefined && SHELLS.includes(prog)) {
                const c = words.findIndex((w, i) => i > 0 && /^-[a-z]*c[a-z]*$/.test(w.value ?? ""));
                if (c > 0) {
                    const script = words[c + 1];
                    if (script === undefined || script.value === undefined) unreadable.push(`the ${prog} -c script at ${at} is computed at run time, so what it runs cannot be verified`);
                    else if (depth < 4) walk(parseShell(script.value), () => at, depth + 1);
                    else unreadable.push(`the ${prog} -c script at ${at} is nested too deeply to read`);
                }
            }
        }
    };

    const format = formatOf(text);
    if (format.kind === "other") {
        if (LAUNCH_PATTERN.test(text)) unreadable.push(`the user data is ${format.what}, which the pack does not read, and it mentions starting containers or model servers`);
        return { commands, unreadable, exported };
    }
    if (format.kind === "shell") {
        walk(parseShell(text), (c) => `line ${c.line}`, 0);
    } else {
        let doc: unknown;
        try { doc = yaml.load(text); } catch (e) { unreadable.push(`the #cloud-config document is not valid YAML (${(e as Error).message.split("\n")[0]})`); doc = {}; }
        const cfg = (doc !== null && typeof doc === "object" ? doc : {}) as Record<string, unknown>;
        for (const key of ["bootcmd", "runcmd"]) {
            const entries = Array.isArray(cfg[key]) ? cfg[key] as unknown[] : [];
            entries.forEach((entry, i) => {
                const at = `${key}[${i}]`;
                if (typeof entry === "string") walk(parseShell(entry), () => at, 0);
                else if (Array.isArray(entry)) {
                    const words = entry.map((x) => ({ raw: String(x), value: String(x) }));
                    const command: ShellCommand = { assignments: [], words, redirects: [], heredocs: [], line: 0, terminator: "end" };
                    walk({ commands: [command], errors: [] }, () => at, 0);
                } else unreadable.push(`${at} is neither a command line nor an argv list`);
            });
        }
        const files = Array.isArray(cfg.write_files) ? cfg.write_files as Record<string, unknown>[] : [];
        files.forEach((f, i) => {
            if (LAUNCH_PATTERN.test(String(f?.content ?? ""))) unreadable.push(`write_files[${i}] (${String(f?.path ?? "")}) holds text that starts containers or model servers, which the pack cannot read as commands`);
        });
    }
    return { commands, unreadable, exported: allExported ? new Set([...declared, ...exported]) : exported };
}

/** A container launch in user data. */
export interface ContainerLaunch {
    readonly run: DockerRun;
    readonly where: string;
}

export function containerLaunches(script: Script): ContainerLaunch[] {
    return script.commands.flatMap((c) => findDockerRuns(c.command.words).map((run) => ({ run, where: c.where })));
}

/** The static values of a command's words (undefined entries for words that expand). */
export const valuesOf = (words: readonly ShellWord[]): (string | undefined)[] => words.map((w) => w.value);

export { staticValues };
