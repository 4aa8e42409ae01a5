/**
 * Runs a CrossGuard policy pack the way `pulumi preview --policy-pack DIR` does: the pack is started as its
 * own process through @pulumi/pulumi's `run-policy-pack` (cwd = the pack, ts-node, the port on the first
 * stdout line), then driven over the Analyzer gRPC protocol: GetAnalyzerInfo, reconciled Configure,
 * ConfigureStack, Remediate + Analyze per resource, AnalyzeStack once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as fs from "node:fs";
import Module from "node:module";
import * as path from "node:path";
import type * as grpcTypes from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { type EnforcementLevel, type PolicyMeta, PolicyConfigError, parsePolicyConfigFile, reconcilePolicyConfig } from "@airlock/policy-config";
import { checkedInputs } from "./provider-defaults";
import type { Violation } from "./render";
import type { RecordedResource } from "./run-program";

// The protobuf and gRPC runtimes the generated stubs were built against (one copy, no version skew).
const fromSdk = Module.createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = fromSdk("@grpc/grpc-js") as typeof grpcTypes;
const { Struct } = fromSdk("google-protobuf/google/protobuf/struct_pb") as typeof import("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromSdk("google-protobuf/google/protobuf/empty_pb") as typeof import("google-protobuf/google/protobuf/empty_pb");

export class PolicyPackError extends Error {
    constructor(message: string) { super(message); this.name = "PolicyPackError"; }
}

export interface SessionOptions {
    readonly packDir: string;
    readonly configFile?: string;
    readonly project: string;
    readonly stack: string;
    /** Stack config (`ns:key` → value), visible to the pack as the CLI passes it. */
    readonly config: Record<string, string>;
    /** Seconds to wait for the pack to print its port. @default 120 */
    readonly startTimeoutSec?: number;
}

export interface AnalyzeResult {
    readonly pack: string;
    readonly version: string;
    readonly violations: Violation[];
}

/** Appends a length-delimited field (wire type 2) to an encoded message: protobuf fields may come in any order. */
export function appendBytesField(message: Uint8Array, fieldNo: number, payload: Uint8Array): Uint8Array {
    const head = lengthDelimitedHeader(fieldNo, payload.length);
    const out = new Uint8Array(message.length + head.length + payload.length);
    out.set(message, 0);
    out.set(head, message.length);
    out.set(payload, message.length + head.length);
    return out;
}

function lengthDelimitedHeader(fieldNo: number, length: number): Uint8Array {
    const bytes: number[] = [];
    for (let n of [(fieldNo << 3) | 2, length]) {
        while (n > 0x7f) { bytes.push((n & 0x7f) | 0x80); n >>>= 7; }
        bytes.push(n);
    }
    return Uint8Array.from(bytes);
}

/** A repeated message field (`fieldNo`) made of already-encoded messages, as one encoded message. */
export function repeatedField(fieldNo: number, items: readonly Uint8Array[]): Uint8Array {
    const heads = items.map((i) => lengthDelimitedHeader(fieldNo, i.length));
    const out = new Uint8Array(items.reduce((n, i, k) => n + heads[k]!.length + i.length, 0));
    let at = 0;
    items.forEach((i, k) => { out.set(heads[k]!, at); at += heads[k]!.length; out.set(i, at); at += i.length; });
    return out;
}

/** Analyze calls in flight at once: enough to keep the pack busy while this process runs the program. */
const MAX_IN_FLIGHT = 32;

