/**
 * A container's environment as its consumers will see it. pulumi-docker's `envs` is a set (the provider does
 * not keep its order), so a key set twice with different values may end up with either: every reading below
 * considers each possible outcome and reports the worst.
 */
import {
    type EnvEntry, type EnvLookup, type EnvSwitch, conflictingEnvKeys, envLookup, parseEnvList,
} from "@airlock/baseline";
import { type EnvChange, argvEnvChanges, argvOf } from "./argv";

export type { EnvEntry };
export { parseEnvList as parseEnvs };

/** The parsed env of a container: its entries, the keys set twice with different values, and every possible outcome. */
export interface ContainerEnv {
    readonly entries: readonly EnvEntry[];
    /** Keys the command line sets or unsets after `envs` (an `env` wrapper, a shell assignment): they win. */
    readonly fromCommandLine: ReadonlySet<string>;
    /** Whether the command line starts the program with an empty environment (`env -i`). */
    readonly clearedByCommandLine: boolean;
    readonly conflicts: readonly string[];
    /** One lookup per combination of the conflicting keys' values (one lookup without conflicts). */
    readonly outcomes: readonly EnvLookup[];
}

/** At most this many outcomes are enumerated; beyond it the env is unverifiable anyway (reported as conflicts). */
const MAX_OUTCOMES = 64;

export function readEnv(envs: readonly unknown[] | undefined, changes: readonly EnvChange[] = []): ContainerEnv {
    let entries = parseEnvList(envs);
    const fromCommandLine = new Set<string>();
    let clearedByCommandLine = false;
    for (const ch of changes) {
        if (ch.kind === "clear") { entries = []; clearedByCommandLine = true; continue; }
        entries = entries.filter((e) => e.key !== ch.key);
        fromCommandLine.add(ch.key);
        if (ch.kind === "set") entries.push({ key: ch.key, value: ch.value, index: -1 });
    }
    const conflicts = conflictingEnvKeys(entries);
    let outcomes: EnvLookup[] = [envLookup(entries)];
    for (const key of conflicts) {
        const values = [...new Set(entries.filter((e) => e.key === key).map((e) => e.value))];
        outcomes = outcomes.flatMap((base) => values.map((v): EnvLookup => (k) => (k === key ? v : base(k)))).slice(0, MAX_OUTCOMES);
    }
    return { entries, fromCommandLine, clearedByCommandLine, conflicts, outcomes };
}

/** A container's env as its program gets it: `envs`, then what its command line changes (see {@link argvEnvChanges}). */
export function readContainerEnv(c: { readonly envs?: readonly unknown[]; readonly entrypoints?: readonly unknown[]; readonly command?: readonly unknown[] }): ContainerEnv {
    return readEnv(c.envs, argvEnvChanges(argvOf(c)));
}

/** Where a message says `key` was read from. */
export function envSource(env: ContainerEnv, key: string): string {
    if (env.fromCommandLine.has(key)) return "the command line (an env wrapper or shell assignment, which overrides envs)";
    return env.clearedByCommandLine ? "the command line (env -i starts the program with an empty environment)" : "envs";
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

/**
 * The variable a switch's problem is about when it is not the switch itself: a problem leads with the variable at
 * fault (`VLLM_DO_NOT_TRACK="0" overrides DO_NOT_TRACK …`), so the fix names that one.
 */
export function switchCulprit(sw: EnvSwitch, problem: string): string | undefined {
    const culprit = /^[A-Za-z_][A-Za-z0-9_]*/.exec(problem)?.[0];
    return culprit === undefined || culprit === sw.name ? undefined : culprit;
}
