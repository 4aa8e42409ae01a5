/**
 * Fail closed on unknowns. During preview a property computed from another resource's output holds an
 * unknown sentinel; reading it through the SDK's `unknownCheckingProxy` throws `UnknownValueError`, and
 * `server.js` turns that into an ADVISORY "can't run policy … during preview" diagnostic even for a mandatory
 * policy (crossguard.md 1.3) — the preview passes. These wrappers catch the error and report a violation at the
 * policy's own enforcement level instead, naming the field, so an insecure value cannot hide behind an Output.
 */
import type { ReportViolation, ResourceValidation, StackValidation } from "@pulumi/policy";
import { rememberAnalyzed } from "./analyzed";
import { isUnknownValueError } from "./sdk";

/** A property path as users write it: `["ports", "0", "ip"]` → `ports[0].ip`. */
export function formatPropertyPath(path: readonly PropertyKey[]): string {
    let out = "";
    for (const key of path) {
        const k = String(key);
        if (/^[0-9]+$/.test(k)) out += `[${k}]`;
        else out += out === "" ? k : `.${k}`;
    }
    return out === "" ? "(resource)" : out;
}

/** The violation message for a security-relevant field that is unknown at preview. */
export function unknownAtPreviewMessage(path: readonly PropertyKey[]): string {
    return `${formatPropertyPath(path)} is unknown at preview; security-relevant fields must be known before deployment — ` +
        "make it a plain value.";
}

/** The `__pulumiType` tag `validateResourceOfType` attaches so `server.js` can skip other types cheaply. */
interface Tagged { __pulumiType?: string }

/** Wraps a resource validation: an `UnknownValueError` becomes a violation; every other error propagates. */
export function failClosed(validate: ResourceValidation): ResourceValidation {
    const wrapped: ResourceValidation & Tagged = async (args, reportViolation) => {
        rememberAnalyzed(args.urn, args.props);
        try {
            await validate(args, reportViolation);
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            reportViolation(unknownAtPreviewMessage(e.props));
        }
    };
    // Keep the type tag, or the server would call the wrapper for every resource type.
    const tag = (validate as Tagged).__pulumiType;
    if (tag !== undefined) wrapped.__pulumiType = tag;
    return wrapped;
}

/**
 * Wraps a stack validation. Stack policies should call {@link checkEach} per resource so one unknown only
 * affects its own resource; this outer wrapper catches whatever escapes (e.g. while indexing resources).
 */
export function failClosedStack(validate: StackValidation): StackValidation {
    return async (args, reportViolation) => {
        try {
            await validate(args, reportViolation);
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            reportViolation(unknownAtPreviewMessage(e.props));
        }
    };
}

/** Runs `check` for each item; an unknown read while checking one item is reported against that item's URN. */
export function checkEach<T extends { readonly urn: string }>(
    items: readonly T[], reportViolation: ReportViolation, check: (item: T, report: (message: string) => void) => void,
): void {
    for (const item of items) {
        const report = (message: string): void => reportViolation(message, item.urn);
        try {
            check(item, report);
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            report(unknownAtPreviewMessage(e.props));
        }
    }
}
