/** Collect-then-throw validation for component args (STYLE.md): every problem at once, no stack trace. */
import * as pulumi from "@pulumi/pulumi";
import { COMMIT_SHA, HUB_ID, RESOURCE_NAME } from "@airlock/baseline";

export type Problem = pulumi.InputPropertyErrorDetails | undefined;

export const collect = (...ps: Problem[]): pulumi.InputPropertyErrorDetails[] =>
    ps.filter((p): p is pulumi.InputPropertyErrorDetails => p !== undefined);

/** Throws one `ResourceError` (hideStack) attached to the component when there are problems. */
export function throwIfInvalid(self: pulumi.Resource, title: string, problems: readonly pulumi.InputPropertyErrorDetails[]): void {
    if (problems.length === 0) return;
    throw new pulumi.ResourceError(`${title}:\n${problems.map((p) => `  - ${p.propertyPath}: ${p.reason}`).join("\n")}`, self, true);
}

/** A problem when `value` is not a whole number in [min, max]. */
export function intInRange(propertyPath: string, value: number, min: number, max: number): Problem {
    return Number.isInteger(value) && value >= min && value <= max
        ? undefined : { propertyPath, reason: `must be a whole number ${min}–${max}, got ${value}` };
}

/** A problem when `value` does not match `pattern`. */
export function matches(propertyPath: string, value: string, pattern: RegExp, what: string): Problem {
    return pattern.test(value) ? undefined : { propertyPath, reason: `must be ${what}, got ${JSON.stringify(value)}` };
}

/** The problems of a model a ModelStore stages: its name, `hub id @ commit`, and its tokenizer's, when it has one. */
export function modelProblems(m: {
    readonly name: string; readonly hubId: string; readonly revision: string;
    readonly tokenizer?: { readonly hubId: string; readonly revision: string } | undefined;
}): Problem[] {
    return [
        matches("model.name", m.name, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'"),
        matches("model.hubId", m.hubId, HUB_ID, "a Hugging Face repo id 'org/name'"),
        matches("model.revision", m.revision, COMMIT_SHA, "a 40-character hex commit SHA"),
        m.tokenizer ? matches("model.tokenizer.hubId", m.tokenizer.hubId, HUB_ID, "a Hugging Face repo id 'org/name'") : undefined,
        m.tokenizer ? matches("model.tokenizer.revision", m.tokenizer.revision, COMMIT_SHA, "a 40-character hex commit SHA") : undefined,
    ];
}

