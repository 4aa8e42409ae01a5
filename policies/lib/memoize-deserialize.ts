/**
 * A speed-up for the pack process: `@pulumi/policy`'s server deserializes the request's properties once per
 * policy (server.js: `deserializeProperties(req.getProperties(), false)` inside the per-policy loop), so a
 * container checked by 35 policies is converted from protobuf 35 times — most of the pack's time on large
 * stacks. Within one request the result is the same, so it is computed once per `Struct` (jspb hands out the
 * same wrapper object for every `getProperties()` call of a request).
 *
 * The shared object is handed out behind a read-only view: a policy that writes to (or deletes from) its props
 * throws instead of changing what the next policy sees. The view is a Proxy rather than `Object.freeze`, because
 * the SDK's `unknownCheckingProxy` returns wrapped values for nested objects, which a frozen (non-configurable)
 * property forbids. The patch is skipped when the SDK changes shape.
 */

/**
 * The SDK's module object itself (a CommonJS `require`, not an `import * as` namespace, which a bundler may turn
 * into a read-only copy): the patch replaces its `deserializeProperties`, which server.js calls through it.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deserialize: unknown = require("@pulumi/policy/deserialize");

type Deserialize = (struct: object, proxySecrets: boolean) => Record<string, unknown>;

/** What a policy gets when it writes to shared props. */
export class SharedPropsWriteError extends TypeError {
    constructor(key: PropertyKey) {
        super(`a policy tried to change the resource's properties (${String(key)}); policies only read them ` +
            "(the pack shares one deserialized copy between its policies)");
        this.name = "SharedPropsWriteError";
    }
}

const views = new WeakMap<object, object>();

/** A read-only view of `value` (nested objects and arrays too); primitives are returned as they are. */
export function readOnlyView<T>(value: T): T {
    if (value === null || typeof value !== "object") return value;
    const target = value as unknown as object;
    const existing = views.get(target);
    if (existing) return existing as T;
    const view = new Proxy(target, {
        get: (t, key, receiver) => readOnlyView(Reflect.get(t, key, receiver)),
        set: (_t, key) => { throw new SharedPropsWriteError(key); },
        defineProperty: (_t, key) => { throw new SharedPropsWriteError(key); },
        deleteProperty: (_t, key) => { throw new SharedPropsWriteError(key); },
        setPrototypeOf: () => { throw new SharedPropsWriteError("prototype"); },
    });
    views.set(target, view);
    return view as T;
}

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
            props = readOnlyView(original(struct, false));
            cache.set(struct, props);
        }
        return props;
    };
    mod.__airlockMemoized = true;
    return true;
}
