/**
 * `docker run` (and `docker create`, `podman`, `nerdctl`) read as the Docker CLI reads its arguments: pflag-style
 * options (`--name value`, `--name=value`, combined short flags `-dit`, `-p8000:8000`), the first non-option word is
 * the image, everything after it is the container's command. Options the table does not know make the image
 * position unknowable, so they are reported as problems (fail closed). Shared by the AWS components (which build
 * the line) and the policy pack (which reads it back from user data).
 */
import * as path from "node:path";
import type { ShellWord } from "./shell";

/** Options of `docker run` that take a value, long name → short letter (or ""). */
const VALUE_OPTIONS: Readonly<Record<string, string>> = {
    "--add-host": "", "--annotation": "", "--attach": "a", "--blkio-weight": "", "--blkio-weight-device": "", "--cap-add": "",
    "--cap-drop": "", "--cgroup-parent": "", "--cgroupns": "", "--cidfile": "", "--cpu-count": "", "--cpu-percent": "",
    "--cpu-period": "", "--cpu-quota": "", "--cpu-rt-period": "", "--cpu-rt-runtime": "", "--cpu-shares": "c", "--cpus": "",
    "--cpuset-cpus": "", "--cpuset-mems": "", "--detach-keys": "", "--device": "", "--device-cgroup-rule": "",
    "--device-read-bps": "", "--device-read-iops": "", "--device-write-bps": "", "--device-write-iops": "", "--dns": "",
    "--dns-opt": "", "--dns-option": "", "--dns-search": "", "--domainname": "", "--entrypoint": "", "--env": "e",
    "--env-file": "", "--expose": "", "--gpus": "", "--group-add": "", "--health-cmd": "", "--health-interval": "",
    "--health-retries": "", "--health-start-interval": "", "--health-start-period": "", "--health-timeout": "",
    "--hostname": "h", "--io-maxbandwidth": "", "--io-maxiops": "", "--ip": "", "--ip6": "", "--ipc": "", "--isolation": "",
    "--kernel-memory": "", "--label": "l", "--label-file": "", "--link": "", "--link-local-ip": "", "--log-driver": "",
    "--log-opt": "", "--mac-address": "", "--memory": "m", "--memory-reservation": "", "--memory-swap": "",
    "--memory-swappiness": "", "--mount": "", "--name": "", "--network": "", "--network-alias": "", "--oom-score-adj": "",
    "--pid": "", "--pids-limit": "", "--platform": "", "--publish": "p", "--pull": "", "--restart": "", "--runtime": "",
    "--security-opt": "", "--shm-size": "", "--stop-signal": "", "--stop-timeout": "", "--storage-opt": "", "--sysctl": "",
    "--tmpfs": "", "--ulimit": "", "--user": "u", "--userns": "", "--uts": "", "--volume": "v", "--volume-driver": "",
    "--volumes-from": "", "--workdir": "w",
};

/** Boolean options of `docker run`, long name → short letter (or ""). */
const BOOLEAN_OPTIONS: Readonly<Record<string, string>> = {
    "--detach": "d", "--interactive": "i", "--tty": "t", "--init": "", "--privileged": "", "--publish-all": "P",
    "--read-only": "", "--rm": "", "--sig-proxy": "", "--no-healthcheck": "", "--oom-kill-disable": "", "--quiet": "q",
    "--disable-content-trust": "", "--help": "", "--use-api-socket": "",
};

/** Long aliases the CLI accepts. */
const ALIASES: Readonly<Record<string, string>> = { "--net": "--network", "--net-alias": "--network-alias" };

const SHORT = new Map<string, { name: string; value: boolean }>([
    ...Object.entries(VALUE_OPTIONS).filter(([, s]) => s !== "").map(([n, s]) => [s, { name: n, value: true }] as const),
    ...Object.entries(BOOLEAN_OPTIONS).filter(([, s]) => s !== "").map(([n, s]) => [s, { name: n, value: false }] as const),
]);

/** Programs that run containers with Docker's `run` syntax. */
export const CONTAINER_CLIS: readonly string[] = ["docker", "podman", "nerdctl", "nvidia-docker", "finch"];

/** Global options of the container CLI (before the subcommand) that take a value. */
const GLOBAL_VALUE_OPTIONS = new Set(["-H", "--host", "-c", "--context", "--config", "-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey"]);

export interface DockerRunOption {
    /** Canonical long name: `--publish`, `--env`, `--rm`. */
    readonly name: string;
    /** As written: `-p`, `--publish=…`, `-dit`. */
    readonly written: string;
    /** The value word (for value options; for `--name=value` the value part as a word). */
    readonly value?: ShellWord;
}

export interface DockerRun {
    /** `docker`, `podman`, … (basename). */
    readonly cli: string;
    readonly subcommand: "run" | "create";
    readonly options: readonly DockerRunOption[];
    /** The image word, or undefined when it could not be found. */
    readonly image?: ShellWord;
    /** The container command: words after the image. */
    readonly args: readonly ShellWord[];
    /** Why the line cannot be read completely (unknown option, an option name that expands, no image). */
    readonly problems: readonly string[];
}

const basename = (w: ShellWord | undefined): string | undefined => (w?.value === undefined ? undefined : path.posix.basename(w.value));

