/**
 * The real Pulumi engine for the engine tests: which CLI to run, a private local backend and PULUMI_HOME, and
 * `runEngine()` (one preview/up/destroy in its own process through inline-run.ts).
 *
 * The CLI: `AIRLOCK_PULUMI=/path/to/pulumi` (one you already have), else the one scripts/engine/build.sh built
 * (`npm run engine:build`). Plugins are found on PATH (the CLI's directory first: pulumi-analyzer-policy-nodejs,
 * pulumi-resource-docker when built). Automatic plugin downloads are off: a missing plugin fails with its name
 * instead of a download attempt (this machine has no route to the plugins' release hosts).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { InlineRunRequest, InlineRunResult } from "./inline-run";

export const ROOT = path.resolve(__dirname, "../../..");
export const TEST_PASSPHRASE = "airlock-engine-tests-not-a-secret";

/** The directory of the `pulumi` binary the engine tests run. */
export function pulumiBinDir(): string {
    if (process.env.AIRLOCK_PULUMI) {
        const bin = path.resolve(process.env.AIRLOCK_PULUMI);
        if (!fs.existsSync(bin)) throw new Error(`AIRLOCK_PULUMI=${bin} does not exist`);
        return path.dirname(bin);
    }
    const r = spawnSync("bash", [path.join(ROOT, "scripts/engine/build.sh"), "--print-bin-dir"], { encoding: "utf8" });
    const dir = r.stdout.trim();
    if (r.status !== 0 || !fs.existsSync(path.join(dir, "pulumi"))) {
        throw new Error(`No Pulumi CLI: run \`npm run engine:build\` (builds it from its Go module) or set AIRLOCK_PULUMI=/path/to/pulumi. ${r.stderr.trim()}`);
    }
    return dir;
}

/** Whether a plugin binary is reachable (the CLI's directory or PATH). */
export function hasPlugin(binary: string, binDir = pulumiBinDir()): boolean {
    return [binDir, ...(process.env.PATH ?? "").split(":")].some((d) => d && fs.existsSync(path.join(d, binary)));
}

export interface EngineSession {
    readonly binDir: string;
    readonly env: Record<string, string>;
    readonly stateDir: string;
    /** Runs the CLI directly (for `version`, `stack`, …). */
    pulumi(args: string[], opts?: { cwd?: string }): { status: number; stdout: string; stderr: string };
    dispose(): void;
}

/** A private backend (`file://` in a temp dir), PULUMI_HOME and passphrase: no Pulumi Cloud, nothing shared. */
export function engineSession(extraEnv: Record<string, string> = {}): EngineSession {
    const binDir = pulumiBinDir();
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-engine-"));
    fs.mkdirSync(path.join(stateDir, "backend"));
    fs.mkdirSync(path.join(stateDir, "home"));
    const env: Record<string, string> = {
        PATH: `${binDir}:${process.env.PATH ?? ""}`,
        HOME: process.env.HOME ?? "/root",
        PULUMI_HOME: path.join(stateDir, "home"),
        PULUMI_BACKEND_URL: `file://${path.join(stateDir, "backend")}`,
        PULUMI_CONFIG_PASSPHRASE: TEST_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "false",
        NO_COLOR: "1",
        ...extraEnv,
    };
    return {
        binDir, env, stateDir,
        pulumi: (args, opts = {}) => {
            const r = spawnSync(path.join(binDir, "pulumi"), args, { cwd: opts.cwd ?? stateDir, encoding: "utf8", env: { ...env }, timeout: 300_000 });
            return { status: r.status ?? 1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
        },
        dispose: () => fs.rmSync(stateDir, { recursive: true, force: true }),
    };
}

export interface RunEngineOptions {
    readonly op: InlineRunRequest["op"];
    readonly workDir: string;
    readonly stack: string;
    readonly program: string;
    readonly policyPacks?: string[];
    readonly policyPackConfigs?: string[];
    readonly secrets?: Record<string, string>;
    readonly timeoutMs?: number;
}

/** One engine operation in its own process (the Pulumi runtime is per-process state). */
export function runEngine(session: EngineSession, o: RunEngineOptions): InlineRunResult & { ms: number } {
    const resultFile = path.join(session.stateDir, `result-${process.pid}-${Date.now()}.json`);
    const req: InlineRunRequest = {
        op: o.op, workDir: o.workDir, stack: o.stack, program: o.program, pulumiBinDir: session.binDir,
        policyPacks: o.policyPacks, policyPackConfigs: o.policyPackConfigs, secrets: o.secrets, env: session.env, resultFile,
    };
    const t0 = Date.now();
    const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [path.join(__dirname, "inline-run.ts"), JSON.stringify(req)], {
        cwd: o.workDir, encoding: "utf8", env: { ...process.env, ...session.env }, timeout: o.timeoutMs ?? 600_000,
    });
    const ms = Date.now() - t0;
    if (!fs.existsSync(resultFile)) {
        throw new Error(`The engine run (${o.op} ${o.stack}) wrote no result (exit ${r.status}, ${r.signal ?? "no signal"}):\n${r.stderr}\n${r.stdout}`);
    }
    const result = JSON.parse(fs.readFileSync(resultFile, "utf8")) as InlineRunResult;
    fs.rmSync(resultFile);
    return { ...result, ms };
}

export interface EnginePolicyViolation { policyName: string; enforcementLevel: string; resourceUrn?: string; message: string; policyPackName: string }

/** The policy violations the engine reported (policyEvent), as (pack, policy, level, resource). */
export function policyViolations(events: EngineEvent[]): EnginePolicyViolation[] {
    return events.flatMap((e) => e.policyEvent ? [{
        policyName: e.policyEvent.policyName, enforcementLevel: e.policyEvent.enforcementLevel,
        resourceUrn: e.policyEvent.resourceUrn, message: e.policyEvent.message, policyPackName: e.policyEvent.policyPackName,
    }] : []);
}

export interface EngineResource { urn: string; type: string; name: string; parent?: string; provider?: string; custom: boolean; inputs: Record<string, unknown> }

/** The resources of a preview as the engine stepped them (resourcePreEvent metadata: the checked inputs). */
export function previewResources(events: EngineEvent[]): EngineResource[] {
    return events.flatMap((e) => {
        const m = e.resourcePreEvent?.metadata;
        const s = m?.new ?? m?.old;
        if (!m || !s) return [];
        return [{ urn: m.urn, type: m.type, name: m.urn.split("::").pop() ?? "", parent: s.parent || undefined, provider: m.provider || s.provider || undefined, custom: s.custom ?? false, inputs: (s.inputs ?? {}) as Record<string, unknown> }];
    });
}
