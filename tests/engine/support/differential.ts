/**
 * Plan-vs-engine comparison: a project directory both can run, the recording pack's output
 * (tests/fixtures/packs/recorder: what a policy pack receives), and a field-by-field diff.
 *
 * Resources are matched by identity = (type, name) and compared on: the parent's identity, the provider binding
 * (the provider's type and name) and every input field, as the pack sees them in Analyze (phase "resource"). For
 * AnalyzeStack (phase "stack") the engine hands the pack each resource's outputs (at preview: the provider's planned
 * state) where the plan hands it the analyzed inputs: there only the resources, parents and providers are compared
 * — the pack's stack policies read every resource's props as Analyze saw them (policies/lib/analyzed.ts), so no
 * field of that view reaches a verdict (docs/fidelity.md).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PLACEHOLDER_PREFIX } from "../../../src/cli/project";
import { ROOT } from "./engine";

export const RECORDER_PACK = path.join(ROOT, "tests/fixtures/packs/recorder");

export interface Recorded {
    /** Analyze ("resource") or AnalyzeStack ("stack"). */
    readonly phase: "resource" | "stack";
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent?: string;
    readonly provider?: { urn: string; type: string; name: string };
    readonly props: Record<string, unknown>;
}

/** A temporary Pulumi project (Pulumi.yaml + one stack file) whose program is `program`. */
export function projectDir(o: { name: string; program: string; stack: string; stackYaml: string }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `airlock-engine-${o.name}-`));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${o.name}\nruntime: nodejs\nmain: ${o.program}\n`);
    fs.writeFileSync(path.join(dir, `Pulumi.${o.stack}.yaml`), o.stackYaml);
    return dir;
}

export interface PlanRun { status: number; stdout: string; stderr: string; json?: PlanJson }
export interface PlanJson {
    resources: { urn: string; type: string; name: string; parent?: string; inputs: Record<string, any> }[];
    violations: { policy: string; enforcementLevel: string; urn?: string; message: string; pack?: string }[];
}

/** `airlock plan --format json` of a project directory (cwd = the repo, as CI runs it). */
export function airlockPlan(dir: string, stack: string, args: string[] = [], env: Record<string, string> = {}): PlanRun {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), "plan", "--program", dir, "--stack", stack, "--format", "json", ...args], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env }, timeout: 300_000,
    });
    let json: PlanJson | undefined;
    try { json = JSON.parse(r.stdout) as PlanJson; } catch { json = undefined; }
    return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr, json };
}

export function readRecording(file: string, phase: Recorded["phase"] = "resource"): Recorded[] {
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Recorded).filter((r) => r.phase === phase);
}

/**
 * The plan's recording with its placeholder secrets (`airlock-plan-placeholder:<ns:key>`: the plan cannot decrypt the
 * stack's `secure:` values) replaced by the values the engine run set, so that secrets compare as values.
 */
export function withSecrets(plan: Recorded[], secrets: Record<string, string>): Recorded[] {
    const swap = (v: unknown): unknown => {
        if (typeof v === "string") return v.replace(new RegExp(`${PLACEHOLDER_PREFIX}([A-Za-z0-9_-]+:[A-Za-z0-9_-]+)`, "g"), (m, key: string) => secrets[key] ?? m);
        if (Array.isArray(v)) return v.map(swap);
        if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, swap(x)]));
        return v;
    };
    return plan.map((r) => ({ ...r, props: swap(r.props) as Record<string, unknown> }));
}

/** The fields the pack's stack policies read from AnalyzeStack's own view: none (they read what Analyze saw). */
export const STACK_VIEW_FIELDS: Readonly<Record<string, readonly string[]>> = {};

/** AnalyzeStack's view narrowed to what the pack reads from it (see STACK_VIEW_FIELDS). */
export function stackView(rs: Recorded[]): Recorded[] {
    return rs.map((r) => ({ ...r, props: Object.fromEntries((STACK_VIEW_FIELDS[r.type] ?? []).map((k) => [k, r.props[k]])) }));
}

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` → (type, name). */
export function urnIdentity(urn: string): string {
    const parts = urn.split("::");
    const qualified = parts[2] ?? "";
    return `${qualified.split("$").pop()}::${parts.slice(3).join("::")}`;
}

export const identity = (r: { type: string; name: string }) => `${r.type}::${r.name}`;

export interface Difference {
    readonly resource: string;
    /** `parent`, `provider`, `urn`, `present`, or `props.<path>`. */
    readonly field: string;
    readonly plan: unknown;
    readonly engine: unknown;
}

function diffValues(resource: string, prefix: string, a: unknown, b: unknown, out: Difference[]): void {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
        for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffValues(resource, `${prefix}.${k}`, a[k], b[k], out);
        return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
        a.forEach((v, i) => diffValues(resource, `${prefix}[${i}]`, v, b[i], out));
        return;
    }
    out.push({ resource, field: prefix, plan: a, engine: b });
}

/** Every difference between what the plan and the engine sent the recording pack. */
export function compareRecordings(plan: Recorded[], engine: Recorded[]): Difference[] {
    const out: Difference[] = [];
    const byId = (rs: Recorded[]) => new Map(rs.map((r) => [identity(r), r]));
    const p = byId(plan);
    const e = byId(engine);
    for (const id of [...new Set([...p.keys(), ...e.keys()])].sort()) {
        const a = p.get(id);
        const b = e.get(id);
        if (!a || !b) { out.push({ resource: id, field: "present", plan: !!a, engine: !!b }); continue; }
        if (a.urn !== b.urn) out.push({ resource: id, field: "urn", plan: a.urn, engine: b.urn });
        const parentA = a.parent ? urnIdentity(a.parent) : undefined;
        const parentB = b.parent ? urnIdentity(b.parent) : undefined;
        if (parentA !== parentB) out.push({ resource: id, field: "parent", plan: parentA, engine: parentB });
        const provA = a.provider ? identity(a.provider) : undefined;
        const provB = b.provider ? identity(b.provider) : undefined;
        if (provA !== provB) out.push({ resource: id, field: "provider", plan: provA, engine: provB });
        diffValues(id, "props", a.props, b.props, out);
    }
    return out;
}
