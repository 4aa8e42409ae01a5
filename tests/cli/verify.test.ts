/**
 * `airlock verify`, the parts that need no Docker engine: live containers as the provider's inputs, the static checks
 * over inspect documents shaped as the Engine API returns them, the arguments and the report. The live run (probes,
 * drift, the pack over the live state) is tests/engine/verify.test.ts, against a real engine.
 */
import { describe, expect, it } from "vitest";
import { staticChecks } from "../../src/cli/verify/checks";
import { parseVerifyArgs } from "../../src/cli/verify/cli";
import { type VerifyReport, verifyText } from "../../src/cli/verify/index";
import type { ContainerInspect, NetworkInspect } from "../../src/cli/verify/inspect";
import { containerInputs } from "../../src/cli/verify/to-inputs";

const MODEL = "/models/Qwen--Qwen3-4B-Instruct-2507";
const IMAGE = `localhost:5000/mirror/vllm/vllm-openai:v0.11.0@sha256:${"a".repeat(64)}`;
const OFFLINE = ["HF_HUB_OFFLINE=1", "TRANSFORMERS_OFFLINE=1", "HF_DATASETS_OFFLINE=1", "HF_HUB_DISABLE_TELEMETRY=1", "VLLM_NO_USAGE_STATS=1", "DO_NOT_TRACK=1"];

/** A sealed vLLM server as `docker inspect` reports it. */
function server(): ContainerInspect {
    return {
        Id: "c0ffee", Name: "/airlock-dev-qwen-0", State: { Running: true, Status: "running", ExitCode: 0 }, AppArmorProfile: "docker-default",
        Config: {
            Image: IMAGE, User: "1000:1000", Env: [...OFFLINE, "VLLM_API_KEY=k", "PATH=/usr/bin"], Entrypoint: ["vllm", "serve"],
            Cmd: [MODEL, "--served-model-name", "qwen3-4b", "--port", "8000"], Labels: { "airlock.dev/role": "inference", "airlock.dev/stack": "dev" },
        },
        HostConfig: {
            NetworkMode: "airlock-dev-serving", Privileged: false, ReadonlyRootfs: true, CapAdd: null, CapDrop: ["ALL"],
            SecurityOpt: ["no-new-privileges:true"], Memory: 24576 * 1024 * 1024, MemorySwap: 24576 * 1024 * 1024, NanoCpus: 4e9,
            PortBindings: {}, PublishAllPorts: false, Tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=1g" }, LogConfig: { Type: "json-file", Config: {} },
            RestartPolicy: { Name: "on-failure", MaximumRetryCount: 3 }, ShmSize: 4096 * 1024 * 1024,
            DeviceRequests: [{ Driver: "nvidia", Count: 1, Capabilities: [["gpu"]] }],
        },
        Mounts: [{ Type: "volume", Name: "airlock-dev-model-qwen3-4b", Source: "/var/lib/docker/volumes/x/_data", Destination: MODEL, RW: false, Driver: "local" }],
        NetworkSettings: { Networks: { "airlock-dev-serving": { NetworkID: "n1", IPAddress: "172.31.128.2", Gateway: "" } } },
    };
}
const networks = new Map<string, NetworkInspect>([
    ["airlock-dev-serving", { Id: "n1", Name: "airlock-dev-serving", Internal: true, IPAM: { Config: [{ Subnet: "172.31.128.0/24", Gateway: "172.31.128.1" }] } }],
    ["airlock-dev-staging", { Id: "n2", Name: "airlock-dev-staging", Internal: false, IPAM: { Config: [{ Subnet: "172.31.129.0/24", Gateway: "172.31.129.1" }] } }],
]);
const failed = (c: ContainerInspect) => staticChecks(c, networks).checks.filter((x) => !x.pass).map((x) => `${x.check}: ${x.seen}`);
/** A mutable copy to break one thing in (inspect documents are read-only in the code under test). */
type Editable = any;
const edit = (f: (c: Editable) => void): ContainerInspect => {
    const c = structuredClone(server()) as Editable;
    f(c);
    return c;
};

