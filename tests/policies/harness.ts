/**
 * An in-process analyzer that runs the pack's policies the way `@pulumi/policy`'s `server.js` does for
 * `Analyze` and `AnalyzeStack`, without gRPC:
 *  - props go through the real wire path: JSON-cleaned → `google.protobuf.Struct` → the SDK's own
 *    `deserializeProperties(struct, false)` (secrets unwrapped, unknown sentinels kept as strings) →
 *    `unknownCheckingProxy`, so reading an unknown throws `UnknownValueError` exactly as in a preview;
 *  - the config a policy sees is what the CLI would send in `Configure`: schema defaults, then the config file
 *    ("all", then per-policy entries) — {@link reconcilePolicyConfig}; `getConfig()` returns its properties;
 *  - effective level = configured level || policy level || pack level; "disabled" skips; "remediate" reports
 *    as mandatory; a single validation tagged with `__pulumiType` is skipped for other types (not applicable);
 *  - errors: `UnknownValueError` → an ADVISORY "can't run policy … during preview" diagnostic (the SDK's
 *    silent downgrade, which our fail-closed wrappers must pre-empt), `args.notApplicable()` → not applicable,
 *    anything else → the analysis rejects (the server returns a gRPC error);
 *  - stack policies get `PolicyResource[]` with `parent`/`dependencies` resolved from URNs. In a preview the
 *    engine passes outputs that equal the inputs for resources being created, so fixtures give inputs.
 * Violation `message` is the text a policy reported; the server's diagnostic prefixes it with
 * `<description>\n` (see {@link diagnosticText}).
 */
import type {
    EnforcementLevel, PolicyResource, PolicyResourceOptions, ReportViolation, ResourceValidation, ResourceValidationArgs,
    StackValidationArgs,
} from "@pulumi/policy";
import * as proxyModule from "@pulumi/policy/proxy";
import * as deserializeModule from "@pulumi/policy/deserialize";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as fs from "node:fs";
import * as path from "node:path";
import { PACK_ENFORCEMENT_LEVEL, PACK_NAME, allPolicies } from "../../policies/all";
import { forgetAnalyzed } from "../../policies/lib/analyzed";
import { readOnlyView } from "../../policies/lib/memoize-deserialize";
import { type PolicyPackConfigFile, type ReconciledPolicyConfig, reconcilePolicyConfig } from "../../policies/lib/pack-config";
import { isUnknownValueError, unknownCheckingProxy } from "../../policies/lib/sdk";
import { type AirlockPolicy, isStackPolicy } from "../../policies/lib/types";

const deserializeProperties = (deserializeModule as unknown as {
    deserializeProperties(props: Struct, proxySecrets: boolean): Record<string, unknown>;
}).deserializeProperties;

const sentinels = proxyModule as unknown as Record<
    "unknownStringValue" | "unknownNumberValue" | "unknownBooleanValue" | "unknownArrayValue" | "unknownObjectValue", string>;

/** The engine's unknown sentinels (crossguard.md 1.3), taken from the SDK so they cannot drift. */
export const UNKNOWN = {
    string: sentinels.unknownStringValue,
    number: sentinels.unknownNumberValue,
    boolean: sentinels.unknownBooleanValue,
    array: sentinels.unknownArrayValue,
    object: sentinels.unknownObjectValue,
} as const;

/** A value as the engine sends a Pulumi secret: `{ <sig key>: <secret sig>, value }`. */
export const secret = <T>(value: T): T => ({ [specialSigKey]: specialSecretSig, value }) as unknown as T;

/** Pack version, as `server.js` prints it in "can't run policy … from policy pack 'airlock@v<version>'". */
const PACK_VERSION = (JSON.parse(fs.readFileSync(path.join(__dirname, "../../policies/package.json"), "utf8")) as { version: string }).version;

