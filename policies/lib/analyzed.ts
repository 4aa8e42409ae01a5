/**
 * What a stack policy reads for a resource: the properties the pack analyzed it with (Analyze), not AnalyzeStack's.
 *
 * The engine hands Analyze a resource's *checked inputs* and AnalyzeStack its *outputs* (pkg/resource/deploy
 * step_generator.go, AnalyzeResources: "AnalyzeStack is called on the final outputs of each resource"). At preview a
 * new resource's outputs are the provider's planned state: every computed field the program left unset is unknown
 * (a container's `command`, `hostname`, `logDriver`; a network's `internal`), every unset optional field is `null`
 * and every unset list `[]`, and Terraform sets come back re-ordered. Read through the SDK's unknown-checking proxy,
 * a container that sets `entrypoints` but no `command` fails closed as "command is unknown" in a stack policy while
 * every resource policy reads the same container from its inputs; a network without `internal` reads as "unknown"
 * instead of "not internal"; `volumes[].fromContainer: null` reads as set. So the stack policies read every resource
 * as the pack analyzed it — one truth for both kinds of policy, and the same under `airlock plan`, which hands
 * AnalyzeStack the analyzed inputs. The engine calls Analyze for every resource before AnalyzeStack, in the same
 * pack process; a resource the pack never analyzed (a unit test calling validateStack alone) falls back to its stack
 * props. Found with the real engine (tests/engine/dev-stack.test.ts); docs/fidelity.md.
 */
import type { PolicyResource, ResourceValidation } from "@pulumi/policy";

const analyzed = new Map<string, unknown>();

/** Records the props Analyze gave a resource (every resource policy sees the same props; the latest call wins). */
export function rememberAnalyzed(urn: string, props: unknown): void {
    analyzed.set(urn, props);
}

/** The props the pack analyzed `r` with, or its stack props when it never analyzed it. */
export function analyzedProps<T>(r: Pick<PolicyResource, "urn" | "props">): T {
    return (analyzed.has(r.urn) ? analyzed.get(r.urn) : r.props) as T;
}

/** Forgets every recorded resource (a test harness that analyzes several stacks in one process). */
export function forgetAnalyzed(): void {
    analyzed.clear();
}

/**
 * A `validateResource` for the stack policies themselves (the SDK runs a policy's validateResource in Analyze and its
 * validateStack in AnalyzeStack): it reports nothing and records what Analyze saw for EVERY resource type — also for
 * types no resource policy checks (a docker.Network), which the fail-closed wrapper of the resource policies would
 * never see. No type tag, so the server calls it for every resource.
 */
export const recordAnalyzed: ResourceValidation = (args) => {
    rememberAnalyzed(args.urn, args.props);
};