describe("a live container as the Docker provider's inputs", () => {
    it("maps the inspect document to Container inputs (units as the provider's: MiB, cpus as a string)", () => {
        expect(containerInputs(server())).toEqual({
            name: "airlock-dev-qwen-0", image: IMAGE, networkMode: "airlock-dev-serving",
            entrypoints: ["vllm", "serve"], command: [MODEL, "--served-model-name", "qwen3-4b", "--port", "8000"],
            envs: [...OFFLINE, "VLLM_API_KEY=k", "PATH=/usr/bin"], user: "1000:1000",
            labels: [{ label: "airlock.dev/role", value: "inference" }, { label: "airlock.dev/stack", value: "dev" }],
            publishAllPorts: false, privileged: false, readOnly: true, capabilities: { drops: ["ALL"] }, securityOpts: ["no-new-privileges:true"],
            memory: 24576, memorySwap: 24576, cpus: "4", tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=1g" },
            volumes: [{ volumeName: "airlock-dev-model-qwen3-4b", containerPath: MODEL, readOnly: true }],
            deviceRequests: [{ driver: "nvidia", count: 1, capabilities: ["gpu"] }], logDriver: "json-file", restart: "on-failure", shmSize: 4096,
        });
    });
    it("reports the networks beyond networkMode as networksAdvanced, and binds as host paths", () => {
        const c = edit((x) => {
            (x.NetworkSettings!.Networks as Record<string, object>)["airlock-dev-staging"] = { NetworkID: "n2" };
            (x.Mounts as object[]).push({ Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock", RW: true });
            x.HostConfig.PortBindings = { "8000/tcp": [{ HostIp: "", HostPort: "18000" }] };
        });
        const i = containerInputs(c);
        expect(i.networksAdvanced).toEqual([{ name: "airlock-dev-staging" }]);
        expect(i.volumes).toContainEqual({ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock", readOnly: false });
        expect(i.ports).toEqual([{ internal: 8000, external: 18000, ip: "", protocol: "tcp" }]);
    });
});

describe("static checks (what the engine reports, never what the program meant)", () => {
    it("a sealed server passes every check", () => {
        const r = staticChecks(server(), networks);
        expect(r.role).toBe("vLLM server");
        expect(r.checks.filter((x) => !x.pass)).toEqual([]);
        expect(r.checks.map((x) => x.check)).toEqual([
            "networks", "env HF_HUB_OFFLINE", "env TRANSFORMERS_OFFLINE", "env HF_DATASETS_OFFLINE", "env HF_HUB_DISABLE_TELEMETRY",
            "env VLLM_NO_USAGE_STATS", "env DO_NOT_TRACK", "published ports", "privileged", "capabilities", "no-new-privileges",
            "seccomp and LSM profiles", "read-only root", "memory and cpu limits", "user", `mount ${MODEL}`,
        ]);
    });
    it.each<[string, (c: Editable) => void, string[]]>([
        ["on a non-internal network", (c) => { (c.NetworkSettings!.Networks as Record<string, object>)["airlock-dev-staging"] = {}; },
            ["networks: airlock-dev-serving (internal), airlock-dev-staging (routed)"]],
        ["an offline flag missing", (c) => { c.Config.Env = (c.Config.Env as string[]).filter((e) => !e.startsWith("HF_HUB_OFFLINE=")); },
            ["env HF_HUB_OFFLINE: HF_HUB_OFFLINE is not set"]],
        ["a port published on 0.0.0.0", (c) => { c.HostConfig.PortBindings = { "8000/tcp": [{ HostIp: "", HostPort: "8000" }] }; },
            ["published ports: 0.0.0.0 → 8000/tcp"]],
        ["a writable model volume", (c) => { c.Mounts![0]!.RW = true; }, [`mount ${MODEL}: read-write`]],
        ["root", (c) => { c.Config.User = "0"; }, ["user: 0"]],
        ["privileged with a capability back and seccomp off", (c) => {
            c.HostConfig.Privileged = true; c.HostConfig.CapAdd = ["SYS_ADMIN"]; c.HostConfig.SecurityOpt = ["no-new-privileges:true", "seccomp=unconfined"];
        }, ["privileged: true", "capabilities: drop [ALL], add [SYS_ADMIN]", "seccomp and LSM profiles: disables the seccomp system-call filter"]],
        ["the Docker socket bound in", (c) => { c.Mounts!.push({ Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock", RW: true }); },
            ["bind /var/run/docker.sock: is a container runtime socket (docker.sock), which grants root on the host"]],
        ["no limits and a writable root", (c) => { c.HostConfig.Memory = 0; c.HostConfig.NanoCpus = 0; c.HostConfig.ReadonlyRootfs = false; },
            ["read-only root: false", "memory and cpu limits: memory unlimited, cpus unlimited"]],
    ])("fails when %s", (_t, f, expected) => {
        expect(failed(edit(f))).toEqual(expected);
    });
    it("a one-shot download may use the egress network, run as root and write its volume", () => {
        const stage = edit((c) => {
            c.Config.Labels = { "airlock.dev/role": "model-staging", "airlock.dev/stack": "dev" };
            c.Config.Entrypoint = ["hf"]; c.Config.Cmd = ["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", "0".repeat(40), "--local-dir", MODEL];
            c.Config.User = "0:0"; c.HostConfig.NetworkMode = "airlock-dev-staging"; c.HostConfig.RestartPolicy = { Name: "no" }; c.HostConfig.DeviceRequests = null;
            c.NetworkSettings = { Networks: { "airlock-dev-staging": {} } }; c.Mounts![0]!.RW = true;
            c.Config.Env = (c.Config.Env as string[]).filter((e) => !/^(HF_HUB_OFFLINE|TRANSFORMERS_OFFLINE|HF_DATASETS_OFFLINE)=/.test(e));
        });
        expect(failed(stage)).toEqual([]);
        expect(staticChecks(stage, networks).role).toBe("model-staging container");
    });
});

describe("airlock verify arguments", () => {
    it("defaults: dev stack, the pack on, 127.0.0.1 as the only bind address", () => {
        expect(parseVerifyArgs(["verify"])).toMatchObject({ stack: "dev", format: "text", policy: true, allowedBindIps: ["127.0.0.1"] });
    });
    it("parses the canary, host ports and a Docker host", () => {
        expect(parseVerifyArgs(["verify", "--canary", "172.31.129.9:8080", "--host-ports", "22,5000", "--docker-host", "unix:///tmp/d.sock", "-s", "staging"]))
            .toMatchObject({ stack: "staging", canary: { host: "172.31.129.9", port: 8080 }, hostPorts: [22, 5000], dockerHost: "unix:///tmp/d.sock" });
    });
    it.each([
        [["verify", "--canary", "nope"], "--canary must be HOST:PORT"],
        [["verify", "--host-ports", "22,x"], "--host-ports must be a comma-separated list of ports"],
        [["verify", "--format", "yaml"], "--format must be text or json"],
        [["verify", "--no-policy", "--policy-pack", "p"], "--no-policy cannot be combined"],
    ])("rejects %j", (argv, message) => { expect(() => parseVerifyArgs(argv)).toThrow(message); });
});

describe("the report", () => {
    it("is a table per container with the fix of each failed check", () => {
        const report: VerifyReport = {
            stack: "dev", dockerHost: "unix:///tmp/d.sock", drift: [{ container: "handmade", networks: ["airlock-dev-serving"] }], violations: [],
            containers: [{ name: "airlock-dev-qwen-0", role: "vLLM server", checks: [
                { check: "networks", expected: "internal networks only (or none)", seen: "airlock-dev-serving (internal)", pass: true },
                { check: "GET /v1/models without a key", expected: "401", seen: "200", pass: false, fix: "set VLLM_API_KEY from a Pulumi secret" },
            ] }],
            summary: { passed: 1, failed: 2, skipped: 0, violations: 0 },
        };
        expect(verifyText(report).split("\n")).toEqual([
            "Airlock verify: stack dev on unix:///tmp/d.sock (1 containers)",
            "",
            "airlock-dev-qwen-0 (vLLM server)",
            "  PASS  networks                      expected: internal networks only (or none)  seen: airlock-dev-serving (internal)",
            "  FAIL  GET /v1/models without a key  expected: 401  seen: 200  fix: set VLLM_API_KEY from a Pulumi secret",
            "",
            "Drift: containers on the enclave's networks that the stack did not create",
            "  FAIL  handmade on airlock-dev-serving  fix: remove it (docker rm -f handmade) or add it to the program",
            "",
            "Result: 2 failed, 1 passed",
        ]);
    });
});
