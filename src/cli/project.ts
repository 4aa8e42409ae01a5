/**
 * Reads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the Pulumi CLI does, into the config map the
 * language host would hand the program (`PULUMI_CONFIG`): values as strings (objects as JSON), keys
 * namespaced. `secure:` values become placeholder secrets: the offline plan never decrypts anything.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

export interface ProjectFile {
    readonly name: string;
    /** Absolute path of the program entry (file or directory). */
    readonly main: string;
    readonly dir: string;
}

export interface StackConfigFile {
    /** `ns:key` → value as the language host passes it (strings; objects and arrays as JSON). */
    readonly config: Record<string, string>;
    /** Keys whose values are (or contain) secrets. */
    readonly secretKeys: string[];
    /** Whether the stack file existed. */
    readonly found: boolean;
    readonly file: string;
}

/** A user-facing error of the plan command (exit 2). */
export class PlanInputError extends Error {
    constructor(message: string) { super(message); this.name = "PlanInputError"; }
}

function readYaml(file: string): unknown {
    try {
        return yaml.load(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanInputError(`Cannot parse ${file}: ${(e as Error).message.split("\n")[0]}`);
    }
}

/** Reads `<dir>/Pulumi.yaml`; `undefined` when there is none. */
export function readProjectFile(dir: string): ProjectFile | undefined {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) return undefined;
    const doc = readYaml(file) as { name?: unknown; main?: unknown; runtime?: unknown } | null;
    if (!doc || typeof doc.name !== "string" || doc.name.length === 0) throw new PlanInputError(`${file} has no project name (\`name:\`).`);
    const runtime = typeof doc.runtime === "string" ? doc.runtime : (doc.runtime as { name?: string } | undefined)?.name;
    if (runtime !== "nodejs") throw new PlanInputError(`${file}: runtime is "${String(runtime)}"; airlock plan runs Node.js (TypeScript) programs only.`);
    return { name: doc.name, main: path.resolve(dir, typeof doc.main === "string" ? doc.main : "."), dir };
}

export const PLACEHOLDER_PREFIX = "airlock-plan-placeholder:";

/** Replaces every `{ secure: … }` inside a value with a placeholder; reports whether one was found. */
function resolveSecure(value: unknown, key: string): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map((v, i) => resolveSecure(v, `${key}[${i}]`));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.length === 1 && entries[0]![0] === "secure") return { value: `${PLACEHOLDER_PREFIX}${key}`, secret: true };
        const out: Record<string, unknown> = {};
        let secret = false;
        for (const [k, v] of entries) {
            const r = resolveSecure(v, `${key}.${k}`);
            out[k] = r.value;
            secret ||= r.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

/** Reads `Pulumi.<stack>.yaml` next to the project. A missing file is an error unless `optional`. */
export function readStackConfig(project: ProjectFile, stack: string, optional: boolean): StackConfigFile {
    const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    if (!fs.existsSync(file)) {
        if (optional) return { config, secretKeys, found: false, file };
        const stacks = fs.readdirSync(project.dir).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]);
        throw new PlanInputError(`No stack file ${file}. Known stacks: ${stacks.join(", ") || "none"}; pass one with --stack NAME.`);
    }
    const doc = (readYaml(file) ?? {}) as { config?: unknown };
    if (doc.config !== undefined && (doc.config === null || typeof doc.config !== "object" || Array.isArray(doc.config))) {
        throw new PlanInputError(`${file}: \`config:\` must be a map of keys to values.`);
    }
    for (const [rawKey, raw] of Object.entries((doc.config ?? {}) as Record<string, unknown>)) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        const { value, secret } = resolveSecure(raw, key);
        config[key] = typeof value === "string" ? value : JSON.stringify(value);
        if (secret) secretKeys.push(key);
    }
    return { config, secretKeys, found: true, file };
}
