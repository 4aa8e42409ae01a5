/**
 * A speed-up for the pack process: `@pulumi/policy`'s server deserializes the request's properties once per
 * policy (server.js: `deserializeProperties(req.getProperties(), false)` inside the per-policy loop), so a
 * container checked by 25 policies is converted from protobuf 25 times — most of the pack's time on large
 * stacks. Within one request the result is the same, so it is computed once per `Struct` (jspb hands out the
 * same wrapper object for every `getProperties()` call of a request).
 *
 * Policies receive their own `unknownCheckingProxy` over the shared object and only read it (the tests run
 * every policy through the unpatched SDK path too). The patch is skipped when the SDK changes shape.
 */
import * as deserialize from "@pulumi/policy/deserialize";

type Deserialize = (struct: object, proxySecrets: boolean) => Record<string, unknown>;

/** Installs the memoization; returns whether it is active. */
export function memoizeDeserialization(): boolean {
    const mod = deserialize as unknown as { deserializeProperties?: Deserialize; __airlockMemoized?: boolean };
    if (typeof mod.deserializeProperties !== "function") return false;
    if (mod.__airlockMemoized) return true;
    const original = mod.deserializeProperties;
    const cache = new WeakMap<object, Record<string, unknown>>();
    mod.deserializeProperties = (struct, proxySecrets) => {
        // Remediation (proxySecrets=true) may write to its copy: never shared.
        if (proxySecrets || struct === null || typeof struct !== "object") return original(struct, proxySecrets);
        let props = cache.get(struct);
        if (!props) {
            props = original(struct, false);
            cache.set(struct, props);
        }
        return props;
    };
    mod.__airlockMemoized = true;
    return true;
}
