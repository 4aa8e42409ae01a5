/**
 * How the programs that consume the baseline's settings read them. A switch is only as good as its reading:
 * huggingface_hub does not trim (`HF_HUB_OFFLINE= 1` leaves the Hub online), vLLM compares usage-stats switches
 * with the exact string "1" (`VLLM_NO_USAGE_STATS=true` leaves stats on) and reads its dev mode with Python's
 * `bool(int(v))` (`VLLM_SERVER_DEV_MODE=2` turns it on). The components set these values and the policy pack
 * reads them with the same functions, so the two cannot disagree.
 */

/** Python's `int(str)`: surrounding whitespace, one sign, digits with single `_` between them. `undefined` = ValueError. */
export function pythonInt(value: string): number | undefined {
    const m = /^[\s]*([+-]?)([0-9](?:_?[0-9])*)[\s]*$/u.exec(value);
    if (!m) return undefined;
    const n = Number(m[2]!.replace(/_/g, ""));
    return m[1] === "-" ? -n : n;
}

/** huggingface_hub's `_is_true`: `value.upper() in {"1", "ON", "YES", "TRUE"}` — any case, never trimmed. */
export const HUB_TRUE_VALUES: readonly string[] = ["1", "ON", "YES", "TRUE"];
export function hubIsTrue(value: string | undefined): boolean {
    return value !== undefined && HUB_TRUE_VALUES.includes(value.toUpperCase());
}

/** An env lookup: the effective value of a key, `undefined` when unset (a bare `KEY` without `=` is unset too). */
export type EnvLookup = (key: string) => string | undefined;

/** One environment switch and how its consumers read it. */
export interface EnvSwitch {
    readonly name: string;
    /** The value Airlock sets (required switches) or the safe value (forbidden switches). */
    readonly secure: string;
    /** Who reads it and how, for messages: `huggingface_hub reads "1", "ON", "YES" or "TRUE" (any case, not trimmed)`. */
    readonly reading: string;
    /**
     * Why the effective setting is not the secure one in its consumers' reading, or `undefined` when it is. For a
     * required switch "secure" means on; for a forbidden switch it means off.
     */
    readonly problem: (env: EnvLookup) => string | undefined;
}

const HUB_READING = 'huggingface_hub reads it as on only for "1", "ON", "YES" or "TRUE" (any case, never trimmed)';

/** A switch huggingface_hub (or a library using its reading) must see as on. */
function hubSwitch(name: string, consumer: string): EnvSwitch {
    return {
        name, secure: "1", reading: HUB_READING.replace("huggingface_hub", consumer),
        problem: (env) => {
            const v = env(name);
            if (v === undefined) return `${name} is not set`;
            return hubIsTrue(v) ? undefined : `${name}=${JSON.stringify(v)} is off for ${consumer}`;
        },
    };
}

/** vLLM's `os.environ.get(name, "0") == "1"`. */
function exactOneSwitch(name: string): EnvSwitch {
    return {
        name, secure: "1", reading: 'vLLM reads it as on only for the exact string "1"',
        problem: (env) => {
            const v = env(name);
            if (v === undefined) return `${name} is not set`;
            return v === "1" ? undefined : `${name}=${JSON.stringify(v)} is off for vLLM`;
        },
    };
}

/** The offline switches every sealed workload carries (huggingface_hub, transformers, datasets). */
export const HUB_OFFLINE_SWITCHES: readonly EnvSwitch[] = [
    hubSwitch("HF_HUB_OFFLINE", "huggingface_hub"),
    hubSwitch("TRANSFORMERS_OFFLINE", "transformers"),
    hubSwitch("HF_DATASETS_OFFLINE", "datasets"),
];

/** The telemetry switches every sealed workload carries. */
export const TELEMETRY_OFF_SWITCHES: readonly EnvSwitch[] = [
    hubSwitch("HF_HUB_DISABLE_TELEMETRY", "huggingface_hub"),
    exactOneSwitch("VLLM_NO_USAGE_STATS"),
    {
        // vLLM: (VLLM_DO_NOT_TRACK or DO_NOT_TRACK or "0") == "1" — a non-empty VLLM_DO_NOT_TRACK wins; huggingface_hub
        // also honours DO_NOT_TRACK with its truthiness. "1" satisfies both.
        name: "DO_NOT_TRACK", secure: "1",
        reading: 'vLLM reads VLLM_DO_NOT_TRACK (when non-empty) or else DO_NOT_TRACK, and only the exact string "1" is on',
        problem: (env) => {
            const own = env("VLLM_DO_NOT_TRACK");
            const v = env("DO_NOT_TRACK");
            if (own !== undefined && own !== "" && own !== "1") return `VLLM_DO_NOT_TRACK=${JSON.stringify(own)} overrides DO_NOT_TRACK and is off for vLLM`;
            if (v === undefined) return "DO_NOT_TRACK is not set";
            if ((own === undefined || own === "") && v !== "1") return `DO_NOT_TRACK=${JSON.stringify(v)} is off for vLLM`;
            return hubIsTrue(v) ? undefined : `DO_NOT_TRACK=${JSON.stringify(v)} is off for huggingface_hub`;
        },
    },
];