export interface FixtureResource {
    /** Type token, e.g. `DOCKER_TYPES.container`. */
    readonly type: string;
    /** Logical name (URN name). */
    readonly name: string;
    /** Inputs: what Analyze receives (the provider's checked inputs). */
    readonly props: Record<string, unknown>;
    /**
     * What AnalyzeStack receives, when it differs from `props`: the engine hands stack policies each resource's
     * outputs (at preview: the provider's planned state, computed fields unknown). @default props
     */
    readonly stackProps?: Record<string, unknown>;
    readonly opts?: { readonly additionalSecretOutputs?: readonly string[]; readonly protect?: boolean };
    /** URN of the parent resource, if any. */
    readonly parent?: string;
    /** The explicit provider the resource is bound to (e.g. a second Docker host); absent = the default provider. */
    readonly provider?: { readonly name: string; readonly type: string; readonly props: Record<string, unknown> };
    readonly dependencies?: readonly string[];
    /** Per property, the URNs its value was computed from (what the engine sends stack policies). */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface Violation {
    readonly policy: string;
    /** The resource's URN (resource policies) or the URN the stack policy reported (may be ""). */
    readonly urn: string;
    readonly enforcementLevel: EnforcementLevel;
    readonly message: string;
}

export interface AnalysisResult {
    readonly violations: Violation[];
    /** `policy name → reason` per URN for policies that reported themselves not applicable. */
    readonly notApplicable: { readonly urn: string; readonly policy: string; readonly reason: string }[];
}

export interface AnalyzeOptions {
    /** Policies to run. @default allPolicies */
    readonly policies?: readonly AirlockPolicy[];
    /**
     * When false, `getConfig()` returns only what the file sets (no schema defaults), as with an analyzer client
     * that skips the CLI's reconciliation; proves the pack defaults itself. @default true
     */
    readonly applySchemaDefaults?: boolean;
}

/** The URN the engine would give `r` (stack "test", project "airlock"; no parent type chain). */
export const urnOf = (r: Pick<FixtureResource, "type" | "name">): string => `urn:pulumi:test::airlock::${r.type}::${r.name}`;

/** The full diagnostic text the server sends for a violation (`description + "\n" + message`). */
export function diagnosticText(v: Violation, policies: readonly AirlockPolicy[] = allPolicies): string {
    const p = policies.find((x) => x.name === v.policy);
    return p ? `${p.description}\n${v.message}` : v.message;
}

class NotApplicable extends Error {
    constructor(readonly reason: string) { super(reason); }
}

/** Pulumi serialisation drops undefined properties (and sends undefined array elements as null). */
function toWire(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : toWire(v)));
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toWire(v)]));
    }
    return value;
}

/** Props exactly as a policy receives them. */
export function deserialized(props: Record<string, unknown>): Record<string, unknown> {
    const struct = Struct.fromJavaScript(toWire(props) as Parameters<typeof Struct.fromJavaScript>[0]);
    return unknownCheckingProxy(deserializeProperties(struct, false));
}

/** The provider as the server hands it to policies (`PolicyProviderResource`). */
function providerOf(r: FixtureResource): ResourceValidationArgs["provider"] {
    if (!r.provider) return undefined;
    return { type: r.provider.type, name: r.provider.name, urn: urnOf(r.provider), props: deserialized(r.provider.props) };
}

function optionsOf(r: FixtureResource): PolicyResourceOptions {
    return {
        protect: r.opts?.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [...(r.opts?.additionalSecretOutputs ?? [])],
        ...(r.parent ? { parent: r.parent } : {}),
    };
}

const typeOf = (cls: unknown): string | undefined => {
    const t = (cls as { __pulumiType?: unknown } | undefined)?.__pulumiType;
    return typeof t === "string" ? t : undefined;
};

