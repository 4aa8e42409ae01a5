/**
 * `airlock verify` against a real Docker engine (the engine tests' private host): a sealed deployment built with the
 * settings Airlock's components use — an internal serving network, a one-shot download on an egress network, a
 * vLLM STAND-IN that checks its API key (tests/engine/support/keyed-vllm) — passes; then each way of breaking it is
 * caught, one at a time, naming the container, the check and the fix: a container on a non-internal network, a
 * missing offline flag, a port published on 0.0.0.0, a writable model volume, a container started by hand on the
 * enclave network, a server that answers without its API key. A canary on a network outside the enclave answers its
 * own network and must stay unreachable from the sealed containers; a listener on the host's 0.0.0.0 is reported.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerHost, runningHost } from "./support/docker-host";
import { ROOT } from "./support/engine";
import { keyedVllmStandIn } from "./support/keyed-stand-in";

const STACK = "verify-test";
const SERVING = "verify-serving";
const EGRESS = "verify-egress";
const OUTSIDE = "verify-outside";
const VOLUME = "verify-model";
const MODEL = "/models/Qwen--Qwen3-4B-Instruct-2507";
const REVISION = "cdbee75f17c01a7cc42f958dc650907174af0554";
const OFFLINE = ["HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "HF_DATASETS_OFFLINE=1"];
const TELEMETRY = ["HF_HUB_DISABLE_TELEMETRY=1", "VLLM_NO_USAGE_STATS=1", "DO_NOT_TRACK=1"];
const KEY = randomBytes(16).toString("hex");

let host: DockerHost;
let image: string;
let canary: string;

/** The sandbox flags every Airlock container gets (components/docker/sandbox.ts). */
const sandbox = (user: string) => ["--user", user, "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
    "--memory", "256m", "--memory-swap", "256m", "--cpus", "0.5", "--tmpfs", "/tmp:rw,noexec,nosuid,nodev,size=64m", "--tmpfs", "/cache:rw,nosuid,nodev,size=64m"];
const envs = (list: string[]) => list.flatMap((e) => ["--env", e]);
const labels = (role: string) => ["--label", `airlock.dev/role=${role}`, "--label", `airlock.dev/stack=${STACK}`];

/** Starts the sealed server (or a broken variant of it): args are inserted before the image. */
function startServer(name: string, o: { network?: string; env?: string[]; extra?: string[]; readOnlyModel?: boolean } = {}): void {
    host.docker(["run", "-d", "--name", name, "--network", o.network ?? SERVING, ...sandbox("1000:1000"), ...labels("inference"),
        ...envs(o.env ?? [...OFFLINE, ...TELEMETRY, `VLLM_API_KEY=${KEY}`]),
        "-v", `${VOLUME}:${MODEL}${o.readOnlyModel === false ? "" : ":ro"}`, ...(o.extra ?? []),
        "--entrypoint", "vllm", image, "serve", MODEL, "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000"]);
    // Until it answers (the probes need it up).
    for (let i = 0; i < 50; i++) {
        if (host.docker(["exec", name, "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8000/health"], { allowFail: true }).status === 0) return;
        spawnSync("sleep", ["0.2"]);
    }
    throw new Error(`${name} did not answer /health: ${host.docker(["logs", name], { allowFail: true }).stderr}`);
}

interface Report {
    containers: { name: string; role: string; checks: { check: string; pass: boolean; seen: string; fix?: string }[] }[];
    drift: { container: string; networks: string[] }[];
    violations: { policy: string; urn: string; enforcementLevel: string; message: string }[];
    summary: { failed: number; passed: number };
}
function verify(extra: string[] = []): { status: number; report?: Report; stderr: string; stdout: string } {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), "verify", "--stack", STACK, "--docker-host", host.dockerHost,
        "--canary", canary, "--policy-config", path.join(ROOT, "policies/config/dev.json"), "--format", "json", ...extra],
    { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
    let report: Report | undefined;
    try { report = JSON.parse(r.stdout) as Report; } catch { /* not JSON: the test shows stdout */ }
    return { status: r.status ?? -1, report, stderr: r.stderr, stdout: r.stdout };
}
const failures = (r: Report) => r.containers.flatMap((c) => c.checks.filter((x) => !x.pass).map((x) => `${c.name}: ${x.check} (${x.seen})`));

beforeAll(() => {
    host = runningHost();
    image = keyedVllmStandIn(host);
    host.docker(["network", "create", "--internal", "--label", `airlock.dev/stack=${STACK}`, SERVING]);
    host.docker(["network", "create", "--label", `airlock.dev/stack=${STACK}`, EGRESS]);
    host.docker(["network", "create", OUTSIDE]);
    host.docker(["volume", "create", VOLUME]);
    // Phase 1: the one-shot download (the stand-in `hf` writes placeholder files), root without capabilities.
    host.docker(["run", "--name", "verify-stage", "--network", EGRESS, ...sandbox("0:0"), ...labels("model-staging"), ...envs(TELEMETRY),
        "-v", `${VOLUME}:${MODEL}`, "--entrypoint", "hf", image, "download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", REVISION, "--local-dir", MODEL]);
    startServer("verify-qwen-0");
    // A canary outside the enclave: it answers on its own network.
    host.docker(["run", "-d", "--name", "verify-canary", "--network", OUTSIDE, image, "httpd", "-f", "-p", "0.0.0.0:8080", "-h", "/tmp"]);
    const ip = host.docker(["inspect", "-f", `{{(index .NetworkSettings.Networks "${OUTSIDE}").IPAddress}}`, "verify-canary"]).stdout;
    canary = `${ip}:8080`;
}, 600_000);