/** vLLM's `bool(int(os.getenv(name, "0")))`: any non-zero integer is on; a non-integer crashes vLLM when read. */
function pythonIntForbidden(name: string, opens: string): EnvSwitch {
    return {
        name, secure: "0", reading: "vLLM reads it with bool(int(value)): any non-zero integer (\" 2\", \"+1\", \"0_1\") is on",
        problem: (env) => {
            const v = env(name);
            if (v === undefined) return undefined;
            const n = pythonInt(v);
            if (n === undefined) return `${name}=${JSON.stringify(v)} is not an integer, which vLLM cannot read (unverifiable); ${opens} when on`;
            return n === 0 ? undefined : `${name}=${JSON.stringify(v)} is on for vLLM and ${opens}`;
        },
    };
}

/** vLLM switches that open a remote-code, weight-swap or download path when on (vLLM security guide). */
export const FORBIDDEN_SWITCHES: readonly EnvSwitch[] = [
    pythonIntForbidden("VLLM_SERVER_DEV_MODE", "enables the development endpoints (arbitrary RPC into the engine)"),
    pythonIntForbidden("VLLM_ALLOW_INSECURE_SERIALIZATION", "lets the engine unpickle untrusted data (remote code execution)"),
    {
        name: "VLLM_ALLOW_RUNTIME_LORA_UPDATING", secure: "0",
        reading: 'vLLM strips and lowercases it: "1" or "true" is on',
        problem: (env) => {
            const v = env("VLLM_ALLOW_RUNTIME_LORA_UPDATING");
            return v !== undefined && ["1", "true"].includes(v.trim().toLowerCase())
                ? `VLLM_ALLOW_RUNTIME_LORA_UPDATING=${JSON.stringify(v)} is on for vLLM and lets API clients load LoRA adapters at runtime` : undefined;
        },
    },
];

/** Switches that make a library load models from a hub the offline switches do not cover. */
export const ALTERNATE_HUB_SWITCHES: readonly EnvSwitch[] = [
    {
        name: "VLLM_USE_MODELSCOPE", secure: "False",
        reading: 'vLLM lowercases it: "true" is on',
        problem: (env) => {
            const v = env("VLLM_USE_MODELSCOPE");
            return v !== undefined && v.toLowerCase() === "true"
                ? `VLLM_USE_MODELSCOPE=${JSON.stringify(v)} is on for vLLM, which then loads models from ModelScope (a hub the offline switches do not cover)` : undefined;
        },
    },
];

/** A parsed Docker `KEY=VALUE` env entry. */
export interface EnvEntry {
    readonly key: string;
    /** `undefined` for a bare `KEY` (Docker passes no value: the variable is unset). */
    readonly value: string | undefined;
    /** Position in the list, for messages. */
    readonly index: number;
}

/** Parses a Docker env list (split on the first `=`); non-string entries get an empty key so callers can flag them. */
export function parseEnvList(envs: readonly unknown[] | undefined): EnvEntry[] {
    return (envs ?? []).map((raw, index) => {
        const s = typeof raw === "string" ? raw : "";
        const eq = s.indexOf("=");
        return eq < 0 ? { key: s, value: undefined, index } : { key: s.slice(0, eq), value: s.slice(eq + 1), index };
    });
}

/**
 * Keys set more than once with different values. pulumi-docker's `envs` is a set: the provider does not keep its
 * order, so which duplicate wins is not known before the container runs (treated as unverifiable).
 */
export function conflictingEnvKeys(entries: readonly EnvEntry[]): string[] {
    const values = new Map<string, Set<string | undefined>>();
    for (const e of entries) {
        if (!values.has(e.key)) values.set(e.key, new Set());
        values.get(e.key)!.add(e.value);
    }
    return [...values].filter(([, v]) => v.size > 1).map(([k]) => k);
}

/** The effective lookup of an env list without conflicts (every duplicate has the same value). */
export function envLookup(entries: readonly EnvEntry[]): EnvLookup {
    const m = new Map<string, string | undefined>();
    for (const e of entries) m.set(e.key, e.value);
    return (key) => m.get(key);
}
