/** Docker `envs`: a list of `KEY=VALUE` strings (split on the first `=`; a later duplicate wins, as in Docker). */

export interface EnvEntry {
    readonly key: string;
    /** `undefined` for a bare `KEY` (Docker passes no value). */
    readonly value: string | undefined;
    /** Position in `envs`, for messages. */
    readonly index: number;
}

/** Parses `envs` (undefined = no env). Non-string entries are kept with an empty key so callers can flag them. */
export function parseEnvs(envs: readonly unknown[] | undefined): EnvEntry[] {
    const out: EnvEntry[] = [];
    (envs ?? []).forEach((raw, index) => {
        const s = typeof raw === "string" ? raw : "";
        const eq = s.indexOf("=");
        out.push(eq < 0 ? { key: s, value: undefined, index } : { key: s.slice(0, eq), value: s.slice(eq + 1), index });
    });
    return out;
}

/** The effective env: key → value of the last entry with that key. */
export function envMap(entries: readonly EnvEntry[]): ReadonlyMap<string, string | undefined> {
    const m = new Map<string, string | undefined>();
    for (const e of entries) m.set(e.key, e.value);
    return m;
}
