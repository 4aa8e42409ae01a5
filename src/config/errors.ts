/**
 * Config errors in user terms: the key path as `pulumi config set --path` spells it, the bad value, what is
 * allowed, and the command that fixes it. Rendered as one `pulumi.RunError` (printed without a stack trace).
 */
import * as pulumi from "@pulumi/pulumi";

export interface ConfigProblem {
    /** Path inside the `airlock:` namespace, e.g. `["models", 0, "revision"]`. */
    readonly path: readonly (string | number)[];
    /** What is wrong and what is allowed. */
    readonly message: string;
    /** The command that fixes it. @default `pulumi config set --path '<key>' <value>` */
    readonly fix?: string;
}

/** `airlock:models[0].revision` */
export function keyPath(path: readonly (string | number)[], namespace = "airlock"): string {
    let out = `${namespace}:`;
    path.forEach((seg, i) => {
        if (typeof seg === "number") out += `[${seg}]`;
        else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(seg)) out += i === 0 ? seg : `.${seg}`;
        else out += `["${seg}"]`;
    });
    return out;
}

/** The value at `path` inside `raw`, or `undefined`. */
export function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
    let v: any = raw;
    for (const seg of path) {
        if (v === null || typeof v !== "object") return undefined;
        v = v[seg as any];
    }
    return v;
}

function show(value: unknown): string {
    if (value === undefined) return "not set";
    const s = JSON.stringify(value);
    return `got ${s.length > 80 ? `${s.slice(0, 77)}...` : s}`;
}

/** The message of a config error, one block per problem. */
export function formatConfigProblems(stack: string, raw: unknown, problems: readonly ConfigProblem[]): string {
    const lines = [`Invalid configuration for stack "${stack}" (Pulumi.${stack}.yaml): ${problems.length} problem${problems.length === 1 ? "" : "s"}`];
    for (const p of problems) {
        const key = keyPath(p.path);
        lines.push(`  - ${key}: ${p.message} (${show(valueAt(raw, p.path))})`);
        lines.push(`      fix: ${p.fix ?? `pulumi config set --path '${key}' <value>   (or edit Pulumi.${stack}.yaml)`}`);
    }
    return lines.join("\n");
}

export class ConfigError extends pulumi.RunError {
    constructor(public readonly stackName: string, raw: unknown, public readonly problems: readonly ConfigProblem[]) {
        super(formatConfigProblems(stackName, raw, problems));
        this.name = "ConfigError";
    }
}
