/**
 * A real, private Docker engine and registry for the engine tests (and anything else that needs one).
 *
 * `startDockerHost()`:
 *  1. installs Debian's `docker.io`, `busybox-static` and `docker-registry` when a binary is missing;
 *  2. starts `dockerd` on its own socket, data-root, exec-root, pid file and bridge (`airlock0`, its own address
 *     pool), so it never touches a system Docker's `/var/run/docker.sock`, `/var/lib/docker` or `docker0`. It uses
 *     iptables when the kernel lets it (internal networks are isolated by iptables rules) and records whether it could;
 *  3. starts `docker-registry` on 127.0.0.1 (port 5000 when free, as Pulumi.dev.yaml expects, else a free port);
 *  4. builds the STAND-IN images (stand-in-rootfs.ts: BusyBox, not vLLM/axolotl) with `docker import`, pushes them
 *     under the dev stack's mirror names (`localhost:<port>/mirror/vllm/vllm-openai:v0.11.0`, …) and records the
 *     digests the registry gives them.
 * `stop()` removes every container, stops dockerd (which stops its containerd) and the registry, and deletes the
 * bridge; processes are ended by their pid only. One host per machine at a time: a second start fails while the
 * first one's processes live; a crashed run's leftovers (recorded in the state file) are ended first.
 *
 * Manual use: `npx tsx tests/engine/support/docker-host.ts start` (prints DOCKER_HOST and the images, leaves it
 * running), `… stop`.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { STAND_IN_LABEL, STAND_INS, type StandInName, writeStandInRootfs } from "./stand-in-rootfs";

export const HOST_ROOT = process.env.AIRLOCK_DOCKER_HOST_ROOT ?? "/tmp/airlock-docker-host";
const STATE_FILE = path.join(HOST_ROOT, "state.json");
const BRIDGE = "airlock0";
const BRIDGE_CIDR = "172.31.250.1/24";
const ADDRESS_POOL = "base=172.31.128.0/18,size=24";
const PACKAGES: Record<string, string> = { docker: "docker.io", dockerd: "docker.io", busybox: "busybox-static", "docker-registry": "docker-registry" };

export interface StandInImage {
    /** `localhost:<port>/mirror/...` (no tag). */
    readonly repository: string;
    readonly tag: string;
    /** The digest the local registry gave the pushed image. */
    readonly digest: string;
    /** `repository:tag@digest`, as the dev stack's components write image references. */
    readonly ref: string;
}

export interface DockerHostState {
    readonly root: string;
    readonly socket: string;
    /** `unix://<socket>`: the value for DOCKER_HOST and for the `docker:host` provider config. */
    readonly dockerHost: string;
    readonly dockerdPid: number;
    readonly registryPid: number;
    readonly registryPort: number;
    /** `localhost:<port>` */
    readonly registry: string;
    /** Whether dockerd runs with iptables (internal-network isolation); false only where the kernel refused. */
    readonly iptables: boolean;
    readonly serverVersion: string;
    readonly images: Record<StandInName, StandInImage>;
}

export interface DockerHost extends DockerHostState {
    /** Runs the docker CLI against this host. */
    docker(args: string[], opts?: { allowFail?: boolean; input?: string; timeoutMs?: number }): { status: number; stdout: string; stderr: string };
    stop(): void;
}

const log = (msg: string) => process.stderr.write(`[docker-host] ${msg}\n`);

function run(cmd: string, args: string[], opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv; input?: string; timeoutMs?: number } = {}) {
    const r = spawnSync(cmd, args, { encoding: "utf8", env: opts.env ?? process.env, input: opts.input, timeout: opts.timeoutMs ?? 120_000 });
    const status = r.status ?? 1;
    if (status !== 0 && !opts.allowFail) {
        throw new Error(`docker-host: \`${cmd} ${args.join(" ")}\` failed (exit ${status}): ${(r.stderr || r.stdout || String(r.error ?? "")).trim()}`);
    }
    return { status, stdout: (r.stdout ?? "").trim(), stderr: (r.stderr ?? "").trim() };
}

