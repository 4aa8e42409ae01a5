/**
 * A container's environment as its consumers will see it. pulumi-docker's `envs` is a set (the provider does
 * not keep its order), so a key set twice with different values may end up with either: every reading below
 * considers each possible outcome and reports the worst.
 */
import {
    type EnvEntry, type EnvLookup, type EnvSwitch, conflictingEnvKeys, envLookup, parseEnvList,
} from "@airlock/baseline";

export type { EnvEntry };
export { parseEnvList as parseEnvs };

/** The parsed env of a container: its entries, the keys set twice with different values, and every possible outcome. */
export interface ContainerEnv {
    readonly entries: readonly EnvEntry[];
    readonly conflicts: readonly string[];
    /** One lookup per combination of the conflicting keys' values (one lookup without conflicts). */
    readonly outcomes: readonly EnvLookup[];
}

/** At most this many outcomes are enumerated; beyond it the env is unverifiable anyway (reported as conflicts). */
const MAX_OUTCOMES = 64;

export function readEnv(envs: readonly unknown[] | undefined): ContainerEnv {
    const entries = parseEnvList(envs);
    const conflicts = conflictingEnvKeys(entries);
    let outcomes: EnvLookup[] = [envLookup(entries)];
    for (const key of conflicts) {
        const values = [...new Set(entries.filter((e) => e.key === key).map((e) => e.value))];
        outcomes = outcomes.flatMap((base) => values.map((v): EnvLookup => (k) => (k === key ? v : base(k)))).slice(0, MAX_OUTCOMES);
    }
    return { entries, conflicts, outcomes };
}

/**
 * Why `sw` is not in its secure state for some outcome of `env` (in the words of its consumers' reading), or
 * `undefined`. When the switch's key is set twice with different values, the reason says that this value may win.
 */
export function switchProblem(env: ContainerEnv, sw: EnvSwitch): string | undefined {
    for (const outcome of env.outcomes) {
        const p = sw.problem(outcome);
        if (p === undefined) continue;
        const reading = p.endsWith("is not set") ? p : `${p} (${sw.reading})`;
        return env.conflicts.includes(sw.name)
            ? `${reading}; ${sw.name} is set more than once with different values and envs keeps no order, so this value may win`
            : reading;
    }
    return undefined;
}

/** Every value `key` may have (one per outcome, deduplicated; `undefined` when unset). */
export function valuesOf(env: ContainerEnv, key: string): (string | undefined)[] {
    return [...new Set(env.outcomes.map((o) => o(key)))];
}