const LEVELS: Record<number, EnforcementLevel> = {
    [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
    [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};
const TO_PROTO: Record<EnforcementLevel, analyzerpb.EnforcementLevel> = {
    advisory: analyzerpb.EnforcementLevel.ADVISORY,
    mandatory: analyzerpb.EnforcementLevel.MANDATORY,
    disabled: analyzerpb.EnforcementLevel.DISABLED,
    remediate: analyzerpb.EnforcementLevel.REMEDIATE,
};

interface RunningPack { readonly child: ChildProcess; readonly port: number; readonly stderr: () => string }

/** Every pack process still running; killed when this process exits, whatever path it takes (no orphans). */
const livePacks = new Set<ChildProcess>();
process.on("exit", () => { for (const child of livePacks) child.kill("SIGKILL"); });

/** Starts the pack exactly as the Node language host does and reads the port it prints. */
function startPack(packDir: string, o: SessionOptions): Promise<RunningPack> {
    const runner = (() => {
        for (const from of [packDir, __dirname]) {
            try { return Module.createRequire(path.join(from, "noop.js")).resolve("@pulumi/pulumi/cmd/run-policy-pack"); } catch { /* next */ }
        }
        throw new PolicyPackError(`Cannot find @pulumi/pulumi from ${packDir}; run \`npm ci\` (or install the pack's dependencies).`);
    })();
    // Linux caps one environment string at 128 KiB (MAX_ARG_STRLEN); a larger config reaches the pack through
    // ConfigureStack only, as it does for packs that read no config from the environment.
    const configJson = JSON.stringify(o.config);
    const configEnv = configJson.length <= 96 * 1024 ? { PULUMI_CONFIG: configJson } : {};
    if (!("PULUMI_CONFIG" in configEnv)) {
        process.stderr.write(`warning: the stack config (${Math.round(configJson.length / 1024)} KiB) is too large for the policy pack's environment; the pack receives it through ConfigureStack only\n`);
    }
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
        cwd: packDir,
        stdio: ["ignore", "pipe", "pipe"],
        env: {
            ...process.env,
            PULUMI_NODEJS_TYPESCRIPT: "true",
            PULUMI_NODEJS_PROJECT: o.project,
            PULUMI_NODEJS_STACK: o.stack,
            PULUMI_NODEJS_ORGANIZATION: "organization",
            PULUMI_NODEJS_DRY_RUN: "true",
            ...configEnv,
        },
    });
    livePacks.add(child);
    child.once("exit", () => livePacks.delete(child));
    let stderr = "";
    child.stderr!.on("data", (d: Buffer) => { stderr += d.toString(); if (stderr.length > 64_000) stderr = stderr.slice(-64_000); });
    return new Promise((resolve, reject) => {
        let stdout = "";
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new PolicyPackError(`Policy pack ${packDir} did not print its port within ${o.startTimeoutSec ?? 120}s.\n${stderr.trim()}`));
        }, (o.startTimeoutSec ?? 120) * 1000);
        const onData = (d: Buffer) => {
            stdout += d.toString();
            const nl = stdout.indexOf("\n");
            if (nl < 0) return;
            clearTimeout(timer);
            child.stdout!.off("data", onData);
            child.stdout!.resume();
            const line = stdout.slice(0, nl).replace(/[\x00-\x1f\s]/g, "");
            const port = Number(line);
            if (!Number.isInteger(port) || port < 1 || port > 65535) {
                child.kill("SIGKILL");
                reject(new PolicyPackError(`Policy pack ${packDir} printed ${JSON.stringify(line)} instead of a port (a policy must not write to stdout at import time).`));
                return;
            }
            resolve({ child, port, stderr: () => stderr });
        };
        child.stdout!.on("data", onData);
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            reject(new PolicyPackError(`Policy pack ${packDir} exited (${signal ?? `code ${code}`}) before serving:\n${stderr.trim()}`));
        });
    });
}

function call<Req, Res>(fn: (req: Req, cb: (err: grpcTypes.ServiceError | null, res: Res) => void) => unknown, req: Req): Promise<Res> {
    return new Promise((resolve, reject) => { fn(req, (err, res) => (err ? reject(err) : resolve(res))); });
}

/** Tolerates UNIMPLEMENTED, as the engine does for optional RPCs. */
async function optional<Res>(p: Promise<Res>): Promise<Res | undefined> {
    try { return await p; } catch (e) {
        if ((e as grpcTypes.ServiceError).code === grpc.status.UNIMPLEMENTED) return undefined;
        throw e;
    }
}

