/**
 * Runs a Pulumi TypeScript program in-process, in preview mode, under a recording mock monitor: no engine,
 * no provider plugins, no cloud calls. Every registration is recorded as the engine would see it (type,
 * name, URN, parent, raw inputs with secret and unknown encodings, options, provider, dependencies).
 */
import Module from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { runInPulumiStack } from "@pulumi/pulumi/runtime/stack";
import { COMPUTED_AT_PREVIEW, autoName } from "./computed";
import { DEFAULT_REGION, type InvokeFixtures, type InvokeRecord, offlineAnswer, unansweredInvokeMessage } from "./invokes";
import { PROVIDER_CONSTRUCTED, kubernetesComputed } from "./kubernetes-invokes";
import { ProgramError } from "./program-error";
import { PLACEHOLDER_PREFIX } from "./project";
import { ensureTypeScriptLoader } from "./ts-loader";

export { ProgramError };

/** One registered resource, in the engine's view. */
export interface RecordedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly custom: boolean;
    readonly parent?: string;
    /** Inputs as serialized for the engine: secrets as signature objects, unknowns as sentinels (derived lazily). */
    readonly inputs: Record<string, unknown>;
    /** The same inputs as the protobuf Struct of the registration. */
    readonly properties: Struct;
    /** That Struct encoded: what the Analyzer requests carry, byte for byte. */
    readonly propertiesBytes: Uint8Array;
    /** The explicit provider reference (`<provider URN>::<id>`), when the program passed one. */
    readonly provider?: string;
    /** The version of the resource's package (what the engine names its default provider after). */
    readonly version?: string;
    /** A multi-language (remote) component: its provider plugin would register its children, which mocks cannot see. */
    readonly remote?: boolean;
    readonly dependencies: string[];
    readonly propertyDependencies: Record<string, string[]>;
    readonly options: {
        readonly protect: boolean;
        readonly ignoreChanges: string[];
        readonly deleteBeforeReplace: boolean;
        readonly additionalSecretOutputs: string[];
        readonly aliases: string[];
        readonly customTimeouts?: { create: string; update: string; delete: string };
    };
}

export interface ProgramRun {
    readonly resources: RecordedResource[];
    /** Stack outputs (unknown values resolve to undefined, as in preview). */
    readonly outputs: Record<string, unknown>;
    /** Required secrets that were not set and got a placeholder. */
    readonly placeholderSecrets: string[];
    /** Data-source invokes answered offline (placeholders, computed, fixtures), one per token and source. */
    readonly invokes: InvokeRecord[];
}

export interface RunOptions {
    readonly project: string;
    readonly stack: string;
    /** Absolute path of the program entry (file or directory with index.ts / package.json main). */
    readonly entry: string;
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
    /** The directory whose node_modules provides @pulumi/* (one SDK instance, so the mocks apply). */
    readonly sdkRoot: string;
    /** Called with each resource as it is registered (the plan streams them to the policy pack). */
    readonly onResource?: (resource: RecordedResource) => void;
    /** Results of data-source invokes by token (`--invoke-fixtures`). */
    readonly invokeFixtures?: InvokeFixtures;
}


const StructClass = (Module.createRequire(require.resolve("@pulumi/pulumi/package.json"))("google-protobuf/google/protobuf/struct_pb") as
    typeof import("google-protobuf/google/protobuf/struct_pb")).Struct;

/**
 * The URN the engine assigns (pkg/resource/urn.go NewURN): the parent's whole qualified type, `$`, the type — except
 * for children of the root stack, whose type stands alone. (The SDK's MockMonitor uses another scheme — only the
 * parent's last type, the stack included — which the plan overrides so its URNs are the ones `pulumi preview` shows.)
 */