function isTypeOf(type: string, resourceClass: unknown): boolean {
    const t = typeOf(resourceClass);
    if (t !== undefined) return t === type;
    const isInstance = (resourceClass as { isInstance?: (o: unknown) => boolean }).isInstance;
    return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

/** Runs the policies over `resources` with `policyConfig` (a `--policy-pack-config` file's content). */
export async function analyze(
    resources: readonly FixtureResource[], policyConfig: PolicyPackConfigFile = {}, options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
    const policies = options.policies ?? allPolicies;
    // One analysis = one pack process: what Analyze saw (policies/lib/analyzed.ts) starts empty.
    forgetAnalyzed();
    const reconciled = reconcilePolicyConfig(policies, policyConfig, PACK_ENFORCEMENT_LEVEL);
    const fileOnly = options.applySchemaDefaults === false ? reconcilePolicyConfig(
        policies.map((p) => ({ name: p.name, enforcementLevel: p.enforcementLevel })), policyConfig, PACK_ENFORCEMENT_LEVEL) : undefined;
    const violations: Violation[] = [];
    const notApplicable: AnalysisResult["notApplicable"] = [];

    const configOf = (p: AirlockPolicy): ReconciledPolicyConfig => (fileOnly ?? reconciled)[p.name]!;
    const levelOf = (p: AirlockPolicy): EnforcementLevel => {
        const level = configOf(p).enforcementLevel;
        return level === "remediate" ? "mandatory" : level;
    };
    const getConfigOf = (p: AirlockPolicy) => <T extends object>(): T => structuredClone(configOf(p).properties) as T;
    const reporter = (p: AirlockPolicy, defaultUrn: string, stack: boolean): ReportViolation => (message, urn) => {
        violations.push({ policy: p.name, urn: stack ? urn ?? "" : defaultUrn, enforcementLevel: levelOf(p), message });
    };
    const handle = (p: AirlockPolicy, urn: string, e: unknown): void => {
        if (isUnknownValueError(e)) {
            violations.push({
                policy: p.name, urn, enforcementLevel: "advisory",
                message: `can't run policy '${p.name}' from policy pack '${PACK_NAME}@v${PACK_VERSION}' during preview: ${e.message}`,
            });
        } else if (e instanceof NotApplicable) {
            notApplicable.push({ urn, policy: p.name, reason: e.reason });
        } else {
            throw new Error(`Error validating resource with policy '${p.name}': ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
    };
    const throwNotApplicable = (reason?: string): never => { throw new NotApplicable(reason ?? "Policy does not apply"); };

    // Analyze: one call per resource, every resource policy. Like the pack process (policies/lib/memoize-deserialize.ts),
    // the props are deserialized once per resource and shared by the policies; the guard below proves no policy
    // writes to them, so this path and the SDK's per-policy deserialization give the same results.
    for (const r of resources) {
        const urn = urnOf(r);
        const shared = readOnlyView(deserializeProperties(Struct.fromJavaScript(toWire(r.props) as Parameters<typeof Struct.fromJavaScript>[0]), false));
        const before = JSON.stringify(shared);
        for (const p of policies) {
            if (isStackPolicy(p) || configOf(p).enforcementLevel === "disabled") continue;
            const validations: ResourceValidation[] = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
            const tag = Array.isArray(p.validateResource) ? undefined : typeOf(p.validateResource);
            if (tag !== undefined && tag !== r.type) {
                notApplicable.push({ urn, policy: p.name, reason: `Policy only applies to resources of type '${tag}'` });
                continue;
            }
            for (const validation of validations) {
                try {
                    const props = unknownCheckingProxy(shared);
                    const args: ResourceValidationArgs = {
                        type: r.type, props, urn, name: r.name, opts: optionsOf(r), provider: providerOf(r), stackTags: new Map(),
                        isType: (cls) => isTypeOf(r.type, cls),
                        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
                        getConfig: getConfigOf(p),
                        notApplicable: throwNotApplicable,
                    };
                    await validation(args, reporter(p, urn, false));
                } catch (e) {
                    handle(p, urn, e);
                }
            }
        }
        if (JSON.stringify(shared) !== before) throw new Error(`a policy wrote to the props of ${urn}; policies must only read them`);
    }

    // AnalyzeStack: once, every stack policy, over all resources.
    for (const p of policies) {
        if (!isStackPolicy(p) || configOf(p).enforcementLevel === "disabled") continue;
        try {
            const byUrn = new Map<string, PolicyResource>();
            const built = resources.map((r) => {
                const props = deserialized(r.stackProps ?? r.props);
                const resource: PolicyResource = {
                    type: r.type, props, urn: urnOf(r), name: r.name, opts: optionsOf(r), provider: providerOf(r), dependencies: [], propertyDependencies: {},
                    isType: (cls) => isTypeOf(r.type, cls),
                    asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
                };
                byUrn.set(resource.urn, resource);
                return { resource, r };
            });
            for (const { resource, r } of built) {
                const parent = r.parent ? byUrn.get(r.parent) : undefined;
                if (parent) resource.parent = parent;
                resource.dependencies = (r.dependencies ?? []).map((d) => byUrn.get(d)).filter((d): d is PolicyResource => d !== undefined);
                resource.propertyDependencies = Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, urns]) =>
                    [k, urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => d !== undefined)]));
            }
            const args: StackValidationArgs = {
                resources: built.map((b) => b.resource), getConfig: getConfigOf(p), stackTags: new Map(), notApplicable: throwNotApplicable,
            };
            await p.validateStack(args, reporter(p, "", true));
        } catch (e) {
            handle(p, "", e);
        }
    }
    return { violations, notApplicable };
}

/** The violations {@link analyze} finds. */
export async function analyzeResources(
    resources: readonly FixtureResource[], policyConfig: PolicyPackConfigFile = {}, options: AnalyzeOptions = {},
): Promise<Violation[]> {
    return (await analyze(resources, policyConfig, options)).violations;
}