function policyMetas(info: analyzerpb.AnalyzerInfo): PolicyMeta[] {
    return info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
            name: p.getName(),
            enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
            ...(schema ? { configSchema: { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, never>, required: schema.getRequiredList() } } : {}),
        };
    });
}

function initialConfig(info: analyzerpb.AnalyzerInfo) {
    const out: Record<string, { enforcementLevel?: EnforcementLevel; properties: Record<string, unknown> }> = {};
    info.getInitialconfigMap().forEach((c, name) => {
        out[name] = { enforcementLevel: LEVELS[c.getEnforcementlevel()], properties: (c.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown> };
    });
    return out;
}

/** The engine's name for the default provider of a package version: `default_5_2_0` (`.` and `-` become `_`). */
export function defaultProviderName(version: string | undefined): string {
    return version ? `default_${version.replace(/[.\-+]/g, "_")}` : "default";
}

/**
 * The default provider a resource uses, as the engine describes it (`pulumi:providers:<pkg>::default_<version>`,
 * with the stack config of that package as its properties).
 */
function defaultProvider(type: string, version: string | undefined, o: SessionOptions): analyzerpb.AnalyzerProviderResource | undefined {
    const pkg = type.split(":")[0];
    if (!pkg || pkg === "pulumi") return undefined;
    const props = defaultProviderInputs(pkg, version, o);
    const name = defaultProviderName(version);
    const p = new analyzerpb.AnalyzerProviderResource();
    p.setType(`pulumi:providers:${pkg}`);
    p.setName(name);
    p.setUrn(`urn:pulumi:${o.stack}::${o.project}::pulumi:providers:${pkg}::${name}`);
    p.setProperties(Struct.fromJavaScript(props as never));
    return p;
}

/** The inputs of the engine's default provider: the stack config of its package, and its version. */
function defaultProviderInputs(pkg: string, version: string | undefined, o: SessionOptions): Record<string, unknown> {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(o.config)) if (k.startsWith(`${pkg}:`)) props[k.slice(pkg.length + 1)] = v;
    if (version) props.version = version;
    return props;
}

/**
 * The default provider as a resource of its own: the engine registers it before the first resource that needs it and
 * hands it to the pack like any other resource (Analyze and AnalyzeStack), with its inputs as properties.
 */
export function defaultProviderResource(type: string, version: string | undefined, o: SessionOptions): RecordedResource | undefined {
    const pkg = type.split(":")[0];
    if (!pkg || pkg === "pulumi") return undefined;
    const name = defaultProviderName(version);
    const properties = Struct.fromJavaScript(defaultProviderInputs(pkg, version, o) as never);
    return {
        urn: `urn:pulumi:${o.stack}::${o.project}::pulumi:providers:${pkg}::${name}`, type: `pulumi:providers:${pkg}`, name, custom: true,
        inputs: properties.toJavaScript() as Record<string, unknown>, properties, propertiesBytes: properties.serializeBinary(),
        version, dependencies: [], propertyDependencies: {},
        options: { protect: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], aliases: [] },
    };
}

/**
 * What the pack receives as a resource's properties: the provider's checked inputs (schema defaults filled, see
 * provider-defaults.ts) for a type whose provider schema the plan has, else the registration's inputs as they are.
 */
function analyzedBytes(r: RecordedResource): Uint8Array {
    if (r.type.startsWith("pulumi:providers:")) {
        // Provider resources are configured (CheckConfig), not checked against the resource schema: their inputs as
        // registered, plus the plugin version the engine records among them (the SDK sends it beside the inputs).
        const withVersion = providerInputs(r);
        return withVersion ? withVersion.serializeBinary() : r.propertiesBytes;
    }
    const checked = r.custom ? checkedInputs(r.type, r.properties.toJavaScript() as Record<string, unknown>) : undefined;
    return checked ? Struct.fromJavaScript(checked as never).serializeBinary() : r.propertiesBytes;
}