const which = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`], { encoding: "utf8" }).status === 0;

/** Installs the Debian packages whose binaries are missing (apt-get; needs root and Debian's mirror). */
export function ensurePackages(): void {
    const missing = [...new Set(Object.entries(PACKAGES).filter(([bin]) => !which(bin)).map(([, pkg]) => pkg))];
    if (missing.length === 0) return;
    log(`installing ${missing.join(" ")} (apt-get)`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    run("apt-get", ["update", "-qq"], { env, timeoutMs: 600_000 });
    run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { env, timeoutMs: 600_000 });
}

/** The process runs (a zombie does not: dockerd's parent may be this very process, which never reaps it). */
const alive = (pid: number | undefined) => {
    if (!pid) return false;
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
    } catch { return false; }
};
/** The pid still runs the program we started (pids are reused). */
const ours = (pid: number, needle: string) => {
    try { return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle); } catch { return false; }
};

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, timeoutMs: number, logFile?: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
        if (await ok()) return;
        await new Promise((r) => setTimeout(r, 200));
    }
    const tail = logFile && fs.existsSync(logFile) ? `\n--- ${logFile} (last lines) ---\n${fs.readFileSync(logFile, "utf8").split("\n").slice(-25).join("\n")}` : "";
    throw new Error(`docker-host: ${what} did not happen within ${timeoutMs / 1000} s${tail}`);
}

function stopPid(pid: number, needle: string, timeoutMs = 30_000): void {
    if (!alive(pid) || !ours(pid, needle)) return;
    process.kill(pid, "SIGTERM");
    const end = Date.now() + timeoutMs;
    while (alive(pid) && Date.now() < end) spawnSync("sleep", ["0.2"]);
    if (alive(pid)) process.kill(pid, "SIGKILL");
}

function readState(): Partial<DockerHostState> | undefined {
    try { return JSON.parse(fs.readFileSync(STATE_FILE, "utf8")) as DockerHostState; } catch { return undefined; }
}

/** Stops whatever a previous (crashed) run recorded, by pid, and removes the bridge. */
function cleanupStale(): void {
    const s = readState();
    if (s?.dockerdPid && alive(s.dockerdPid) && ours(s.dockerdPid, HOST_ROOT)) {
        throw new Error(`docker-host: a Docker host from ${HOST_ROOT} is running (dockerd pid ${s.dockerdPid}); ` +
            `stop it first: npx tsx tests/engine/support/docker-host.ts stop`);
    }
    if (s?.registryPid) stopPid(s.registryPid, HOST_ROOT);
    // A containerd whose dockerd died keeps running: it was started with our exec-root in its argv.
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).map(Number)) {
        if (ours(pid, path.join(HOST_ROOT, "exec"))) stopPid(pid, HOST_ROOT);
    }
    run("ip", ["link", "delete", BRIDGE], { allowFail: true });
    removeBridgeRules();
}

/** Deletes the iptables rules dockerd left for our bridge and address pool (it keeps them across a stop). */
function removeBridgeRules(): void {
    for (const table of ["filter", "nat"]) {
        const rules = run("iptables", ["-w", "-t", table, "-S"], { allowFail: true }).stdout.split("\n");
        for (const rule of rules.filter((r) => r.startsWith("-A ") && (r.includes(BRIDGE) || r.includes("172.31.250.0/24")))) {
            run("iptables", ["-w", "-t", table, ...rule.replace(/^-A /, "-D ").split(" ")], { allowFail: true });
        }
    }
}

const portFree = (port: number) => new Promise<boolean>((resolve) => {
    const srv = net.createServer().once("error", () => resolve(false)).once("listening", () => srv.close(() => resolve(true)));
    srv.listen(port, "127.0.0.1");
});

async function freePort(preferred: number): Promise<number> {
    if (await portFree(preferred)) return preferred;
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    return port;
}

const httpOk = (url: string) => fetch(url).then((r) => r.ok, () => false);

/** Whether this kernel lets us use iptables (nf_tables or legacy); dockerd needs it for internal networks. */
function iptablesWorks(): boolean {
    return run("iptables", ["-w", "-L", "-n"], { allowFail: true }).status === 0;
}

export async function startDockerHost(opts: { registryPort?: number } = {}): Promise<DockerHost> {
    if (process.getuid?.() !== 0) throw new Error("docker-host: dockerd needs root (run the engine tests as root)");
    ensurePackages();
    cleanupStale();
    fs.rmSync(HOST_ROOT, { recursive: true, force: true });
    for (const d of ["data", "exec", "registry", "images"]) fs.mkdirSync(path.join(HOST_ROOT, d), { recursive: true });
    const socket = path.join(HOST_ROOT, "docker.sock");
    const dockerHost = `unix://${socket}`;
    const env = { ...process.env, DOCKER_HOST: dockerHost, DOCKER_CONFIG: path.join(HOST_ROOT, "client") };
    const docker: DockerHost["docker"] = (args, o = {}) => run("docker", args, { env, allowFail: o.allowFail, input: o.input, timeoutMs: o.timeoutMs });

    // The private bridge for the default `bridge` network (containers with networksAdvanced start there).
    run("ip", ["link", "add", "name", BRIDGE, "type", "bridge"]);
    run("ip", ["addr", "add", BRIDGE_CIDR, "dev", BRIDGE]);
    run("ip", ["link", "set", BRIDGE, "up"]);

    const iptables = iptablesWorks();
    if (!iptables) log("iptables is not usable here: dockerd runs with --iptables=false; internal networks are NOT isolated");
    const dockerdLog = path.join(HOST_ROOT, "dockerd.log");
    const dockerd = spawn("dockerd", [
        "--host", dockerHost, "--data-root", path.join(HOST_ROOT, "data"), "--exec-root", path.join(HOST_ROOT, "exec"),
        "--pidfile", path.join(HOST_ROOT, "dockerd.pid"), "--bridge", BRIDGE, "--default-address-pool", ADDRESS_POOL,
        `--iptables=${iptables}`, "--storage-driver", "overlay2", "--log-level", "warn",
    ], { detached: true, stdio: ["ignore", fs.openSync(dockerdLog, "a"), fs.openSync(dockerdLog, "a")] });
    dockerd.unref();

    const registryPort = await freePort(opts.registryPort ?? 5000);
    const registryConfig = path.join(HOST_ROOT, "registry.yml");
    fs.writeFileSync(registryConfig, yaml.dump({
        version: 0.1, log: { level: "warn" },
        storage: { filesystem: { rootdirectory: path.join(HOST_ROOT, "registry") }, delete: { enabled: true } },
        http: { addr: `127.0.0.1:${registryPort}` },
    }));
    const registryLog = path.join(HOST_ROOT, "registry.log");
    const registry = spawn("docker-registry", ["serve", registryConfig], {
        detached: true, stdio: ["ignore", fs.openSync(registryLog, "a"), fs.openSync(registryLog, "a")],
    });
    registry.unref();
    const partial = { root: HOST_ROOT, socket, dockerHost, dockerdPid: dockerd.pid!, registryPid: registry.pid!, registryPort, registry: `localhost:${registryPort}`, iptables };
    fs.writeFileSync(STATE_FILE, JSON.stringify(partial, null, 2));

    const stop = () => stopHost(partial, docker);
    try {
        await waitFor("dockerd answering on its socket", () => docker(["version", "--format", "{{.Server.Version}}"], { allowFail: true }).status === 0, 60_000, dockerdLog);
        await waitFor(`the registry answering on 127.0.0.1:${registryPort}`, () => httpOk(`http://127.0.0.1:${registryPort}/v2/`), 30_000, registryLog);
        const serverVersion = docker(["version", "--format", "{{.Server.Version}}"]).stdout;
        const images = {} as Record<StandInName, StandInImage>;
        for (const [which, mirror] of Object.entries(mirrorNames()) as [StandInName, { repository: string; tag: string }][]) {
            images[which] = buildAndPush(docker, which, `${partial.registry}/${mirror.repository}`, mirror.tag);
        }
        const state: DockerHostState = { ...partial, serverVersion, images };
        fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
        log(`Docker ${serverVersion} on ${dockerHost} (iptables ${iptables}), registry ${partial.registry}`);
        return { ...state, docker, stop };
    } catch (e) {
        stop();
        throw e;
    }
}

