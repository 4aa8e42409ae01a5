/**
 * Typed views of the two runtime helpers `@pulumi/policy` re-exports for test harnesses and fail-closed
 * wrappers (since 1.21.0). The package ships `proxy.d.ts` empty (the declarations are `@internal`), so the
 * re-exports type as `any`; this module gives them the shape they have in `proxy.js`.
 */
import * as policySdk from "@pulumi/policy";

/** What `proxy.js` throws when a policy reads a property whose value is unknown during preview. */
export interface UnknownValueErrorLike extends Error {
    /** The unknown sentinel found (string, number, boolean, array, object, asset or archive). */
    readonly unknownTypeSentinel: string;
    /** The property path read, e.g. `["ports", "0", "ip"]`. */
    readonly props: readonly PropertyKey[];
}

/** The SDK's `UnknownValueError` class (the one `server.js` checks with `instanceof`). */
export const UnknownValueError = policySdk.UnknownValueError as new (sentinel: string, props: PropertyKey[]) => UnknownValueErrorLike;

/** The SDK's `unknownCheckingProxy`: reading an unknown sentinel through it throws {@link UnknownValueError}. */
export const unknownCheckingProxy = policySdk.unknownCheckingProxy as <T extends object>(value: T) => T;

/** Whether `e` is the SDK's unknown-value error (by class, or by shape if two copies of the SDK are loaded). */
export function isUnknownValueError(e: unknown): e is UnknownValueErrorLike {
    if (e instanceof UnknownValueError) return true;
    return e instanceof Error && typeof (e as Partial<UnknownValueErrorLike>).unknownTypeSentinel === "string"
        && Array.isArray((e as Partial<UnknownValueErrorLike>).props);
}
