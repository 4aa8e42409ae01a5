/** The engine's wire encoding of property values (sdk/nodejs/runtime/rpc.ts), decoded for people. */

export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export const isSecretValue = (v: unknown): v is { value: unknown } =>
    v !== null && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** Secrets become "[secret]", unknowns "[unknown]", resource references their URN. */
export function readable(v: unknown): unknown {
    if (v === UNKNOWN) return "[unknown]";
    if (Array.isArray(v)) return v.map(readable);
    if (v !== null && typeof v === "object") {
        const o = v as Record<string, unknown>;
        if (o[SIG_KEY] === SECRET_SIG) return "[secret]";
        if (o[SIG_KEY] === RESOURCE_SIG) return o.urn;
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, readable(x)]));
    }
    return v;
}
