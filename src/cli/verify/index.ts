/**
 * `airlock verify`: proves a live Docker deployment is sealed. It reads the stack's containers and networks from the
 * Docker host (the Engine API, as `docker inspect` reports them), checks each against the baseline, probes from
 * inside the containers (a canary outside the enclave must be unreachable, the host's own listeners are reported,
 * a vLLM server must answer `/health`, and `/v1/models` only with its API key), reports containers on the enclave's
 * networks that the stack did not create, and runs the same policy pack that guards previews over what it found.
 * Exit 0 when every check passes, 1 on a failed check, 2 when the host cannot be reached or the input is bad.
 */
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import { VLLM_API_KEY_ENV, envLookup, readVllmOptions, vllmFlagValues } from "@airlock/baseline";
import { ensurePackBuilt } from "../../../policies/build";
import { tokensOf } from "../../../policies/lib/argv";
import { parseEnvs } from "../../../policies/lib/env";
import { startAnalyzer } from "../analyzer";
import type { Violation } from "../render";
import type { RecordedResource } from "../run-program";
import { PlanInputError, readProjectFile, readStackConfig } from "../project";
import { type CheckResult, type ContainerChecks, staticChecks } from "./checks";
import { Engine } from "./engine";
import { type ContainerInspect, type NetworkInspect, nameOf, networksOf } from "./inspect";
import { probeConnect, probeHttp } from "./probes";
import { containerInputs, networkInputs, volumeInputs } from "./to-inputs";

const { Struct } = Module.createRequire(require.resolve("@pulumi/pulumi/package.json"))("google-protobuf/google/protobuf/struct_pb") as
    typeof import("google-protobuf/google/protobuf/struct_pb");

/** Ports probed on the host's address of each network (the host's own listeners, moby issue 47481). */
export const DEFAULT_HOST_PORTS: readonly number[] = [22, 53, 80, 443, 2375, 2376, 5000, 8080, 11434];

export interface VerifyOptions {
    readonly stack: string;
    /** `unix://…`, `tcp://…`, `ssh://…`; default: DOCKER_HOST, else the stack's `docker:host`, else the local socket. */
    readonly dockerHost?: string;
    /** An address outside the enclave that answers TCP (`host:port`): no sealed container may reach it. */
    readonly canary?: { readonly host: string; readonly port: number };
    readonly hostPorts: readonly number[];
    readonly allowedBindIps: readonly string[];
    /** Run the policy pack over the live state. */
    readonly policy: boolean;
    readonly policyPack?: string;
    readonly policyConfig?: string;
    /** Progress lines (stderr). */
    readonly progress?: (line: string) => void;
}

export interface VerifiedContainer extends Omit<ContainerChecks, "workload"> {
    readonly checks: CheckResult[];
}

export interface VerifyReport {
    readonly stack: string;
    readonly dockerHost: string;
    readonly containers: VerifiedContainer[];
    /** Containers on the enclave's networks that the stack did not create. */
    readonly drift: { readonly container: string; readonly networks: string[] }[];
    readonly violations: Violation[];
    readonly summary: { readonly passed: number; readonly failed: number; readonly skipped: number; readonly violations: number };
}

const result = (check: string, expected: string, seen: string, pass: boolean, fix?: string): CheckResult =>
    ({ check, expected, seen, pass, ...(pass || !fix ? {} : { fix }) });

function dockerHostOf(o: VerifyOptions, root: string): string {
    if (o.dockerHost) return o.dockerHost;
    if (process.env.DOCKER_HOST) return process.env.DOCKER_HOST;
    const project = readProjectFile(root);
    if (project && fs.existsSync(path.join(project.dir, `Pulumi.${o.stack}.yaml`))) {
        const host = readStackConfig(project, o.stack, true).config["docker:host"];
        if (host) return host;
    }
    return "unix:///var/run/docker.sock";
}

/** JSON-clean: no `undefined` anywhere (protobuf's Struct has no such value; Pulumi drops unset inputs). */
function clean(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, clean(x)]));
    }
    return v;
}

/** The resource the pack is given for a live object. */
function recorded(stack: string, type: string, name: string, raw: Record<string, unknown>, secretOutputs: string[] = []): RecordedResource {
    const inputs = clean(raw) as Record<string, unknown>;
    const properties = Struct.fromJavaScript(inputs as never);
    return {
        urn: `urn:pulumi:${stack}::airlock::${type}::${name}`, type, name, custom: true, inputs, properties,
        propertiesBytes: properties.serializeBinary(), dependencies: [], propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: secretOutputs, aliases: [] },
    };
}

