/** Rendering of a plan: a resource tree like `pulumi preview`, or exactly one JSON document. */
import type { InvokeRecord } from "./invokes";
import type { RecordedResource } from "./run-program";
import { readable } from "./encoding";

export interface Violation {
    readonly policy: string;
    readonly pack: string;
    readonly urn: string;
    readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
    readonly message: string;
}

export interface PlanResult {
    readonly project: string;
    readonly stack: string;
    readonly resources: readonly RecordedResource[];
    readonly outputs: Record<string, unknown>;
    readonly violations: readonly Violation[];
    readonly placeholderSecrets: readonly string[];
    /** Policy packs that ran (name@version), empty with --no-policy. */
    readonly policyPacks: readonly string[];
    readonly durationMs: number;
    /** Data-source invokes the plan answered offline (placeholders, computed, fixtures). */
    readonly invokes?: readonly InvokeRecord[];
}

/** Multi-language components whose children the offline plan cannot see. */
export const remoteComponents = (r: Pick<PlanResult, "resources">): RecordedResource[] => r.resources.filter((x) => x.remote === true);

export function summarize(r: PlanResult) {
    const byType: Record<string, number> = {};
    for (const res of r.resources) byType[res.type] = (byType[res.type] ?? 0) + 1;
    return {
        resources: r.resources.length,
        byType,
        violations: {
            mandatory: r.violations.filter((v) => v.enforcementLevel === "mandatory").length,
            advisory: r.violations.filter((v) => v.enforcementLevel === "advisory").length,
        },
        policyPacks: r.policyPacks,
        placeholderSecrets: r.placeholderSecrets,
        placeholderInvokes: [...new Set((r.invokes ?? []).filter((i) => i.source === "placeholder").map((i) => i.token))].sort(),
        remoteComponents: remoteComponents(r).length,
        durationMs: r.durationMs,
    };
}

export function toJson(r: PlanResult): string {
    return JSON.stringify({
        project: r.project,
        stack: r.stack,
        resources: r.resources.map((res) => ({
            urn: res.urn, type: res.type, name: res.name, parent: res.parent ?? null, inputs: readable(res.inputs),
            ...(res.remote ? { remote: true } : {}),
        })),
        outputs: readable(r.outputs),
        violations: r.violations,
        invokes: r.invokes ?? [],
        remoteComponents: remoteComponents(r).map((c) => ({
            urn: c.urn, type: c.type, name: c.name,
            note: "multi-language component: its children are registered by its provider plugin, which the offline plan does not run, so the policy pack cannot see them",
        })),
        summary: summarize(r),
    }, null, 2);
}

/** The tree, ordered by registration, children under their parent. */
export function toText(r: PlanResult): string {
    const children = new Map<string, RecordedResource[]>();
    const roots: RecordedResource[] = [];
    const urns = new Set(r.resources.map((x) => x.urn));
    for (const res of r.resources) {
        if (res.parent && urns.has(res.parent)) {
            const list = children.get(res.parent) ?? [];
            list.push(res);
            children.set(res.parent, list);
        } else roots.push(res);
    }
    const violationsByUrn = new Map<string, Violation[]>();
    for (const v of r.violations) violationsByUrn.set(v.urn, [...(violationsByUrn.get(v.urn) ?? []), v]);

    const rows: [string, string, string][] = [];
    const walk = (res: RecordedResource, prefix: string, last: boolean, depth: number) => {
        const branch = depth === 0 ? "" : `${prefix}${last ? "└─ " : "├─ "}`;
        const marks = violationsByUrn.get(res.urn) ?? [];
        const flag = marks.some((m) => m.enforcementLevel === "mandatory") ? " ✗" : marks.length > 0 ? " !" : "";
        rows.push([" + ", `${branch}${res.type}`, `${res.name}${flag}`]);
        const kids = children.get(res.urn) ?? [];
        const nextPrefix = depth === 0 ? "" : `${prefix}${last ? "   " : "│  "}`;
        kids.forEach((k, i) => walk(k, nextPrefix, i === kids.length - 1, depth + 1));
    };
    roots.forEach((root) => walk(root, "", true, 0));
    const width = Math.max(4, ...rows.map((row) => row[1].length)) + 2;

    const s = summarize(r);
    const lines = [
        `Previewing update (${r.stack}) of project ${r.project} — offline: no Pulumi CLI, no provider plugins, no cloud calls`,
        "",
        `     ${"Type".padEnd(width)}Name`,
        ...rows.map(([op, type, name]) => ` ${op} ${type.padEnd(width)}${name}`),
        "",
    ];
    if (r.violations.length > 0) {
        lines.push("Policy Violations:");
        for (const v of r.violations) {
            const res = r.resources.find((x) => x.urn === v.urn);
            lines.push(`    [${v.enforcementLevel}]  ${v.policy}  (${res ? `${res.type}: ${res.name}` : v.urn || "stack"})`);
            for (const l of v.message.split("\n")) lines.push(`    ${l}`);
        }
        lines.push("");
    }
    const invokes = r.invokes ?? [];
    if (invokes.length > 0) {
        lines.push("Data sources answered offline (placeholder values are not your account's; pass real results with --invoke-fixtures FILE):");
        for (const i of invokes) {
            const result = JSON.stringify(i.result);
            lines.push(`    [${i.source}]  ${i.token}  ${result.length > 160 ? `${result.slice(0, 157)}...` : result}`);
        }
        lines.push("");
    }
    const remote = remoteComponents(r);
    if (remote.length > 0) {
        lines.push("Components whose children the offline plan cannot see (multi-language components register them through their provider plugin, which is not run offline; the pack's stack rules fail closed on them):");
        for (const c of remote) lines.push(`    ${c.type}  ${c.name}`);
        lines.push("");
    }
    if (r.placeholderSecrets.length > 0) {
        lines.push("Secrets not set in the stack file (planned with placeholders; `pulumi up` needs them):");
        for (const k of r.placeholderSecrets) lines.push(`    pulumi config set --secret ${k} <value>`);
        lines.push("");
    }
    lines.push("Resources:", `    + ${s.resources} to create`);
    lines.push(r.policyPacks.length > 0
        ? `Policies: ${r.policyPacks.join(", ")}: ${s.violations.mandatory} mandatory, ${s.violations.advisory} advisory violation(s)`
        : "Policies: not run (--no-policy)");
    lines.push(`Duration: ${(r.durationMs / 1000).toFixed(1)}s`);
    return lines.join("\n");
}