/** An explicit provider's inputs as the engine holds them: `version` added when the registration named one. */
function providerInputs(r: RecordedResource): InstanceType<typeof Struct> | undefined {
    if (!r.version || r.properties.getFieldsMap().has("version")) return undefined;
    return Struct.fromJavaScript({ ...(r.properties.toJavaScript() as Record<string, never>), version: r.version as never });
}

/** An explicit provider the program registered, as the engine describes it to the pack. */
function explicitProvider(r: RecordedResource): analyzerpb.AnalyzerProviderResource {
    const p = new analyzerpb.AnalyzerProviderResource();
    p.setType(r.type);
    p.setName(r.name);
    p.setUrn(r.urn);
    p.setProperties(providerInputs(r) ?? r.properties);
    return p;
}

function resourceOptions(r: RecordedResource): analyzerpb.AnalyzerResourceOptions {
    const opts = new analyzerpb.AnalyzerResourceOptions();
    opts.setProtect(r.options.protect);
    opts.setIgnorechangesList(r.options.ignoreChanges);
    opts.setDeletebeforereplace(r.options.deleteBeforeReplace);
    opts.setDeletebeforereplacedefined(r.options.deleteBeforeReplace);
    opts.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    opts.setAliasesList(r.options.aliases);
    if (r.parent) opts.setParent(r.parent);
    return opts;
}

/** The SDK sends `description + "\n" + message`; keep the specific finding (the description is the policy's). */
export function violationText(description: string, message: string): string {
    if (!message) return description;
    return description && message.startsWith(`${description}\n`) ? message.slice(description.length + 1) : message;
}

function toViolations(res: analyzerpb.AnalyzeResponse, urn: string): Violation[] {
    return res.getDiagnosticsList().map((d) => {
        const lvl = LEVELS[d.getEnforcementlevel()] ?? "advisory";
        return {
            policy: d.getPolicyname(),
            pack: d.getPolicypackname(),
            urn: d.getUrn() || urn,
            // The engine fails a preview on "remediate" diagnostics as on mandatory ones.
            enforcementLevel: lvl === "remediate" ? "mandatory" : lvl,
            message: violationText(d.getDescription(), d.getMessage()),
        };
    });
}

/** Phase timings on stderr with AIRLOCK_TIMINGS=1 (for benchmarks). */
function timer(): (phase: string) => void {
    let last = Date.now();
    return (phase) => {
        if (process.env.AIRLOCK_TIMINGS !== "1") return;
        const now = Date.now();
        process.stderr.write(`timing: ${phase} ${now - last} ms\n`);
        last = now;
    };
}

/**
 * A running policy pack, configured and ready for Analyze calls. Like the engine, the plan analyzes each
 * resource as it is registered (so the pack works while the program runs), then calls AnalyzeStack once.
 */
export interface AnalyzerSession {
    /** Queue one registered resource for Remediate + Analyze (returns immediately). */
    analyze(resource: RecordedResource): void;
    /** Waits for every queued analysis, runs AnalyzeStack over `resources`, stops the pack. */
    finish(resources: readonly RecordedResource[]): Promise<AnalyzeResult>;
    /** Stops the pack without finishing (e.g. the program failed). */
    close(): void;
}