/** The live probes of one running container. */
async function probes(engine: Engine, c: ContainerInspect, checks: ContainerChecks, networks: ReadonlyMap<string, NetworkInspect>, o: VerifyOptions): Promise<CheckResult[]> {
    const out: CheckResult[] = [];
    const w = checks.workload;
    const sealed = w.role !== "model-staging" && w.role !== "gateway";
    const name = nameOf(c);
    if (sealed && o.canary) {
        const reach = await probeConnect(engine, c.Id, o.canary.host, o.canary.port);
        out.push(result(`canary ${o.canary.host}:${o.canary.port}`, "unreachable", reach, reach === "blocked" || reach === "timed-out",
            reach === "no-tool" ? "the image has neither python3 nor nc to probe with" : "attach the container only to internal networks"));
    }
    if (sealed) {
        // The host's address on each network: an internal network has no route out, but the host itself is on it.
        for (const net of networksOf(c)) {
            const gw = networks.get(net)?.IPAM?.Config?.find((x) => x.Gateway)?.Gateway ?? c.NetworkSettings?.Networks?.[net]?.Gateway;
            if (!gw) continue;
            const open: number[] = [];
            const reaches = await Promise.all(o.hostPorts.map(async (port) => [port, await probeConnect(engine, c.Id, gw, port, 2)] as const));
            for (const [port, reach] of reaches) if (reach === "reached") open.push(port);
            out.push(result(`host ${gw} (${net})`, `no listener reachable on ports ${o.hostPorts.join(", ")}`, open.length === 0 ? "none answers" : `answers on ${open.join(", ")}`,
                open.length === 0, `bind the host's service on ${open.join(", ")} to 127.0.0.1 (or firewall the ${net} bridge): an internal network still reaches its host (moby issue 47481)`));
        }
    }
    if (w.vllmServer) {
        const options = readVllmOptions(tokensOf([...(c.Config.Entrypoint ?? []), ...(c.Config.Cmd ?? [])]));
        const port = Number(vllmFlagValues(options, "--port")[0] ?? 8000) || 8000;
        const served = vllmFlagValues(options, "--served-model-name")[0];
        const base = `http://${name}:${port}`;
        const health = await probeHttp(engine, c.Id, `${base}/health`);
        out.push(result("GET /health", "200 on the internal network", health.status ? String(health.status) : health.error ?? "no answer", health.status === 200,
            "check the server's logs (docker logs)"));
        const key = envLookup(parseEnvs(c.Config.Env ?? []))(VLLM_API_KEY_ENV);
        if (key) {
            const withKey = await probeHttp(engine, c.Id, `${base}/v1/models`, { apiKey: key });
            const names = served ? withKey.body.includes(`"${served}"`) : true;
            out.push(result("GET /v1/models with the API key", `200${served ? ` naming ${served}` : ""}`,
                withKey.status ? `${withKey.status}${served && withKey.status === 200 ? (names ? ` naming ${served}` : ` without ${served}`) : ""}` : withKey.error ?? "no answer",
                withKey.status === 200 && names, "check the server's --served-model-name and logs"));
        }
        const without = await probeHttp(engine, c.Id, `${base}/v1/models`);
        out.push(result("GET /v1/models without a key", "401", without.status ? String(without.status) : without.error ?? "no answer", without.status === 401,
            `set ${VLLM_API_KEY_ENV} from a Pulumi secret: the server answers without authentication`));
    }
    return out;
}

