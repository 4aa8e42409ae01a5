/**
 * Environment switches read on Kubernetes: the value a container's process sees is what kubelet resolves
 * (@airlock/baseline resolveKubernetesEnv), read with the consumers' own reading (EnvSwitch). A value that comes
 * from a Secret, a ConfigMap or the downward API at runtime cannot be read by the pack, so a switch it decides is
 * unverifiable.
 */
import type { EnvSwitch, KubernetesEnv } from "@airlock/baseline";
import { switchCulprit } from "./env";

class OpaqueRead extends Error {
    constructor(readonly variable: string, readonly source: string) { super(variable); }
}

/** The consumers' reading of `env`, with opaque values raising {@link OpaqueRead}. */
function readingOf(env: KubernetesEnv) {
    return (name: string): string | undefined => {
        const v = env.lookup(name);
        if (v?.kind === "opaque") throw new OpaqueRead(name, v.source);
        return v?.value;
    };
}

/** Why `sw` is not in its secure state for the container, in its consumers' words (with their reading), or `undefined`. */
export function kubernetesSwitchProblem(env: KubernetesEnv, sw: EnvSwitch): string | undefined {
    try {
        const p = sw.problem(readingOf(env));
        if (p === undefined) return undefined;
        return p.endsWith("is not set") ? p : `${p} (${sw.reading})`;
    } catch (e) {
        if (e instanceof OpaqueRead) return `${e.variable} comes from ${e.source}, which the pack cannot read`;
        throw e;
    }
}

/** Reports every switch of `switches` that is not in its secure state. */
export function requireKubernetesSwitches(
    field: string, env: KubernetesEnv, switches: readonly EnvSwitch[], consequence: string, report: (m: string) => void,
): void {
    for (const sw of switches) {
        const p = kubernetesSwitchProblem(env, sw);
        if (p === undefined) continue;
        // The variable at fault leads the problem (`VLLM_DO_NOT_TRACK="0" overrides DO_NOT_TRACK …`, `X comes from …`).
        const culprit = switchCulprit(sw, p);
        const fix = culprit === undefined ? `set ${sw.name} to "${sw.secure}" with a literal value`
            : `set ${culprit} to "${sw.secure}" with a literal value (or remove it and set ${sw.name} to "${sw.secure}")`;
        if (env.fieldOf(sw.name) === "command") {
            report(`${field}.command/args: ${p} (an env wrapper or shell assignment in the command overrides env), so ${consequence}: ` +
                `remove the command's change to ${sw.name} and ${fix}.`);
        } else {
            report(`${field}.env: ${p}, so ${consequence}: ${fix}.`);
        }
    }
}