/** The index of the subcommand (`run`/`create`) of a container CLI invocation starting at `at`, or -1. */
function subcommandIndex(words: readonly ShellWord[], at: number): number {
    let i = at + 1;
    while (i < words.length) {
        const v = words[i]!.value;
        if (v === undefined) return -1;
        if (GLOBAL_VALUE_OPTIONS.has(v)) { i += 2; continue; }
        if (v.startsWith("-")) { i++; continue; }
        if (v === "container" && ["run", "create"].includes(words[i + 1]?.value ?? "")) return i + 1;
        return v === "run" || v === "create" ? i : -1;
    }
    return -1;
}

/** Every container launch (`<cli> [global options] [container] run|create …`) among `words`. */
export function findDockerRuns(words: readonly ShellWord[]): DockerRun[] {
    const out: DockerRun[] = [];
    words.forEach((w, i) => {
        const cli = basename(w);
        if (cli === undefined || !CONTAINER_CLIS.includes(cli)) return;
        const sub = subcommandIndex(words, i);
        if (sub < 0) return;
        out.push(parseDockerRunArgs(cli, words[sub]!.value as "run" | "create", words.slice(sub + 1)));
    });
    return out;
}

/** Reads the arguments after `run`/`create`. */
export function parseDockerRunArgs(cli: string, subcommand: "run" | "create", words: readonly ShellWord[]): DockerRun {
    const options: DockerRunOption[] = [];
    const problems: string[] = [];
    let i = 0;
    for (; i < words.length; i++) {
        const w = words[i]!;
        const v = w.value;
        if (v === undefined) {
            if (w.raw.startsWith("-") || w.raw.startsWith("\"-") || w.raw.startsWith("'-")) {
                problems.push(`option ${w.raw} expands at run time (${w.expansion}), so the line cannot be read`);
                continue;
            }
            break; // the image, computed at run time
        }
        if (v === "--") { i++; break; }
        if (!v.startsWith("-") || v === "-") break;
        if (v.startsWith("--")) {
            const eq = v.indexOf("=");
            const written = eq < 0 ? v : v.slice(0, eq);
            const name = ALIASES[written] ?? written;
            if (name in VALUE_OPTIONS) {
                if (eq >= 0) options.push({ name, written: v, value: { raw: v.slice(eq + 1), value: v.slice(eq + 1) } });
                else if (i + 1 < words.length) options.push({ name, written, value: words[++i]! });
                else problems.push(`option ${written} has no value`);
            } else if (name in BOOLEAN_OPTIONS) {
                options.push(eq < 0 ? { name, written } : { name, written, value: { raw: v.slice(eq + 1), value: v.slice(eq + 1) } });
            } else {
                problems.push(`unknown option ${written}, so the image and the container's command cannot be told apart`);
            }
            continue;
        }
        // Short flags, possibly combined: -dit, -p8000:8000, -dp 8000:8000.
        for (let k = 1; k < v.length; k++) {
            const s = SHORT.get(v[k]!);
            if (s === undefined) {
                problems.push(`unknown option -${v[k]} in ${v}, so the image and the container's command cannot be told apart`);
                break;
            }
            if (!s.value) { options.push({ name: s.name, written: v }); continue; }
            const attached = v.slice(k + 1).replace(/^=/, "");
            if (attached !== "") options.push({ name: s.name, written: v, value: { raw: attached, value: attached } });
            else if (i + 1 < words.length) options.push({ name: s.name, written: v, value: words[++i]! });
            else problems.push(`option -${v[k]} has no value`);
            break;
        }
    }
    const image = words[i];
    if (image === undefined) problems.push("names no image");
    return { cli, subcommand, options, ...(image ? { image } : {}), args: words.slice(i + 1), problems };
}

/** The values of every `name` option (undefined entries for values that expand at run time). */
export function dockerOptionValues(run: DockerRun, name: string): (ShellWord | undefined)[] {
    return run.options.filter((o) => o.name === name).map((o) => o.value);
}

/** Whether the boolean option `name` is on (`--rm`, `--rm=true`; `--rm=false` is off). */
export function dockerFlag(run: DockerRun, name: string): boolean {
    return run.options.some((o) => o.name === name && (o.value === undefined || o.value.value !== "false"));
}

/** A `-p/--publish` value as Docker reads it: `[ip:][hostPort:]containerPort[/proto]`, IPv6 in brackets. */
export interface PublishedPort {
    /** Host IP; "" when unset (Docker then binds every interface). */
    readonly ip: string;
    readonly hostPort: string;
    readonly containerPort: string;
}

export function parsePublish(value: string): PublishedPort {
    let rest = value;
    let ip = "";
    if (rest.startsWith("[")) {
        const end = rest.indexOf("]");
        ip = rest.slice(1, end);
        rest = rest.slice(end + 2);
        const [hostPort = "", containerPort = ""] = rest.split(":");
        return { ip, hostPort, containerPort };
    }
    const parts = rest.split(":");
    if (parts.length >= 3) return { ip: parts.slice(0, parts.length - 2).join(":"), hostPort: parts[parts.length - 2]!, containerPort: parts[parts.length - 1]! };
    if (parts.length === 2) return { ip: "", hostPort: parts[0]!, containerPort: parts[1]! };
    return { ip: "", hostPort: "", containerPort: parts[0]! };
}

/** Builds a `docker run` line from argv parts; every value is one single-quoted word. */
export function dockerRunLine(parts: { readonly options: readonly (readonly [string, string?])[]; readonly image: string; readonly args: readonly string[] }, quote: (v: string) => string): string {
    const opts = parts.options.map(([name, value]) => (value === undefined ? name : `${name} ${quote(value)}`));
    return ["docker run", ...opts, quote(parts.image), ...parts.args.map(quote)].join(" \\\n    ");
}