export async function verify(o: VerifyOptions, root: string): Promise<VerifyReport> {
    const progress = o.progress ?? (() => undefined);
    const address = dockerHostOf(o, root);
    progress(`connecting to ${address}`);
    const engine = await Engine.connect(address);
    const containers = await engine.containers({ label: [`airlock.dev/stack=${o.stack}`] });
    if (containers.length === 0) {
        throw new PlanInputError(`no container labelled airlock.dev/stack=${o.stack} on ${address}: is the stack deployed there (pulumi up -s ${o.stack})?`);
    }
    const networks = await engine.networks();
    const report: VerifiedContainer[] = [];
    for (const c of containers) {
        progress(`checking ${nameOf(c)}`);
        const checks = staticChecks(c, networks, { allowedBindIps: o.allowedBindIps });
        const running = c.State?.Running === true;
        const oneShot = checks.workload.role === "model-staging" || checks.workload.role === "volume-init";
        const state = oneShot
            ? result("state", "ran to completion (exit 0)", running ? "still running" : `exited ${c.State?.ExitCode}`, !running && c.State?.ExitCode === 0,
                `inspect it with docker logs ${nameOf(c)}`)
            : result("state", checks.workload.role === "training" ? "running or exited 0" : "running",
                running ? "running" : `${c.State?.Status ?? "stopped"} (exit ${c.State?.ExitCode})`,
                running || (checks.workload.role === "training" && c.State?.ExitCode === 0), `inspect it with docker logs ${nameOf(c)}`);
        const live = running ? await probes(engine, c, checks, networks, o) : [];
        report.push({ name: checks.name, role: checks.role, checks: [state, ...checks.checks, ...live] });
    }

    // Drift: who else is on the enclave's networks.
    const ours = new Set(containers.map((c) => c.Id));
    const enclaveNets = new Set(containers.flatMap(networksOf));
    const everyone = await engine.containers();
    const drift = everyone.filter((c) => !ours.has(c.Id)).map((c) => ({ container: nameOf(c), networks: networksOf(c).filter((n) => enclaveNets.has(n)) }))
        .filter((d) => d.networks.length > 0);

    // The pack, over what runs.
    let violations: Violation[] = [];
    if (o.policy) {
        progress("running the policy pack over the live state");
        const packDir = path.resolve(o.policyPack ?? path.join(root, "policies"));
        if (fs.existsSync(path.join(packDir, "build.ts")) && fs.existsSync(path.join(packDir, "loader.js"))) await ensurePackBuilt(packDir);
        const defaultConfig = path.join(root, "policies", "config", `${o.stack}.json`);
        const configFile = o.policyConfig ?? (fs.existsSync(defaultConfig) ? defaultConfig : undefined);
        const resources: RecordedResource[] = [];
        for (const n of networks.values()) {
            if (enclaveNets.has(n.Name)) resources.push(recorded(o.stack, "docker:index/network:Network", n.Name, networkInputs(n)));
        }
        const volumeNames = new Set(containers.flatMap((c) => (c.Mounts ?? []).filter((m) => m.Type === "volume" && m.Name).map((m) => m.Name!)));
        for (const v of volumeNames) {
            const inspected = await engine.volume(v);
            if (inspected) resources.push(recorded(o.stack, "docker:index/volume:Volume", v, volumeInputs(inspected)));
        }
        // Live state is not Pulumi state: an env entry is not "stored in plaintext in the state" here.
        const host = { cgroupVersion: await engine.cgroupVersion() };
        for (const c of containers) resources.push(recorded(o.stack, "docker:index/container:Container", nameOf(c), containerInputs(c, host), ["envs"]));
        const session = await startAnalyzer({ packDir, configFile, project: "airlock", stack: o.stack, config: {} });
        for (const r of resources) session.analyze(r);
        violations = (await session.finish(resources)).violations;
    }

    const all = report.flatMap((c) => c.checks);
    const failed = all.filter((c) => !c.pass).length + drift.length + violations.filter((v) => v.enforcementLevel === "mandatory").length;
    return {
        stack: o.stack, dockerHost: address, containers: report, drift, violations,
        summary: { passed: all.filter((c) => c.pass).length, failed, skipped: 0, violations: violations.length },
    };
}

/** The report as a table per container. */
export function verifyText(r: VerifyReport): string {
    const lines = [`Airlock verify: stack ${r.stack} on ${r.dockerHost} (${r.containers.length} containers)`, ""];
    for (const c of r.containers) {
        lines.push(`${c.name} (${c.role})`);
        const w = Math.max(...c.checks.map((x) => x.check.length));
        for (const x of c.checks) {
            lines.push(`  ${x.pass ? "PASS" : "FAIL"}  ${x.check.padEnd(w)}  expected: ${x.expected}  seen: ${x.seen}${x.fix ? `  fix: ${x.fix}` : ""}`);
        }
        lines.push("");
    }
    if (r.drift.length > 0) {
        lines.push("Drift: containers on the enclave's networks that the stack did not create");
        for (const d of r.drift) lines.push(`  FAIL  ${d.container} on ${d.networks.join(", ")}  fix: remove it (docker rm -f ${d.container}) or add it to the program`);
        lines.push("");
    }
    if (r.violations.length > 0) {
        lines.push("Policy violations of the live state:");
        for (const v of r.violations) lines.push(`  ${v.enforcementLevel === "mandatory" ? "FAIL" : "WARN"}  [${v.policy}] ${v.urn.split("::").pop()}: ${v.message}`);
        lines.push("");
    }
    lines.push(`Result: ${r.summary.failed} failed, ${r.summary.passed} passed${r.violations.length ? `, ${r.violations.length} policy violation(s)` : ""}`);
    return lines.join("\n");
}