/** Starts and configures the pack. Throws {@link PolicyPackError} (and leaves no process behind) on failure. */
export async function startAnalyzer(o: SessionOptions): Promise<AnalyzerSession> {
    const lap = timer();
    const packDir = path.resolve(o.packDir);
    if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) {
        throw new PolicyPackError(`${packDir} is not a policy pack (no PulumiPolicy.yaml).`);
    }
    let fileConfig = {};
    if (o.configFile) {
        let doc: unknown;
        try { doc = JSON.parse(fs.readFileSync(o.configFile, "utf8")); } catch (e) {
            throw new PolicyPackError(`Cannot read policy config ${o.configFile}: ${(e as Error).message}`);
        }
        try { fileConfig = parsePolicyConfigFile(doc, o.configFile); } catch (e) { throw new PolicyPackError((e as Error).message); }
    }

    const pack = await startPack(packDir, o);
    lap("policy pack start (to port)");
    const client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure(), {
        "grpc.max_receive_message_length": 400 * 1024 * 1024,
        "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    let closed = false;
    const close = () => {
        if (closed) return;
        closed = true;
        client.close();
        pack.child.removeAllListeners("exit");
        pack.child.kill("SIGTERM");
    };
    const fail = (e: unknown): never => {
        close();
        if (e instanceof PolicyPackError) throw e;
        if (e instanceof PolicyConfigError) throw new PolicyPackError(e.message);
        throw new PolicyPackError(`Policy pack ${packDir} failed: ${(e as Error).message}\n${pack.stderr().trim()}`);
    };

    let info: analyzerpb.AnalyzerInfo;
    let reconciled: ReturnType<typeof reconcilePolicyConfig>;
    try {
        info = await call<InstanceType<typeof Empty>, analyzerpb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
        reconciled = reconcilePolicyConfig(info.getName(), policyMetas(info), initialConfig(info), fileConfig,
            (message) => process.stderr.write(`warning: ${message}; the entry is ignored (as the Pulumi CLI ignores it)\n`));
        const configure = new analyzerpb.ConfigureAnalyzerRequest();
        for (const [name, c] of Object.entries(reconciled)) {
            const pc = new analyzerpb.PolicyConfig();
            pc.setEnforcementlevel(TO_PROTO[c.enforcementLevel]);
            pc.setProperties(Struct.fromJavaScript(c.properties as never));
            configure.getPolicyconfigMap().set(name, pc);
        }
        await call(client.configure.bind(client), configure);
        const stackReq = new analyzerpb.AnalyzerStackConfigureRequest();
        stackReq.setStack(o.stack);
        stackReq.setProject(o.project);
        stackReq.setOrganization("organization");
        stackReq.setDryRun(true);
        for (const [k, v] of Object.entries(o.config)) stackReq.getConfigMap().set(k, v);
        await optional(call(client.configureStack.bind(client), stackReq));
        lap("GetAnalyzerInfo + Configure + ConfigureStack");
    } catch (e) {
        return fail(e);
    }

    // Providers: explicit ones as the program registered them (a second Docker host is another provider), the
    // rest as the engine's default provider of the package version.
    const registered = new Map<string, RecordedResource>();
    const providers = new Map<string, analyzerpb.AnalyzerProviderResource | undefined>();
    const providerOf = (r: RecordedResource) => {
        if (r.provider) {
            const urn = r.provider.slice(0, r.provider.lastIndexOf("::"));
            const explicit = registered.get(urn);
            if (explicit) {
                if (!providers.has(urn)) providers.set(urn, explicitProvider(explicit));
                return providers.get(urn);
            }
        }
        const key = `${r.type.split(":")[0]}@${r.version ?? ""}`;
        if (!providers.has(key)) providers.set(key, defaultProvider(r.type, r.version, o));
        return providers.get(key);
    };
    /** The fields AnalyzeRequest and AnalyzerResource share (everything but the properties, field 2). */
    const describe = <M extends analyzerpb.AnalyzeRequest | analyzerpb.AnalyzerResource>(msg: M, r: RecordedResource): M => {
        msg.setType(r.type);
        msg.setUrn(r.urn);
        msg.setName(r.name);
        msg.setOptions(resourceOptions(r));
        const provider = r.custom && !r.type.startsWith("pulumi:providers:") ? providerOf(r) : undefined;
        if (provider) msg.setProvider(provider);
        return msg;
    };
    // Requests are encoded here with the registration's properties appended as they were recorded (bytes), so the
    // Struct is never decoded and re-encoded; the pack receives exactly what a generated stub would send.
    const request = (r: RecordedResource, props: Uint8Array): Uint8Array =>
        appendBytesField(describe(new analyzerpb.AnalyzeRequest(), r).serializeBinary(), 2, props);
    const unary = <Res>(method: string, decode: (b: Uint8Array) => Res, bytes: Uint8Array) => new Promise<Res>((resolve, reject) => {
        client.makeUnaryRequest(`/pulumirpc.Analyzer/${method}`, (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength),
            (buf: Buffer) => decode(new Uint8Array(buf)), bytes, (err, res) => (err ? reject(err) : resolve(res!)));
    });
    // The engine calls Remediate before Analyze. Policy SDKs only remediate with policies whose effective level
    // is "remediate", so when the reconciled config has none the call cannot change anything: skip it.
    const remediating = Object.values(reconciled).some((c) => c.enforcementLevel === "remediate");
    const analyzeOne = async (r: RecordedResource) => {
        let props = analyzedBytes(r);
        const remediated = remediating
            ? await optional(unary("Remediate", (b) => analyzerpb.RemediateResponse.deserializeBinary(b), request(r, props)))
            : undefined;
        for (const rem of remediated?.getRemediationsList() ?? []) {
            const p = rem.getProperties();
            if (p) props = p.serializeBinary();
        }
        const res = await unary("Analyze", (b) => analyzerpb.AnalyzeResponse.deserializeBinary(b), request(r, props));
        return { props, diags: toViolations(res, r.urn) };
    };

    // A bounded queue of Analyze calls in flight (the engine also analyzes registrations concurrently).
    const results = new Map<string, Promise<{ props: Uint8Array; diags: Violation[] }>>();
    let inFlight = 0;
    const waiting: (() => void)[] = [];
    const slot = async () => {
        if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
        inFlight++;
    };
    const release = () => { inFlight--; waiting.shift()?.(); };

    // Default providers the engine would register (and analyze) before their first resource.
    const defaultProviders = new Map<string, RecordedResource>();
    const ensureDefaultProvider = (r: RecordedResource) => {
        if (!r.custom || r.type.startsWith("pulumi:providers:")) return;
        if (r.provider && registered.has(r.provider.slice(0, r.provider.lastIndexOf("::")))) return;
        const key = `${r.type.split(":")[0]}@${r.version ?? ""}`;
        if (defaultProviders.has(key)) return;
        const p = defaultProviderResource(r.type, r.version, o);
        if (!p) return;
        defaultProviders.set(key, p);
        void analyze(p);
    };
    const analyze = (r: RecordedResource): Promise<{ props: Uint8Array; diags: Violation[] }> => {
        ensureDefaultProvider(r);
        registered.set(r.urn, r);
        const p = slot().then(() => analyzeOne(r)).finally(release);
        p.catch(() => undefined); // surfaced by finish()
        results.set(r.urn, p);
        return p;
    };
    return {
        analyze(r) { void analyze(r); },
        async finish(programResources) {
            try {
                for (const r of programResources) ensureDefaultProvider(r);
                const resources = [...defaultProviders.values(), ...programResources];
                const analyzed = await Promise.all(resources.map((r) => results.get(r.urn) ?? analyze(r)));
                lap(`Analyze x ${resources.length} done (streamed while the program ran)`);
                const violations = analyzed.flatMap((a) => a.diags);
                const stackReq = repeatedField(1, resources.map((r, i) => {
                    const ar = describe(new analyzerpb.AnalyzerResource(), r);
                    if (r.parent) ar.setParent(r.parent);
                    ar.setDependenciesList(r.dependencies);
                    for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                        const pd = new analyzerpb.AnalyzerPropertyDependencies();
                        pd.setUrnsList(urns);
                        ar.getPropertydependenciesMap().set(k, pd);
                    }
                    return appendBytesField(ar.serializeBinary(), 2, analyzed[i]!.props);
                }));
                const stackRes = await unary("AnalyzeStack", (b) => analyzerpb.AnalyzeResponse.deserializeBinary(b), stackReq);
                violations.push(...toViolations(stackRes, ""));
                lap("AnalyzeStack");
                return { pack: info.getName(), version: info.getVersion(), violations };
            } catch (e) {
                return fail(e);
            } finally {
                close();
            }
        },
        close,
    };
}