export function engineUrn(stack: string, project: string, parent: string, type: string, name: string): string {
    const parentType = parent ? parent.split("::")[2]! : "";
    const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

class RecordingMonitor extends MockMonitor {
    public readonly recorded: RecordedResource[] = [];
    public onResource?: (resource: RecordedResource) => void;
    /** The root stack's outputs as registered (per key: a value still unknown at preview stays the unknown sentinel). */
    public stackOutputs?: Record<string, unknown>;

    override registerResourceOutputs(req: any, callback: (err: any, resp?: any) => void): void {
        if (String(req.getUrn()).includes("::pulumi:pulumi:Stack::")) this.stackOutputs = req.getOutputs()?.toJavaScript() as Record<string, unknown> | undefined;
        super.registerResourceOutputs(req, callback);
    }

    constructor(mocks: pulumi.runtime.Mocks) {
        super(mocks);
        // The engine's URNs, for the SDK (parents, references) and the recording alike. `newUrn` is private in the
        // SDK's typings but is the method MockMonitor calls for every registration, read and invoke.
        (this as unknown as { newUrn: (parent: string, type: string, name: string) => string }).newUrn =
            (parent, type, name) => engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
    }

    private urnOf(parent: string, type: string, name: string): string {
        return engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
    }

    override async registerResource(req: any, callback: (err: any, resp?: any) => void): Promise<void> {
        const urn = this.urnOf(req.getParent(), req.getType(), req.getName());
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((v: any, k: string) => { propertyDependencies[k] = v.getUrnsList(); });
        const timeouts = req.getCustomtimeouts();
        const properties: Struct = req.getObject() ?? new StructClass();
        let inputs: Record<string, unknown> | undefined;
        let bytes: Uint8Array | undefined;
        const resource: RecordedResource = {
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            parent: req.getParent() || undefined,
            // Converted only when output needs it: large plans would otherwise convert every resource twice.
            get inputs() { return (inputs ??= properties.toJavaScript() as Record<string, unknown>); },
            properties,
            get propertiesBytes() { return (bytes ??= properties.serializeBinary()); },
            provider: req.getProvider() || undefined,
            version: req.getVersion() || undefined,
            ...(req.getRemote() === true ? { remote: true } : {}),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            options: {
                protect: req.getProtect() === true,
                ignoreChanges: req.getIgnorechangesList(),
                deleteBeforeReplace: req.getDeletebeforereplace(),
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                aliases: req.getAliasurnsList(),
                ...(timeouts ? { customTimeouts: { create: timeouts.getCreate(), update: timeouts.getUpdate(), delete: timeouts.getDelete() } } : {}),
            },
        };
        this.recorded.push(resource);
        if (this.recorded.length === 1) timing("first registration");
        this.onResource?.(resource);
        // The mock runtime resolves everything through microtasks; yielding a macrotask per registration lets
        // I/O (the policy pack's port and gRPC replies) interleave with the program instead of waiting for its end.
        await new Promise<void>((resolve) => setImmediate(resolve));
        return super.registerResource(req, callback);
    }
}

const started = Date.now();
/** Milestones on stderr with AIRLOCK_TIMINGS=1 (for benchmarks), in ms since the CLI loaded this module. */
function timing(what: string): void {
    if (process.env.AIRLOCK_TIMINGS === "1") process.stderr.write(`timing: ${what} at ${Date.now() - started} ms\n`);
}

/** Route every `@pulumi/*` import of the program to one SDK copy, wherever the program lives. */
function pinPulumiResolution(sdkRoot: string): () => void {
    const mod = Module as unknown as { _resolveFilename: (request: string, parent: unknown, ...rest: unknown[]) => string };
    const original = mod._resolveFilename;
    const fromRoot = Module.createRequire(path.join(sdkRoot, "package.json"));
    mod._resolveFilename = function (request: string, parent: unknown, ...rest: unknown[]) {
        if (request.startsWith("@pulumi/")) {
            try { return fromRoot.resolve(request); } catch { /* fall through to the program's own copy */ }
        }
        return original.call(this, request, parent, ...rest);
    };
    return () => { mod._resolveFilename = original; };
}

/** Secrets the program requires but the stack file lacks are planned with a placeholder (and reported). */
function placeholderMissingSecrets(missing: Set<string>): () => void {
    const proto = pulumi.Config.prototype;
    const original = proto.requireSecret;
    const patched = function (this: pulumi.Config, key: string, opts?: unknown) {
        if (this.getSecret(key) === undefined) {
            const full = `${this.name}:${key}`;
            missing.add(full);
            return pulumi.secret(`${PLACEHOLDER_PREFIX}${full}`);
        }
        return original.call(this, key, opts as never);
    };
    proto.requireSecret = patched as typeof proto.requireSecret;
    return () => { proto.requireSecret = original; };
}

function errorMessage(err: unknown): string {
    if (err instanceof Error) {
        // RunError, ResourceError(hideStack) and ConfigMissingError are user errors: message only.
        return err.message;
    }
    return String(err);
}

/** Runs the program and returns what it registered. Throws {@link ProgramError} on a program failure. */
export async function runProgram(o: RunOptions): Promise<ProgramRun> {
    const missing = new Set<string>();
    const answered = new Map<string, InvokeRecord>();
    const unanswered = new Set<string>();
    // An invoke the plan cannot answer leaves the program waiting forever on the outputs derived from it: fail at once.
    let failEarly: (e: Error) => void = () => undefined;
    const early = new Promise<never>((_resolve, reject) => { failEarly = reject; });
    early.catch(() => undefined);
    const stackRegion = o.config["aws:region"] ?? DEFAULT_REGION;
    const recorder: { monitor?: RecordingMonitor } = {};
    /** The region of the provider an invoke goes through: its `region` input, else the stack's `aws:region`. */
    const regionOf = (providerRef: string | undefined): string => {
        if (!providerRef) return stackRegion;
        const urn = providerRef.slice(0, providerRef.lastIndexOf("::"));
        const region = recorder.monitor?.recorded.find((r) => r.urn === urn)?.inputs.region;
        return typeof region === "string" ? region : stackRegion;
    };
    const mocks: pulumi.runtime.Mocks = {
        newResource: (a) => {
            const urn = `urn:pulumi:${o.stack}::${o.project}::${a.type}::${a.name}`;
            const constructedByProvider = PROVIDER_CONSTRUCTED[a.type];
            if (constructedByProvider !== undefined) throw new Error(constructedByProvider);
            const extra = COMPUTED_AT_PREVIEW[a.type]?.(a.name, a.inputs, urn)
                ?? (a.custom ? kubernetesComputed(a.type, a.inputs, () => autoName(a.name, urn)) : {});
            // Preview: a new resource has no id yet; unlisted computed outputs stay unknown.
            return { id: undefined, state: { ...a.inputs, ...extra } };
        },
        call: (a) => {
            const answer = offlineAnswer(a.token, (a.inputs ?? {}) as Record<string, unknown>, regionOf(a.provider), o.invokeFixtures);
            if (answer !== undefined) {
                answered.set(`${answer.token} ${answer.source} ${JSON.stringify(answer.result)}`, answer);
                return answer.result;
            }
            unanswered.add(a.token);
            const message = unansweredInvokeMessage([a.token]);
            failEarly(new ProgramError(message));
            // The SDK reports an invoke failure from the gRPC error's `details`.
            throw Object.assign(new Error(message), { details: message });
        },
    };
    await pulumi.runtime.setMocks(mocks, o.project, o.stack, true);
    const monitor = new RecordingMonitor(mocks);
    recorder.monitor = monitor;
    monitor.onResource = o.onResource;
    settings.setMockOptions(monitor, o.project, o.stack, true);
    pulumi.runtime.setAllConfig(o.config, o.secretKeys);

    const failures: unknown[] = [];
    const onRejection = (reason: unknown) => { failures.push(reason); };
    process.on("unhandledRejection", onRejection);
    process.on("uncaughtException", onRejection);
    ensureTypeScriptLoader();
    // The SDK captures a stack trace for every internal promise (runtime/debuggable.ts): formatting them (and
    // mapping each through source maps) took most of a large plan (58 s for 1,000 servers). Plan reports
    // error messages, never stacks, so none are captured while the program runs.
    const sourceMaps = process.sourceMapsEnabled;
    const traceLimit = Error.stackTraceLimit;
    process.setSourceMapsEnabled(false);
    Error.stackTraceLimit = 0;
    const unpin = pinPulumiResolution(o.sdkRoot);
    const unpatch = placeholderMissingSecrets(missing);
    let outputs: Record<string, unknown> = {};
    try {
        const result = await Promise.race([early, runInPulumiStack(async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(o.entry);
            timing("program module loaded (synchronous part done)");
            const main = typeof program === "function" ? program : typeof program?.default === "function" ? program.default : undefined;
            return main ? await main() : program;
        })]);
        await settings.disconnect();
        // Like `pulumi preview`, show each output: known values as they are, the rest as unknown (the resolved
        // outputs object would be entirely undefined as soon as one value in it is unknown).
        outputs = (monitor.stackOutputs ?? result ?? {}) as Record<string, unknown>;
        timing(`program done (${monitor.recorded.length} registrations)`);
    } catch (err) {
        failures.unshift(err);
    } finally {
        process.setSourceMapsEnabled(sourceMaps);
        Error.stackTraceLimit = traceLimit;
        unpatch();
        unpin();
        // A failed program leaves rejections behind (e.g. the root stack's outputs) that surface a moment later:
        // they repeat the error already reported, so they are absorbed for a short while before letting go.
        setTimeout(() => {
            process.off("unhandledRejection", onRejection);
            process.off("uncaughtException", onRejection);
        }, 200).unref();
    }
    // A data source the plan cannot answer fails the program in many places at once (every output derived from it,
    // every promise left pending): one line names the cause instead.
    if (unanswered.size > 0) {
        // The outputs left pending are the cause's echo, not leaks worth the SDK's exit-time report.
        (debuggable as unknown as { leakedPromises?: () => unknown }).leakedPromises?.();
        throw new ProgramError(unansweredInvokeMessage([...unanswered]));
    }
    if (failures.length > 0) {
        const messages = [...new Set(failures.map(errorMessage))];
        throw new ProgramError(messages.join("\n"));
    }
    return { resources: monitor.recorded, outputs, placeholderSecrets: [...missing].sort(), invokes: [...answered.values()] };
}
