/**
 * The inputs a policy pack receives under the engine are the provider's *checked* inputs, not the program's: the
 * Docker provider (a Terraform bridge) fills every unset input that has a Terraform schema default (`networkMode:
 * "bridge"`, `ports[].ip: "0.0.0.0"`, `restart: "no"`, `deviceRequests[].driver: "cdi"`, …) and annotates each nested
 * block object with `__defaults`, the keys it filled (the engine drops that key at the top level only). `airlock plan`
 * reproduces this from the provider's schema, read offline: scripts/engine/docker-provider/generated/defaults.json,
 * written by the same build that makes the engine tests' pulumi-resource-docker (scripts/engine/build.sh; the build
 * fails when the committed file differs from what the provider's schema says). docs/fidelity.md has the rows.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** Per type token: defaults by Pulumi property path (`ports[].ip`), and the paths of nested blocks. */
export interface ProviderDefaults { readonly defaults: Readonly<Record<string, unknown>>; readonly blocks: readonly string[] }

export const DOCKER_DEFAULTS_FILE = path.resolve(__dirname, "../../scripts/engine/docker-provider/generated/defaults.json");

let loaded: Readonly<Record<string, ProviderDefaults>> | undefined;
/** The committed defaults of the Docker provider (by type token). */
export function dockerProviderDefaults(): Readonly<Record<string, ProviderDefaults>> {
    return (loaded ??= JSON.parse(fs.readFileSync(DOCKER_DEFAULTS_FILE, "utf8")) as Record<string, ProviderDefaults>);
}

/** The wire encodings the SDK uses inside a Struct. */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const isSecret = (v: unknown): v is { value: unknown } => isRecord(v) && v[SIG] === SECRET_SIG;

/**
 * The checked inputs the provider would hand the engine for `inputs` (a Struct's JavaScript form, secrets and
 * unknowns in their wire encodings), or `undefined` when the type has no schema data (nothing to fill).
 */
export function checkedInputs(type: string, inputs: Record<string, unknown>, table = dockerProviderDefaults()): Record<string, unknown> | undefined {
    const spec = table[type];
    if (!spec) return undefined;
    const blocks = new Set(spec.blocks);
    const fill = (obj: Record<string, unknown>, prefix: string, nested: boolean): Record<string, unknown> => {
        const out: Record<string, unknown> = { ...obj };
        const filled: string[] = [];
        for (const [p, value] of Object.entries(spec.defaults)) {
            if (!p.startsWith(prefix)) continue;
            const key = p.slice(prefix.length);
            if (key.includes(".") || key.includes("[]")) continue;
            if (out[key] === undefined || out[key] === null) {
                out[key] = value;
                filled.push(key);
            }
        }
        for (const [key, value] of Object.entries(out)) {
            const list = `${prefix}${key}[]`;
            const single = `${prefix}${key}`;
            const inner = isSecret(value) ? value.value : value;
            let mapped: unknown = inner;
            if (blocks.has(list) && Array.isArray(inner)) mapped = inner.map((e) => (isRecord(e) && !isSecret(e) ? fill(e, `${list}.`, true) : e));
            else if (blocks.has(single) && isRecord(inner) && !isSecret(inner)) mapped = fill(inner, `${single}.`, true);
            if (mapped !== inner) out[key] = isSecret(value) ? { ...value, value: mapped } : mapped;
        }
        if (nested) out.__defaults = filled.sort();
        return out;
    };
    return fill(inputs, "", false);
}