/** The dev stack's mirror repositories and tags (`airlock:images` in Pulumi.dev.yaml), without the registry host. */
export function mirrorNames(): Record<StandInName, { repository: string; tag: string }> {
    const dev = yaml.load(fs.readFileSync(path.resolve(__dirname, "../../../Pulumi.dev.yaml"), "utf8")) as { config: Record<string, any> };
    const images = dev.config["airlock:images"] as Record<StandInName, { registry: string; tag: string }>;
    const out = {} as Record<StandInName, { repository: string; tag: string }>;
    for (const which of Object.keys(STAND_INS) as StandInName[]) {
        const img = images[which];
        if (!img) throw new Error(`Pulumi.dev.yaml has no airlock:images.${which}`);
        out[which] = { repository: img.registry.replace(/^[^/]+\//, ""), tag: img.tag };
    }
    return out;
}

function buildAndPush(docker: DockerHost["docker"], which: StandInName, repository: string, tag: string): StandInImage {
    const rootfs = path.join(HOST_ROOT, "images", which);
    writeStandInRootfs(rootfs, which);
    const tar = execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", rootfs, "-c", "."], { maxBuffer: 64 << 20 });
    const local = `${repository}:${tag}`;
    const r = spawnSync("docker", ["import",
        "--change", "ENV PATH=/usr/local/bin:/bin", "--change", `LABEL ${STAND_IN_LABEL}=true`,
        "--change", `LABEL org.opencontainers.image.description="${STAND_INS[which].description}"`,
        "--change", 'CMD ["sh"]', "-", local], { input: tar, env: { ...process.env, DOCKER_HOST: `unix://${path.join(HOST_ROOT, "docker.sock")}` }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`docker-host: docker import of the ${which} stand-in failed: ${r.stderr}`);
    const pushed = docker(["push", local], { timeoutMs: 120_000 }).stdout;
    const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
    if (!digest) throw new Error(`docker-host: no digest in the output of docker push ${local}:\n${pushed}`);
    return { repository, tag, digest, ref: `${repository}:${tag}@${digest}` };
}

function stopHost(s: Pick<DockerHostState, "dockerdPid" | "registryPid">, docker: DockerHost["docker"]): void {
    if (alive(s.dockerdPid)) {
        const ids = docker(["ps", "-aq"], { allowFail: true }).stdout.split("\n").filter(Boolean);
        if (ids.length > 0) docker(["rm", "-f", ...ids], { allowFail: true, timeoutMs: 60_000 });
        // dockerd removes a network's iptables rules when the network goes, not when it stops.
        docker(["network", "prune", "-f"], { allowFail: true });
        docker(["volume", "prune", "-f"], { allowFail: true });
    }
    stopPid(s.dockerdPid, HOST_ROOT, 45_000);
    stopPid(s.registryPid, HOST_ROOT);
    cleanupStale();
    log("stopped");
}

/** Stops the host recorded in the state file (for the manual `stop` and for crashed runs). */
export function stopRecordedHost(): void {
    const s = readState();
    if (!s?.dockerdPid || !s.registryPid) { cleanupStale(); return; }
    const env = { ...process.env, DOCKER_HOST: `unix://${path.join(HOST_ROOT, "docker.sock")}` };
    stopHost({ dockerdPid: s.dockerdPid, registryPid: s.registryPid }, (args, o = {}) => run("docker", args, { env, allowFail: o.allowFail, timeoutMs: o.timeoutMs }));
}

/** The recorded state of a running host (the vitest global setup writes it; test files read it). */
export function runningHost(): DockerHost {
    const s = readState() as DockerHostState | undefined;
    if (!s?.images || !alive(s.dockerdPid)) throw new Error(`docker-host: no running Docker host recorded in ${STATE_FILE}`);
    const env = { ...process.env, DOCKER_HOST: s.dockerHost, DOCKER_CONFIG: path.join(HOST_ROOT, "client") };
    const docker: DockerHost["docker"] = (args, o = {}) => run("docker", args, { env, allowFail: o.allowFail, input: o.input, timeoutMs: o.timeoutMs });
    return { ...s, docker, stop: () => stopHost(s, docker) };
}

/**
 * A stack file for the dev stack with the stand-in images (their real digests in the local registry), this host as
 * `docker:host`, `gpus` set to 0 everywhere (no GPU here: a device request for one cannot be met), CPU limits capped
 * at this machine's cores (Docker refuses NanoCPUs above them), and the gateway on `gatewayPort` (8080 may be taken
 * on a shared machine). Everything else is Pulumi.dev.yaml's, `overrides` (deep-merged) aside. Returns the YAML text.
 */
export function standInStackFile(host: DockerHostState, opts: { gpus?: number; gatewayPort?: number; models?: Record<string, { revision: string }> } = {}): string {
    const dev = yaml.load(fs.readFileSync(path.resolve(__dirname, "../../../Pulumi.dev.yaml"), "utf8")) as { config: Record<string, any> };
    const config = structuredClone(dev.config);
    config["docker:host"] = host.dockerHost;
    for (const [which, img] of Object.entries(host.images)) {
        config["airlock:images"][which] = { registry: img.repository, tag: img.tag, digest: img.digest };
    }
    const gpus = opts.gpus ?? 0;
    const cores = os.cpus().length;
    for (const s of config["airlock:inferenceServers"] ?? []) { s.gpus = gpus; s.resources.cpus = Math.min(s.resources.cpus, cores); }
    for (const j of config["airlock:trainingJobs"] ?? []) { j.limits.gpus = gpus; j.limits.cpus = Math.min(j.limits.cpus, cores); }
    if (opts.gatewayPort !== undefined && config["airlock:gateway"]) config["airlock:gateway"].port = opts.gatewayPort;
    for (const m of config["airlock:models"] ?? []) if (opts.models?.[m.name]) m.revision = opts.models[m.name]!.revision;
    return `# GENERATED by tests/engine/support/docker-host.ts: the dev stack with STAND-IN images (BusyBox stand-ins for\n` +
        `# vLLM/axolotl, Debian's nginx+njs for the gateway) pushed to the test registry ${host.registry}, docker:host = the test\n` +
        `# engine, gpus = ${gpus} (no GPU on this machine), cpus capped at ${cores}.\n` +
        yaml.dump({ config }, { lineWidth: 200 });
}

/** A TCP port free on 127.0.0.1 now. */
export async function freeLocalPort(): Promise<number> {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise((r) => srv.close(r));
    return port;
}

if (require.main === module) {
    const cmd = process.argv[2];
    if (cmd === "start") {
        startDockerHost().then((h) => {
            process.stdout.write(`export DOCKER_HOST=${h.dockerHost}\n`);
            for (const [k, v] of Object.entries(h.images)) process.stdout.write(`# ${k}: ${v.ref}\n`);
        }, (e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
    } else if (cmd === "stop") {
        stopRecordedHost();
    } else if (cmd === "stack-file") {
        process.stdout.write(standInStackFile(runningHost()));
    } else {
        process.stderr.write(`usage: npx tsx ${path.relative(process.cwd(), __filename)} start|stop|stack-file\n(${os.hostname()})\n`);
        process.exitCode = 2;
    }
}