afterAll(() => {
    if (!host) return;
    const ids = host.docker(["ps", "-aq", "--filter", "name=verify-"], { allowFail: true }).stdout.split("\n").filter(Boolean);
    if (ids.length) host.docker(["rm", "-f", ...ids], { allowFail: true });
    for (const n of [SERVING, EGRESS, OUTSIDE]) host.docker(["network", "rm", n], { allowFail: true });
    host.docker(["volume", "rm", VOLUME], { allowFail: true });
});

describe("airlock verify on a real Docker engine", () => {
    it("the canary answers a client on its own network (so an unreachable canary means something)", () => {
        const r = host.docker(["run", "--rm", "--network", OUTSIDE, image, "wget", "-q", "-O", "/dev/null", `http://${canary}/`], { allowFail: true });
        // httpd answers 404 for / (an answer: the connection was made); wget exits 1 with "server returned error".
        expect(r.stderr + r.stdout).toMatch(/404|server returned error/);
    });

    it("passes a sealed deployment: every static check, every probe, no drift, no policy violation", () => {
        const r = verify();
        expect(r.report, r.stderr + r.stdout).toBeDefined();
        expect(failures(r.report!)).toEqual([]);
        expect(r.report!.drift).toEqual([]);
        expect(r.report!.violations).toEqual([]);
        expect(r.status, r.stderr).toBe(0);
        const server = r.report!.containers.find((c) => c.name === "verify-qwen-0")!;
        expect(server.role).toBe("vLLM server");
        expect(server.checks.map((c) => c.check)).toEqual(expect.arrayContaining([
            `canary ${canary}`, "GET /health", "GET /v1/models with the API key", "GET /v1/models without a key"]));
        expect(server.checks.find((c) => c.check === `canary ${canary}`)!.seen).toMatch(/blocked|timed-out/);
        expect(r.report!.containers.find((c) => c.name === "verify-stage")!.checks.find((c) => c.check === "state")!.seen).toBe("exited 0");
        // The key itself appears nowhere in the report.
        expect(r.stdout).not.toContain(KEY);
    });

    it.each<[string, () => void, string]>([
        ["a container on a non-internal network", () => startServer("verify-broken", { network: EGRESS }), "verify-broken: networks (verify-egress (routed))"],
        ["a missing offline flag", () => startServer("verify-broken", { env: [...OFFLINE.slice(1), ...TELEMETRY, `VLLM_API_KEY=${KEY}`] }),
            "verify-broken: env HF_HUB_OFFLINE (HF_HUB_OFFLINE is not set)"],
        ["a port published on 0.0.0.0", () => startServer("verify-broken", { network: EGRESS, extra: ["-p", "0.0.0.0:18000:8000"] }),
            "verify-broken: published ports (0.0.0.0 → 8000/tcp)"],
        ["a writable model volume", () => startServer("verify-broken", { readOnlyModel: false }), `verify-broken: mount ${MODEL} (read-write)`],
        ["a server that answers without its API key", () => startServer("verify-broken", { env: [...OFFLINE, ...TELEMETRY, `VLLM_API_KEY=${KEY}`, "AIRLOCK_STAND_IN_IGNORE_KEY=1"] }),
            "verify-broken: GET /v1/models without a key (200)"],
    ])("catches %s", (_t, breakIt, expected) => {
        breakIt();
        try {
            const r = verify();
            expect(r.status, r.stderr).toBe(1);
            expect(failures(r.report!)).toContain(expected);
            const failed = r.report!.containers.flatMap((c) => c.checks).filter((c) => !c.pass);
            expect(failed.every((c) => c.fix !== undefined && c.fix.length > 0)).toBe(true);
        } finally {
            host.docker(["rm", "-f", "verify-broken"], { allowFail: true });
        }
    });

    it("reports a container started by hand on the enclave network (drift)", () => {
        host.docker(["run", "-d", "--name", "verify-handmade", "--network", SERVING, image, "sleep", "3600"]);
        try {
            const r = verify();
            expect(r.status).toBe(1);
            expect(r.report!.drift).toEqual([{ container: "verify-handmade", networks: [SERVING] }]);
        } finally {
            host.docker(["rm", "-f", "verify-handmade"], { allowFail: true });
        }
    });

    it("probes the host's own listeners from the sealed containers (moby 47481): on this engine an internal network does not reach them", async () => {
        const server = net.createServer((sock) => sock.end("hello\n"));
        await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
        const port = (server.address() as net.AddressInfo).port;
        try {
            // Control: from a routed network, the same listener answers through that network's gateway address.
            const gw = host.docker(["network", "inspect", "-f", "{{(index .IPAM.Config 0).Gateway}}", OUTSIDE]).stdout;
            expect(host.docker(["exec", "verify-canary", "nc", "-w", "2", gw, String(port)], { allowFail: true, input: "" }).status).toBe(0);
            const r = verify(["--host-ports", String(port)]);
            const hostChecks = r.report!.containers.find((c) => c.name === "verify-qwen-0")!.checks.filter((c) => c.check.startsWith("host "));
            expect(hostChecks.map((c) => [c.pass, c.seen])).toEqual([[true, "none answers"]]);
            expect(r.status, r.stderr).toBe(0);
        } finally {
            server.close();
        }
    });

    it("exits 2 with a clear message when the Docker host cannot be reached", () => {
        const r = spawnSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), "verify", "--stack", STACK, "--docker-host", "unix:///nonexistent/docker.sock"],
            { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
        expect(r.status).toBe(2);
        expect(r.stderr).toContain("cannot reach the Docker host unix:///nonexistent/docker.sock");
    });
});
