/**
 * The RunPod dynamic provider: serverless endpoints (with their template), account secrets, registry credentials,
 * ECR delegations and network volumes through RunPod's REST API v2 (`https://api.runpod.io/v2`).
 *
 * Pulumi serializes this provider into the state (`__provider`) and a separate process runs it, so the module is
 * **self-contained** (STYLE.md, "The RunPod dynamic provider"): it has no runtime import at all (only `import type`),
 * the provider object and the plain functions it calls use globals only (`fetch`, `AbortSignal`, `process.env`,
 * `globalThis`), and the typed HTTP client, `openapi-fetch`, is loaded inside the methods with `require` (never
 * captured; resolved from the program's node_modules by the provider process). Nothing at module scope holds a
 * client, a schema or a config value; the tests prove it by loading the serialized text with plain Node.
 *
 * Credentials: the API key is read when a method runs, from `RUNPOD_API_KEY` or the stack's `airlock:runpodApiKey`
 * secret (handed to `configure` in the provider process only, kept in a process-global slot, never on the provider
 * object). It is never an input, never in `outs`, never in a message. Values of RunPod secrets and registry passwords
 * are read the same way from the secret config key the inputs name; the inputs hold only the key name and a SHA-256
 * digest (a Pulumi secret) so a rotation is an update.
 *
 * No orphans: every object gets a deterministic name from the program. A create first looks for an object of that
 * name left by an interrupted run and adopts it when it is exactly what would be created; an ambiguous failure (a
 * timeout, a reset, a 5xx after the request went out) lists again before it retries, so a lost response never makes
 * a twin; a create of several objects deletes what it made when a later call fails.
 *
 * API choices: REST v2 only. REST v1 (rest.runpod.io/v1) was retired on 2026-11-15 and the GraphQL API is
 * deprecated; nothing here uses either. Account secrets use the v2 `/v2/account/secrets` operations documented in
 * RunPod's API reference (transcribed in api/secrets.openapi.json because the 2026-08 OpenAPI snapshot predates
 * them). If that operation is unavailable on an account, RunPod's documented fallback is the GraphQL `secretCreate`
 * mutation (or the console); this provider does not call GraphQL and reports the REST error instead.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Client } from "openapi-fetch";
import type { components as SecretsApi, paths as SecretPaths } from "./api/secrets.generated";
import type { components as V2, paths as V2Paths } from "./api/v2.generated";

/** The resource kinds this provider manages: the value of the `resourceKind` discriminator input. */
export const RUNPOD_RESOURCE_KINDS = [
    "runpod:endpoint", "runpod:secret", "runpod:registry-auth", "runpod:ecr-delegation", "runpod:network-volume",
] as const;
export type RunPodResourceKind = (typeof RUNPOD_RESOURCE_KINDS)[number];

/** Bumped when the provider's behaviour changes, so existing resources see an update (STYLE.md). */
export const RUNPOD_PROVIDER_VERSION = "1";

/** What Pulumi sends for a value that is unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

type Paths = V2Paths & SecretPaths;
type Api = Client<Paths>;

// ---------------------------------------------------------------------------------------------------------------
// Inputs (what the components register) and outputs (what the state keeps). Flat plain values.
// ---------------------------------------------------------------------------------------------------------------

export type FlashBoot = V2["schemas"]["FlashBoot"];
export type ScalerType = "QUEUE_DELAY" | "REQUEST_COUNT";

/** A serverless endpoint and the template it is created from (one unit: created, updated and deleted together). */
export interface EndpointInputs {
    readonly resourceKind: "runpod:endpoint";
    readonly providerVersion: string;
    /** Endpoint name (deterministic; endpoint names are not unique on RunPod). */
    readonly name: string;
    /** Template name (deterministic; template names are unique per account). */
    readonly templateName: string;
    /** Digest-pinned image reference. */
    readonly image: string;
    readonly env: Record<string, string>;
    /** Exposed ports (`8000/http`); a queue endpoint needs none. */
    readonly ports: string[];
    /** Registry credential id for a private registry (`runpod:registry-auth`). */
    readonly registry?: string;
    /** The ECR repository ARN an ECR delegation covers, when the image is pulled through a delegation. */
    readonly ecrRepositoryArn?: string;
    readonly containerDiskGb: number;
    /** Arguments passed to the image's entrypoint. */
    readonly args: string;
    /** Template visibility to other RunPod users. */
    readonly public: boolean;
    /** RunPod templates default these two to TRUE; Airlock sends false explicitly. */
    readonly startSsh: boolean;
    readonly startJupyter: boolean;
    readonly type: "QUEUE" | "LOAD_BALANCER";
    /** Serverless GPU pool ids (`ADA_24`, `AMPERE_80`, …). */
    readonly gpuPools: string[];
    /** GPU type ids removed from the pools. */
    readonly gpuExcludedTypes: string[];
    readonly gpuCount: number;
    /** `major.minor`; empty = any. */
    readonly allowedCudaVersions: string[];
    readonly workersMin: number;
    readonly workersMax: number;
    /** Seconds an idle worker stays up. RunPod rejects it for a QUEUE endpoint scaled by REQUEST_COUNT. */
    readonly idleTimeoutSec?: number;
    readonly scalerType: ScalerType;
    /** Seconds of queue delay (QUEUE_DELAY) or requests per worker (REQUEST_COUNT). */
    readonly scalerValue: number;
    /** Per-request execution timeout. */
    readonly executionTimeoutMs: number;
    readonly flashboot: FlashBoot;
    readonly dataCenterIds: string[];
    readonly networkVolumeIds: string[];
}

export interface EndpointOutputs extends EndpointInputs {
    readonly endpointId: string;
    readonly templateId: string;
    /** The synchronous invoke URL (`…/runsync`). */
    readonly invokeUrl: string;
    readonly healthUrl: string;
    /** Base URL of the worker's OpenAI-compatible API. */
    readonly openaiBaseUrl: string;
}

/** An account secret, referenced from env values as `{{ RUNPOD_SECRET_<name> }}`. */
export interface SecretInputs {
    readonly resourceKind: "runpod:secret";
    readonly providerVersion: string;
    readonly name: string;
    readonly description: string;
    /** The `airlock:` secret config key whose value the provider sends (read at run time, never an input). */
    readonly valueConfigKey: string;
    /** SHA-256 hex of the value (a Pulumi secret): a rotation changes it. */
    readonly valueSha256: string;
}

/** Credentials for a private registry (`POST /v2/registries`); RunPod cannot update them in place. */
export interface RegistryAuthInputs {
    readonly resourceKind: "runpod:registry-auth";
    readonly providerVersion: string;
    readonly name: string;
    readonly username: string;
    readonly passwordConfigKey: string;
    readonly passwordSha256: string;
}

/** An ECR delegation: RunPod pulls from the repository with its own AWS identity, no stored password. */
export interface EcrDelegationInputs {
    readonly resourceKind: "runpod:ecr-delegation";
    readonly providerVersion: string;
    readonly name: string;
    /** `arn:aws:ecr:<region>:<account>:repository/<name>` */
    readonly repositoryArn: string;
}

export interface NetworkVolumeInputs {
    readonly resourceKind: "runpod:network-volume";
    readonly providerVersion: string;
    readonly name: string;
    readonly sizeGb: number;
    readonly dataCenterId: string;
    readonly volumeType: V2["schemas"]["VolumeType"];
}

export type RunPodInputs = EndpointInputs | SecretInputs | RegistryAuthInputs | EcrDelegationInputs | NetworkVolumeInputs;

// ---------------------------------------------------------------------------------------------------------------
// Settings and the HTTP transport (timeouts, retries with backoff and jitter, errors in the API's words).
// ---------------------------------------------------------------------------------------------------------------

/** The process-global slot `configure` fills in the provider process (never part of the serialized provider). */
const CONFIG_SLOT = "__airlockRunPodConfig";

interface Settings {
    readonly baseUrl: string;
    readonly apiKey: string;
    /** Per attempt, including reading the body. */
    readonly timeoutMs: number;
    readonly maxAttempts: number;
    readonly retryBaseMs: number;
    readonly retryMaxMs: number;
    /** The longest `Retry-After` honoured; a longer one fails the call instead of stalling the update. */
    readonly maxRetryAfterMs: number;
}

interface ConfigLike { get(key: string): string | undefined }

function configured(): ConfigLike | undefined {
    return (globalThis as Record<string, unknown>)[CONFIG_SLOT] as ConfigLike | undefined;
}

/** A stack config value: `airlock:<key>` (or the project namespace), undefined when unset or not configured. */
function configValue(key: string): string | undefined {
    const c = configured();
    if (c === undefined) return undefined;
    return c.get(key.includes(":") ? key : `airlock:${key}`) ?? (key.includes(":") ? undefined : c.get(key));
}

function positiveNumber(raw: string | undefined, fallback: number): number {
    const n = raw === undefined ? NaN : Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Settings for one call; `undefined` key → the caller decides (diff works offline, CRUD fails clearly). */
function readSettings(): Omit<Settings, "apiKey"> & { apiKey: string | undefined } {
    const env = process.env;
    const baseUrl = (env.RUNPOD_API_URL ?? "https://api.runpod.io").replace(/\/+$/, "");
    if (!/^https:\/\//.test(baseUrl) && !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:[0-9]+)?$/.test(baseUrl)) {
        throw new Error(`RUNPOD_API_URL must be an https URL (or http on the loopback interface for tests), got "${baseUrl}"`);
    }
    const key = env.RUNPOD_API_KEY !== undefined && env.RUNPOD_API_KEY !== "" ? env.RUNPOD_API_KEY : configValue("runpodApiKey");
    return {
        baseUrl,
        apiKey: key === undefined || key === "" ? undefined : key,
        timeoutMs: positiveNumber(env.RUNPOD_HTTP_TIMEOUT_MS, 30_000),
        maxAttempts: Math.floor(positiveNumber(env.RUNPOD_MAX_ATTEMPTS, 5)),
        retryBaseMs: positiveNumber(env.RUNPOD_RETRY_BASE_MS, 500),
        retryMaxMs: positiveNumber(env.RUNPOD_RETRY_MAX_MS, 30_000),
        maxRetryAfterMs: positiveNumber(env.RUNPOD_MAX_RETRY_AFTER_MS, 120_000),
    };
}

function requireSettings(): Settings {
    const s = readSettings();
    if (s.apiKey === undefined) {
        throw new Error("No RunPod API key: set it with `pulumi config set --secret airlock:runpodApiKey <key>` " +
            "or export RUNPOD_API_KEY before running Pulumi.");
    }
    return { ...s, apiKey: s.apiKey };
}

/** An HTTP error from the API, in its own words (RFC 9457 problem details), without the request's headers. */
export class RunPodApiError extends Error {
    constructor(
        readonly method: string, readonly path: string, readonly status: number,
        readonly detail: string, readonly fieldErrors: readonly string[],
    ) {
        super(`RunPod API ${method} ${path} failed with ${status}: ${detail}` +
            (fieldErrors.length > 0 ? ` (${fieldErrors.join("; ")})` : ""));
        this.name = "RunPodApiError";
    }
}

/** The request may or may not have been carried out (timeout, reset, 5xx on a create): look before retrying. */
class AmbiguousOutcome extends Error {
    constructor(message: string) { super(message); this.name = "AmbiguousOutcome"; }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Exponential backoff with full jitter: a random wait in [base·2^(n-1)/2, base·2^(n-1)], capped. */
function backoffMs(attempt: number, s: Pick<Settings, "retryBaseMs" | "retryMaxMs">): number {
    const ceiling = Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempt - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** `Retry-After` in ms (seconds or an HTTP date), or undefined. */
function retryAfterMs(header: string | null): number | undefined {
    if (header === null || header.trim() === "") return undefined;
    const secs = Number(header);
    if (Number.isFinite(secs) && secs >= 0) return secs * 1000;
    const date = Date.parse(header);
    return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * The fetch the typed client uses: a timeout on every attempt; 429 retried for every method (RunPod rejects before
 * acting) after `Retry-After`; 5xx, timeouts and connection errors retried for idempotent methods only. For a POST
 * those are ambiguous (the server may have acted) and surface as {@link AmbiguousOutcome}, which the create logic
 * resolves by listing.
 */
function retryingFetch(s: Settings): (request: Request) => Promise<Response> {
    return async (request) => {
        const idempotent = request.method !== "POST";
        const what = `${request.method} ${new URL(request.url).pathname}`;
        for (let attempt = 1; ; attempt++) {
            let response: Response;
            try {
                response = await fetch(request.clone(), { signal: AbortSignal.timeout(s.timeoutMs) });
                // Read the body under the same timeout: a response whose body never completes is a lost response
                // (ambiguous for a POST), and the connection is released before a retry.
                const body = await response.text();
                response = new Response(body === "" ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
            } catch (e) {
                const reason = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")
                    ? `no response within ${s.timeoutMs} ms` : `connection failed (${e instanceof Error ? e.message : String(e)})`;
                if (!idempotent) throw new AmbiguousOutcome(`RunPod API ${what}: ${reason}`);
                if (attempt >= s.maxAttempts) throw new Error(`RunPod API ${what}: ${reason}, ${attempt} attempts`);
                await sleep(backoffMs(attempt, s));
                continue;
            }
            if (response.status === 429) {
                if (attempt >= s.maxAttempts) return response;
                const after = retryAfterMs(response.headers.get("retry-after"));
                if (after !== undefined && after > s.maxRetryAfterMs) {
                    throw new Error(`RunPod API ${what}: rate limited, Retry-After ${Math.round(after / 1000)} s exceeds the ${Math.round(s.maxRetryAfterMs / 1000)} s wait limit; try again later`);
                }
                await sleep(after ?? backoffMs(attempt, s));
                continue;
            }
            if (response.status >= 500) {
                if (!idempotent) throw new AmbiguousOutcome(`RunPod API ${what}: ${response.status} from the server`);
                if (attempt >= s.maxAttempts) return response;
                await sleep(backoffMs(attempt, s));
                continue;
            }
            return response;
        }
    };
}

/** The typed client (openapi-fetch over the generated paths), loaded in the method that needs it. */
function apiClient(s: Settings): Api {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded at run time by the provider process (see the file header)
    const createClient = (require("openapi-fetch") as typeof import("openapi-fetch")).default;
    return createClient<Paths>({
        baseUrl: s.baseUrl,
        fetch: retryingFetch(s),
        headers: { Authorization: `Bearer ${s.apiKey}`, Accept: "application/json", "User-Agent": "airlock-runpod-provider" },
    });
}

interface ApiResult<T> { data?: T; error?: unknown; response: Response }

/** The data of a successful call; an error in the API's words otherwise (404 → undefined when `allow404`). */
function ok<T>(method: string, path: string, r: ApiResult<T>, allow404 = false): T | undefined {
    if (r.response.ok) return r.data;
    if (allow404 && r.response.status === 404) return undefined;
    const e = (r.error ?? {}) as Partial<V2["schemas"]["ErrorResponse"]>;
    const detail = typeof e.detail === "string" && e.detail !== "" ? e.detail
        : typeof e.title === "string" ? e.title : r.response.statusText || "no detail";
    throw new RunPodApiError(method, path, r.response.status, detail, Array.isArray(e.errors) ? e.errors.map(String) : []);
}

function must<T>(value: T | undefined, what: string): T {
    if (value === undefined) throw new Error(`RunPod API returned no body for ${what}`);
    return value;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison: which inputs differ from what RunPod holds (unknown preview values are never a difference).
// ---------------------------------------------------------------------------------------------------------------

function containsUnknown(v: unknown): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v !== null && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

function sameValue(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if ((a === undefined || a === null || a === "") && (b === undefined || b === null || b === "")) return true;
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
    if (a !== null && b !== null && typeof a === "object" && typeof b === "object" && !Array.isArray(a) && !Array.isArray(b)) {
        const ka = Object.keys(a as object).sort();
        const kb = Object.keys(b as object).sort();
        return sameValue(ka, kb) && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
    }
    return false;
}

/** Fields of `news` (known values only) that differ from `current`. */
function changedFields(fields: readonly string[], current: Record<string, unknown>, news: Record<string, unknown>): string[] {
    return fields.filter((f) => !containsUnknown(news[f]) && !sameValue(current[f], news[f]));
}

/** Per kind: fields compared, and those RunPod cannot change in place. */
const FIELDS: Record<RunPodResourceKind, { readonly compared: readonly string[]; readonly replace: readonly string[]; readonly deleteBeforeReplace: boolean }> = {
    "runpod:endpoint": {
        compared: ["name", "templateName", "image", "env", "ports", "registry", "ecrRepositoryArn", "containerDiskGb", "args", "public",
            "startSsh", "startJupyter", "type", "gpuPools", "gpuExcludedTypes", "gpuCount", "allowedCudaVersions", "workersMin",
            "workersMax", "idleTimeoutSec", "scalerType", "scalerValue", "executionTimeoutMs", "flashboot", "dataCenterIds",
            "networkVolumeIds", "providerVersion"],
        replace: ["type"],
        // The template name is unique per account: the old one must go before a replacement takes the name.
        deleteBeforeReplace: true,
    },
    "runpod:secret": { compared: ["name", "description", "valueConfigKey", "valueSha256", "providerVersion"], replace: ["name"], deleteBeforeReplace: true },
    "runpod:registry-auth": {
        compared: ["name", "username", "passwordConfigKey", "passwordSha256", "providerVersion"],
        // Names are unique and there is no update: the old credential goes first, then the new one takes the name.
        replace: ["name", "username", "passwordConfigKey", "passwordSha256"], deleteBeforeReplace: true,
    },
    "runpod:ecr-delegation": { compared: ["name", "repositoryArn", "providerVersion"], replace: ["name", "repositoryArn"], deleteBeforeReplace: false },
    "runpod:network-volume": {
        compared: ["name", "sizeGb", "dataCenterId", "volumeType", "providerVersion"], replace: ["dataCenterId", "volumeType"], deleteBeforeReplace: false,
    },
};

// ---------------------------------------------------------------------------------------------------------------
// check: plain-code validation (the components validate with zod too; this runs for any program).
// ---------------------------------------------------------------------------------------------------------------

interface Failure { property: string; reason: string }

function checkInputs(news: Record<string, unknown>): Failure[] {
    const failures: Failure[] = [];
    const fail = (property: string, reason: string) => failures.push({ property, reason });
    const known = (k: string) => !containsUnknown(news[k]);
    const str = (k: string, pattern?: RegExp, what?: string) => {
        const v = news[k];
        if (!known(k)) return;
        if (typeof v !== "string" || v === "") fail(k, "must be a non-empty string");
        else if (pattern && !pattern.test(v)) fail(k, `must be ${what}, got ${JSON.stringify(v)}`);
    };
    const int = (k: string, min: number, max: number, optional = false) => {
        const v = news[k];
        if (!known(k) || (optional && v === undefined)) return;
        if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) fail(k, `must be a whole number ${min}–${max}, got ${JSON.stringify(v)}`);
    };
    const bool = (k: string) => { if (known(k) && typeof news[k] !== "boolean") fail(k, "must be true or false"); };
    const strings = (k: string, pattern?: RegExp, what?: string) => {
        const v = news[k];
        if (!known(k)) return;
        if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) { fail(k, "must be a list of strings"); return; }
        if (pattern) for (const x of v as string[]) if (!pattern.test(x)) fail(k, `entry ${JSON.stringify(x)} must be ${what}`);
    };
    const kind = news.resourceKind;
    if (typeof kind !== "string" || !(RUNPOD_RESOURCE_KINDS as readonly string[]).includes(kind)) {
        return [{ property: "resourceKind", reason: `must be one of ${RUNPOD_RESOURCE_KINDS.join(", ")}, got ${JSON.stringify(kind)}` }];
    }
    const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,190}$/;
    str("name", NAME, "1–191 letters, digits or ._- starting with a letter or digit");
    if (kind === "runpod:endpoint") {
        str("templateName", NAME, "1–191 letters, digits or ._- starting with a letter or digit");
        str("image", /^[a-z0-9][a-z0-9._:/-]*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?@sha256:[0-9a-f]{64}$/, "a digest-pinned image reference <registry>/<repository>[:<tag>]@sha256:<64 hex>");
        const env = news.env;
        if (known("env")) {
            if (env === null || typeof env !== "object" || Array.isArray(env)) fail("env", "must be a map of names to strings");
            else for (const [k, v] of Object.entries(env)) {
                if (!/^[A-Z_][A-Z0-9_]{0,127}$/.test(k)) fail(`env.${k}`, "must be an UPPER_SNAKE_CASE variable name");
                if (typeof v !== "string") fail(`env.${k}`, "must be a string");
            }
        }
        strings("ports", /^[0-9]{1,5}\/(http|tcp)$/, "<port>/http or <port>/tcp");
        if (news.registry !== undefined) str("registry", /^[A-Za-z0-9_-]{1,128}$/, "a RunPod registry credential id");
        if (news.ecrRepositoryArn !== undefined) str("ecrRepositoryArn", /^arn:aws:ecr:[a-z0-9-]+:[0-9]{12}:repository\/[a-z0-9][a-z0-9._/-]*$/, "an ECR repository ARN");
        int("containerDiskGb", 1, 4096);
        if (known("args") && typeof news.args !== "string") fail("args", "must be a string");
        for (const b of ["public", "startSsh", "startJupyter"]) bool(b);
        if (known("type") && news.type !== "QUEUE" && news.type !== "LOAD_BALANCER") fail("type", "must be QUEUE or LOAD_BALANCER");
        strings("gpuPools", /^[A-Z0-9_]{2,40}$/, "a serverless GPU pool id such as ADA_24");
        if (known("gpuPools") && Array.isArray(news.gpuPools) && news.gpuPools.length === 0) fail("gpuPools", "must list at least one GPU pool");
        strings("gpuExcludedTypes");
        int("gpuCount", 1, 8);
        strings("allowedCudaVersions", /^[0-9]+\.[0-9]+$/, "a CUDA version major.minor");
        strings("dataCenterIds", /^[A-Z]{2,4}-[A-Z]{2,4}-[0-9]+$/, "a data center id such as EU-RO-1");
        strings("networkVolumeIds", /^[A-Za-z0-9_-]{1,64}$/, "a network volume id");
        int("workersMin", 0, 1000);
        int("workersMax", 0, 1000);
        int("executionTimeoutMs", 1000, 86_400_000);
        if (known("flashboot") && !["OFF", "FLASHBOOT", "PRIORITY_FLASHBOOT"].includes(String(news.flashboot))) fail("flashboot", "must be OFF, FLASHBOOT or PRIORITY_FLASHBOOT");
        const scaler = news.scalerType;
        if (known("scalerType") && scaler !== "QUEUE_DELAY" && scaler !== "REQUEST_COUNT") fail("scalerType", "must be QUEUE_DELAY or REQUEST_COUNT");
        const sv = news.scalerValue;
        if (known("scalerValue")) {
            if (typeof sv !== "number" || !Number.isFinite(sv)) fail("scalerValue", "must be a number");
            else if (scaler === "QUEUE_DELAY" && sv < 0.5) fail("scalerValue", `must be at least 0.5 seconds of queue delay, got ${sv}`);
            else if (scaler === "REQUEST_COUNT" && (!Number.isInteger(sv) || sv < 1)) fail("scalerValue", `must be a whole number of requests ≥ 1, got ${sv}`);
        }
        if (news.type === "LOAD_BALANCER" && scaler === "QUEUE_DELAY") fail("scalerType", "must be REQUEST_COUNT for a LOAD_BALANCER endpoint");
        const queueByCount = news.type === "QUEUE" && scaler === "REQUEST_COUNT";
        if (queueByCount && news.idleTimeoutSec !== undefined) fail("idleTimeoutSec", "is rejected by RunPod for a QUEUE endpoint scaled by REQUEST_COUNT; omit it");
        if (!queueByCount) int("idleTimeoutSec", 1, 3600);
        const min = news.workersMin, max = news.workersMax;
        if (typeof min === "number" && typeof max === "number" && min > max) fail("workersMin", `must not exceed workersMax (${min} > ${max})`);
    } else if (kind === "runpod:secret") {
        str("name", /^[a-zA-Z_][a-zA-Z0-9_.\-/]{0,190}$/, "a RunPod secret name (letters, digits, _.-/; starting with a letter or _)");
        if (typeof news.name === "string" && /^runpod/i.test(news.name)) fail("name", "must not start with RUNPOD (reserved by RunPod)");
        if (known("description") && typeof news.description !== "string") fail("description", "must be a string");
        str("valueConfigKey", /^[a-z][A-Za-z0-9]{0,63}$/, "a camelCase airlock: secret config key");
        str("valueSha256", /^[0-9a-f]{64}$/, "a SHA-256 hex digest");
    } else if (kind === "runpod:registry-auth") {
        str("username");
        str("passwordConfigKey", /^[a-z][A-Za-z0-9]{0,63}$/, "a camelCase airlock: secret config key");
        str("passwordSha256", /^[0-9a-f]{64}$/, "a SHA-256 hex digest");
    } else if (kind === "runpod:ecr-delegation") {
        str("repositoryArn", /^arn:aws:ecr:[a-z0-9-]+:[0-9]{12}:repository\/[a-z0-9][a-z0-9._/-]*$/, "an ECR repository ARN");
    } else if (kind === "runpod:network-volume") {
        int("sizeGb", 10, 4096);
        str("dataCenterId", /^[A-Z]{2,4}-[A-Z]{2,4}-[0-9]+$/, "a data center id such as EU-RO-1");
        if (known("volumeType") && news.volumeType !== "STANDARD" && news.volumeType !== "HIGH_PERFORMANCE") fail("volumeType", "must be STANDARD or HIGH_PERFORMANCE");
    }
    return failures;
}

/** The inputs without `__provider` or anything not declared for the kind (bodies are built from these fields only). */
function ownInputs(news: Record<string, unknown>): Record<string, unknown> {
    const kind = news.resourceKind as RunPodResourceKind;
    const fields = ["resourceKind", ...FIELDS[kind].compared];
    return Object.fromEntries(fields.filter((f) => news[f] !== undefined).map((f) => [f, news[f]]));
}

// ---------------------------------------------------------------------------------------------------------------
// Finding and adopting after an interrupted or ambiguous create.
// ---------------------------------------------------------------------------------------------------------------

/**
 * Creates one object without making a twin: adopt a leftover of the same deterministic name when it is what would
 * be created (`find` returns those; a same-named object that differs is an error, never silently taken over), else
 * POST; when the POST's outcome is ambiguous, wait and look again before retrying.
 */
async function createOnce<T>(what: string, s: Settings, ops: {
    /** Existing objects with the deterministic name: `matching` are what would be created, `other` differ. */
    find: () => Promise<{ matching: T[]; other: T[] }>;
    post: () => Promise<T>;
    /** Deletes a surplus twin (only for kinds whose names are not unique). */
    remove?: (t: T) => Promise<void>;
    describe: (t: T) => string;
    /** Whether a 4xx error means "the name is taken" (then look again). */
    nameTaken?: (e: RunPodApiError) => boolean;
}): Promise<{ value: T; adopted: boolean }> {
    const look = async (): Promise<T | undefined> => {
        const { matching, other } = await ops.find();
        if (matching.length > 0) {
            // Keep one, remove twins a lost response may have left (never a differing object).
            for (const twin of matching.slice(1)) if (ops.remove) await ops.remove(twin);
            return matching[0];
        }
        if (other.length > 0) {
            throw new Error(`${what}: ${ops.describe(other[0]!)} already exists with the same name but a different configuration; ` +
                "it was not created by this resource's current inputs. Delete it in the RunPod console (or adopt it with `pulumi import`) and run again.");
        }
        return undefined;
    };
    const leftover = await look();
    if (leftover !== undefined) return { value: leftover, adopted: true };
    for (let attempt = 1; ; attempt++) {
        try {
            return { value: await ops.post(), adopted: false };
        } catch (e) {
            const taken = e instanceof RunPodApiError && ops.nameTaken?.(e) === true;
            if (!(e instanceof AmbiguousOutcome) && !taken) throw e;
            if (taken) {
                // The name exists only if an earlier attempt of this create went through (the first look found none):
                // adopt it as made here; otherwise the error was about something else and stands as RunPod said it.
                const found = await look();
                if (found !== undefined) return { value: found, adopted: false };
                throw e;
            }
            if (attempt >= s.maxAttempts) throw new Error(`${what}: ${(e as Error).message}; gave up after ${attempt} attempts (nothing was left behind: no object with this name exists)`);
            await sleep(backoffMs(attempt, s));
            const found = await look();
            if (found !== undefined) return { value: found, adopted: false };
        }
    }
}

/** Deletes, treating 404 as already gone; retries a 400 "in use" a few times (a deleted endpoint releases its template with a delay). */
async function deleteQuietly(s: Settings, what: string, del: () => Promise<ApiResult<unknown>>, method: string, path: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
        const r = await del();
        if (r.response.ok || r.response.status === 404) return;
        if (r.response.status === 400 && attempt < s.maxAttempts) { await sleep(backoffMs(attempt, s)); continue; }
        ok(method, path, r);
        throw new Error(`${what}: unexpected status ${r.response.status}`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoint (template + serverless endpoint).
// ---------------------------------------------------------------------------------------------------------------

type Template = V2["schemas"]["Template"];
type Endpoint = V2["schemas"]["Endpoint"];

function templateBody(i: EndpointInputs): V2["schemas"]["CreateTemplateRequest"] {
    return {
        name: i.templateName,
        image: i.image,
        env: { ...i.env },
        ports: [...i.ports],
        disk: i.containerDiskGb,
        args: i.args,
        category: "NVIDIA",
        serverless: true,
        public: i.public,
        startSsh: i.startSsh,
        startJupyter: i.startJupyter,
        allowedCudaVersions: [...i.allowedCudaVersions],
        ...(i.registry !== undefined ? { registry: i.registry } : {}),
    };
}

function endpointWorkers(i: EndpointInputs): V2["schemas"]["EndpointWorkers"] {
    return { min: i.workersMin, max: i.workersMax, ...(i.idleTimeoutSec !== undefined ? { idleTimeout: i.idleTimeoutSec } : {}) };
}

function endpointScaling(i: EndpointInputs): V2["schemas"]["EndpointScaling"] {
    return i.scalerType === "QUEUE_DELAY" ? { type: "QUEUE_DELAY", queueDelay: i.scalerValue } : { type: "REQUEST_COUNT", requestCount: i.scalerValue };
}

/** The container settings the endpoint carries itself (v2 copies a template once; it keeps no link). */
function containerFields(i: EndpointInputs) {
    return {
        image: i.image, env: { ...i.env }, ports: [...i.ports], disk: i.containerDiskGb, args: i.args,
        ...(i.registry !== undefined ? { registry: i.registry } : {}),
    };
}

function endpointCreateBody(i: EndpointInputs, templateId: string): V2["schemas"]["CreateEndpointRequest"] {
    return {
        name: i.name,
        type: i.type,
        templateId,
        ...containerFields(i),
        gpu: {
            pools: [...i.gpuPools], count: i.gpuCount, allowedCudaVersions: [...i.allowedCudaVersions],
            ...(i.gpuExcludedTypes.length > 0 ? { excludedTypes: [...i.gpuExcludedTypes] } : {}),
        },
        workers: endpointWorkers(i),
        scaling: endpointScaling(i),
        timeout: i.executionTimeoutMs,
        flashboot: i.flashboot,
        dataCenterIds: [...i.dataCenterIds],
        networkVolumes: [...i.networkVolumeIds],
    };
}

function endpointUpdateBody(i: EndpointInputs): V2["schemas"]["UpdateEndpointRequest"] {
    const { templateId: _t, type: _type, ...rest } = endpointCreateBody(i, "");
    return {
        ...rest,
        registry: i.registry ?? null,
        // PATCH replaces arrays wholesale; an explicit [] clears the CUDA constraint and the exclusions.
        gpu: { pools: [...i.gpuPools], count: i.gpuCount, allowedCudaVersions: [...i.allowedCudaVersions], excludedTypes: [...i.gpuExcludedTypes] },
    };
}

/** The endpoint and template as the state records them, from what RunPod returned. */
function endpointOutputs(i: EndpointInputs, t: Template, e: Endpoint): EndpointOutputs {
    const urls = (e.requestUrls ?? {}) as Partial<V2["schemas"]["QueueBasedRequestUrls"]> & { base?: string };
    const base = new URL(urls.runSync ?? urls.base ?? `https://api.runpod.ai/v2/${e.id}/runsync`);
    const scaling = e.scaling as { type: ScalerType; queueDelay?: number; requestCount?: number };
    return {
        resourceKind: "runpod:endpoint",
        providerVersion: i.providerVersion,
        name: e.name,
        templateName: t.name,
        image: e.image ?? t.image ?? "",
        env: { ...(e.env ?? {}) },
        ports: [...(e.ports ?? [])],
        ...(e.registry !== undefined && e.registry !== null ? { registry: e.registry } : {}),
        ...(i.ecrRepositoryArn !== undefined ? { ecrRepositoryArn: i.ecrRepositoryArn } : {}),
        containerDiskGb: e.disk ?? t.disk ?? 0,
        args: e.args ?? t.args ?? "",
        public: t.public,
        startSsh: t.startSsh,
        startJupyter: t.startJupyter,
        type: e.type ?? i.type,
        gpuPools: [...(e.gpu?.pools ?? [])],
        gpuExcludedTypes: [...(e.gpu?.excludedTypes ?? [])],
        gpuCount: e.gpu?.count ?? 1,
        allowedCudaVersions: [...(e.gpu?.allowedCudaVersions ?? [])],
        workersMin: e.workers.min,
        workersMax: e.workers.max,
        ...(e.workers.idleTimeout !== undefined ? { idleTimeoutSec: e.workers.idleTimeout } : {}),
        scalerType: scaling.type,
        scalerValue: scaling.type === "QUEUE_DELAY" ? scaling.queueDelay ?? 0 : scaling.requestCount ?? 0,
        executionTimeoutMs: e.timeout,
        flashboot: e.flashboot,
        dataCenterIds: [...e.dataCenterIds],
        networkVolumeIds: [...e.networkVolumes],
        endpointId: e.id,
        templateId: t.id,
        invokeUrl: base.toString(),
        healthUrl: urls.health ?? `https://api.runpod.ai/v2/${e.id}/health`,
        openaiBaseUrl: `${base.origin}/v2/${e.id}/openai/v1`,
    };
}

/** Fails before anything is made when a pool or excluded type is not in RunPod's GPU catalog. */
async function validateGpus(api: Api, i: EndpointInputs): Promise<void> {
    const catalog = must(ok("GET", "/v2/catalog/gpus", await api.GET("/v2/catalog/gpus", {})), "the GPU catalog").gpus;
    const pools = new Set(catalog.map((g) => g.pool).filter((p): p is string => typeof p === "string"));
    const types = new Set(catalog.map((g) => g.id));
    const badPools = i.gpuPools.filter((p) => !pools.has(p));
    const badTypes = i.gpuExcludedTypes.filter((t) => !types.has(t));
    if (badPools.length > 0 || badTypes.length > 0) {
        throw new Error(`gpuPools/gpuExcludedTypes name GPUs RunPod's catalog (GET /v2/catalog/gpus) does not have: ${[...badPools, ...badTypes].map((x) => JSON.stringify(x)).join(", ")}; ` +
            `serverless pools: ${[...pools].sort().join(", ")}`);
    }
}

/** With an ECR repository ARN, an ECR delegation for that repository must exist before anything is created. */
async function verifyDelegation(api: Api, arn: string): Promise<void> {
    const m = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/.exec(arn);
    if (!m) throw new Error(`ecrRepositoryArn ${JSON.stringify(arn)} is not an ECR repository ARN`);
    const delegations = must(ok("GET", "/v2/registries/delegations", await api.GET("/v2/registries/delegations", {})), "the ECR delegations").delegations;
    const covered = delegations.some((d) => d.repository === m[3] && d.awsRegion === m[1] && (d.dockerRegistryUri ?? "").startsWith(`${m[2]}.`));
    if (!covered) {
        throw new Error(`No RunPod ECR delegation covers ${arn}: create it first (the Enclave's runpod:ecr-delegation) and grant RunPod's AWS principal pull access in the repository policy.`);
    }
}

function templateMatches(t: Template, i: EndpointInputs): boolean {
    const b = templateBody(i);
    return t.name === b.name && t.image === b.image && sameValue(t.env, b.env) && sameValue(t.ports, b.ports) && t.disk === b.disk
        && sameValue(t.args, b.args) && t.serverless === true && t.public === b.public && t.startSsh === b.startSsh
        && t.startJupyter === b.startJupyter && sameValue(t.registry, b.registry) && sameValue(t.allowedCudaVersions, b.allowedCudaVersions);
}

function endpointMatches(e: Endpoint, t: Template, i: EndpointInputs): boolean {
    return changedFields(FIELDS["runpod:endpoint"].compared.filter((f) => f !== "providerVersion"), { ...endpointOutputs(i, t, e) }, { ...i }).length === 0;
}

async function listTemplates(api: Api, name: string): Promise<Template[]> {
    const all = must(ok("GET", "/v2/templates", await api.GET("/v2/templates", {})), "the template list").templates;
    return all.filter((t) => t.name === name);
}

async function createEndpoint(s: Settings, api: Api, i: EndpointInputs): Promise<EndpointOutputs> {
    await validateGpus(api, i);
    if (i.ecrRepositoryArn !== undefined) await verifyDelegation(api, i.ecrRepositoryArn);

    const template = await createOnce<Template>(`template "${i.templateName}"`, s, {
        find: async () => {
            const same = await listTemplates(api, i.templateName);
            return { matching: same.filter((t) => templateMatches(t, i)), other: same.filter((t) => !templateMatches(t, i)) };
        },
        post: async () => must(ok("POST", "/v2/templates", await api.POST("/v2/templates", { body: templateBody(i) })), "the created template"),
        describe: (t) => `template ${t.id} ("${t.name}")`,
        // Template names are unique: a create that conflicts means an earlier attempt went through.
        nameTaken: (e) => e.status === 400 || e.status === 409,
    });
    try {
        const endpoint = await createOnce<Endpoint>(`endpoint "${i.name}"`, s, {
            find: async () => {
                const all = must(ok("GET", "/v2/serverless", await api.GET("/v2/serverless", {})), "the endpoint list").endpoints;
                // A legacy " -fb" suffix (FlashBoot in the name) is the same endpoint.
                const same = all.filter((e) => e.name === i.name || e.name === `${i.name} -fb`);
                return { matching: same.filter((e) => endpointMatches(e, template.value, i)), other: same.filter((e) => !endpointMatches(e, template.value, i)) };
            },
            post: async () => must(ok("POST", "/v2/serverless", await api.POST("/v2/serverless", { body: endpointCreateBody(i, template.value.id) })), "the created endpoint"),
            remove: async (e) => deleteQuietly(s, `endpoint ${e.id}`, () => api.DELETE("/v2/serverless/{id}", { params: { path: { id: e.id } } }), "DELETE", `/v2/serverless/${e.id}`),
            describe: (e) => `endpoint ${e.id} ("${e.name}")`,
        });
        return endpointOutputs(i, template.value, endpoint.value);
    } catch (e) {
        // Half-way: the template exists, the endpoint does not. Remove what this create made (not an adopted template).
        if (!template.adopted) {
            const id = template.value.id;
            try {
                await deleteQuietly(s, `template ${id}`, () => api.DELETE("/v2/templates/{id}", { params: { path: { id } } }), "DELETE", `/v2/templates/${id}`);
            } catch (cleanup) {
                throw new Error(`${(e as Error).message}\nCleaning up template ${id} also failed: ${(cleanup as Error).message}; delete it in the RunPod console.`);
            }
        }
        throw e;
    }
}

async function readEndpoint(api: Api, id: string, olds: EndpointOutputs): Promise<EndpointOutputs | undefined> {
    const e = ok("GET", `/v2/serverless/${id}`, await api.GET("/v2/serverless/{id}", { params: { path: { id } } }), true);
    if (e === undefined) return undefined;
    const t = ok("GET", `/v2/templates/${olds.templateId}`, await api.GET("/v2/templates/{id}", { params: { path: { id: olds.templateId } } }), true);
    // A template deleted out of band: keep reading the endpoint, and show the template fields as gone.
    const template: Template = t ?? { ...templateBody(olds), id: "", name: "", registry: null, mounts: {}, public: true, startSsh: true, startJupyter: true } as Template;
    return endpointOutputs(olds, template, e);
}

async function updateEndpoint(api: Api, id: string, olds: EndpointOutputs, news: EndpointInputs): Promise<EndpointOutputs> {
    await validateGpus(api, news);
    if (news.ecrRepositoryArn !== undefined) await verifyDelegation(api, news.ecrRepositoryArn);
    // An explicit null clears a registry credential the inputs no longer name (PATCH leaves absent fields alone).
    const t = must(ok("PATCH", `/v2/templates/${olds.templateId}`, await api.PATCH("/v2/templates/{id}", {
        params: { path: { id: olds.templateId } }, body: { ...templateBody(news), registry: news.registry ?? null },
    })), "the updated template");
    const e = must(ok("PATCH", `/v2/serverless/${id}`, await api.PATCH("/v2/serverless/{id}", {
        params: { path: { id } }, body: endpointUpdateBody(news),
    })), "the updated endpoint");
    return endpointOutputs(news, t, e);
}

async function deleteEndpoint(s: Settings, api: Api, id: string, olds: Partial<EndpointOutputs>): Promise<void> {
    await deleteQuietly(s, `endpoint ${id}`, () => api.DELETE("/v2/serverless/{id}", { params: { path: { id } } }), "DELETE", `/v2/serverless/${id}`);
    const templateId = olds.templateId;
    if (templateId !== undefined && templateId !== "") {
        await deleteQuietly(s, `template ${templateId}`, () => api.DELETE("/v2/templates/{id}", { params: { path: { id: templateId } } }), "DELETE", `/v2/templates/${templateId}`);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Secrets, registry credentials, ECR delegations, network volumes.
// ---------------------------------------------------------------------------------------------------------------

type Secret = SecretsApi["schemas"]["Secret"];

function secretValue(key: string, what: string): string {
    const v = configValue(key);
    if (v === undefined || v === "") {
        throw new Error(`${what}: the secret config key airlock:${key} is not available to the provider; set it with ` +
            `\`pulumi config set --secret airlock:${key} <value>\``);
    }
    return v;
}

async function createSecret(s: Settings, api: Api, i: SecretInputs): Promise<Record<string, unknown>> {
    const value = secretValue(i.valueConfigKey, `secret "${i.name}"`);
    const byName = async (): Promise<Secret[]> => must(ok("GET", "/v2/account/secrets", await api.GET("/v2/account/secrets", {
        params: { query: { name: i.name } },
    })), "the secret list").secrets.filter((x) => x.name.toLowerCase() === i.name.toLowerCase());
    const made = await createOnce<Secret>(`secret "${i.name}"`, s, {
        // The value is write-only: a secret of this deterministic name is ours, and gets our value below.
        find: async () => ({ matching: await byName(), other: [] }),
        post: async () => must(ok("POST", "/v2/account/secrets", await api.POST("/v2/account/secrets", {
            body: { name: i.name, value, description: i.description },
        })), "the created secret"),
        describe: (x) => `secret ${x.id} ("${x.name}")`,
        nameTaken: (e) => e.status === 409,
    });
    if (made.adopted) {
        must(ok("PATCH", `/v2/account/secrets/${made.value.id}`, await api.PATCH("/v2/account/secrets/{id}", {
            params: { path: { id: made.value.id } }, body: { value, description: i.description },
        })), "the updated secret");
    }
    return { ...ownInputs({ ...i }), secretId: made.value.id };
}

async function createRegistryAuth(s: Settings, api: Api, i: RegistryAuthInputs): Promise<Record<string, unknown>> {
    const password = secretValue(i.passwordConfigKey, `registry credential "${i.name}"`);
    const made = await createOnce<V2["schemas"]["Registry"]>(`registry credential "${i.name}"`, s, {
        // Username and password are write-only; the name carries a digest of both (see the Enclave), so a
        // credential of this name holds exactly these.
        find: async () => ({ matching: must(ok("GET", "/v2/registries", await api.GET("/v2/registries", {})), "the registry list").registries.filter((r) => r.name === i.name), other: [] }),
        post: async () => must(ok("POST", "/v2/registries", await api.POST("/v2/registries", { body: { name: i.name, username: i.username, password } })), "the created registry credential"),
        describe: (r) => `registry credential ${r.id} ("${r.name}")`,
        nameTaken: (e) => e.status === 400 || e.status === 409,
    });
    return { ...ownInputs({ ...i }), registryId: made.value.id };
}

function parseEcrArn(arn: string): { region: string; account: string; repository: string } {
    const m = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/.exec(arn);
    if (!m) throw new Error(`repositoryArn ${JSON.stringify(arn)} is not an ECR repository ARN`);
    return { region: m[1]!, account: m[2]!, repository: m[3]! };
}

type Delegation = V2["schemas"]["EcrDelegation"];

function delegationOutputs(i: EcrDelegationInputs, d: Delegation): Record<string, unknown> {
    return { ...ownInputs({ ...i }), delegationId: d.id, awsUser: d.awsUser, dockerRegistryUri: d.dockerRegistryUri ?? "" };
}

async function listDelegations(api: Api): Promise<Delegation[]> {
    return must(ok("GET", "/v2/registries/delegations", await api.GET("/v2/registries/delegations", {})), "the ECR delegations").delegations;
}

async function createDelegation(s: Settings, api: Api, i: EcrDelegationInputs): Promise<Record<string, unknown>> {
    const arn = parseEcrArn(i.repositoryArn);
    const covers = (d: Delegation) => d.repository === arn.repository && d.awsRegion === arn.region;
    const made = await createOnce<Delegation>(`ECR delegation "${i.name}"`, s, {
        find: async () => {
            const same = (await listDelegations(api)).filter((d) => d.name === i.name);
            return { matching: same.filter(covers), other: same.filter((d) => !covers(d)) };
        },
        post: async () => must(ok("POST", "/v2/registries/delegations", await api.POST("/v2/registries/delegations", { body: { resource: i.repositoryArn, name: i.name } })), "the created delegation"),
        remove: async (d) => deleteQuietly(s, `delegation ${d.id}`, () => api.DELETE("/v2/registries/delegations/{id}", { params: { path: { id: d.id } } }), "DELETE", `/v2/registries/delegations/${d.id}`),
        describe: (d) => `ECR delegation ${d.id} ("${d.name ?? ""}")`,
    });
    return delegationOutputs(i, made.value);
}

type Volume = V2["schemas"]["NetworkVolume"];

function volumeOutputs(i: NetworkVolumeInputs, v: Volume): Record<string, unknown> {
    return { ...ownInputs({ ...i }), name: v.name, sizeGb: v.size, dataCenterId: v.dataCenter, volumeType: v.type, volumeId: v.id };
}

async function createVolume(s: Settings, api: Api, i: NetworkVolumeInputs): Promise<Record<string, unknown>> {
    const made = await createOnce<Volume>(`network volume "${i.name}"`, s, {
        find: async () => {
            const same = must(ok("GET", "/v2/network-volumes", await api.GET("/v2/network-volumes", {})), "the network volume list").networkVolumes
                .filter((v) => v.name === i.name);
            const fits = (v: Volume) => v.dataCenter === i.dataCenterId && v.size === i.sizeGb && v.type === i.volumeType;
            return { matching: same.filter(fits), other: same.filter((v) => !fits(v)) };
        },
        post: async () => must(ok("POST", "/v2/network-volumes", await api.POST("/v2/network-volumes", {
            body: { name: i.name, size: i.sizeGb, dataCenter: i.dataCenterId, type: i.volumeType },
        })), "the created network volume"),
        remove: async (v) => deleteQuietly(s, `network volume ${v.id}`, () => api.DELETE("/v2/network-volumes/{id}", { params: { path: { id: v.id } } }), "DELETE", `/v2/network-volumes/${v.id}`),
        describe: (v) => `network volume ${v.id} ("${v.name}", ${v.size} GB in ${v.dataCenter})`,
    });
    return volumeOutputs(i, made.value);
}

// ---------------------------------------------------------------------------------------------------------------
// The provider.
// ---------------------------------------------------------------------------------------------------------------

/** Plain data of a resource's inputs, typed by kind. */
function asInputs<T extends RunPodInputs>(news: Record<string, unknown>): T {
    return ownInputs(news) as unknown as T;
}

export const runpodProvider: pulumi.dynamic.ResourceProvider = {
    async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        // Runs in the provider process only. The config stays in a process-global slot, never on this object.
        (globalThis as Record<string, unknown>)[CONFIG_SLOT] = req.config;
    },

    async check(_olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
        const failures = checkInputs(news);
        return failures.length > 0 ? { failures } : { inputs: news };
    },

    async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
        const kind = news.resourceKind as RunPodResourceKind;
        const spec = FIELDS[kind];
        if (spec === undefined || olds.resourceKind !== kind) return { changes: true, replaces: ["resourceKind"], deleteBeforeReplace: true };
        // Drift: when a key is available, compare with what RunPod holds now (RunPod lowers an idle endpoint's
        // max workers on its own); without one, with the state. Either way the preview shows the difference.
        let current: Record<string, unknown> = olds;
        const settings = readSettings();
        if (kind === "runpod:endpoint" && settings.apiKey !== undefined && id !== "" && !containsUnknown(id)) {
            const live = await readEndpoint(apiClient({ ...settings, apiKey: settings.apiKey }), id, olds as unknown as EndpointOutputs);
            if (live === undefined) return { changes: true, replaces: ["name"], deleteBeforeReplace: spec.deleteBeforeReplace };
            current = { ...live, providerVersion: olds.providerVersion };
        }
        const changed = changedFields(spec.compared, current, news);
        const replaces = changed.filter((f) => spec.replace.includes(f));
        // The dynamic-provider host passes changes, replaces and deleteBeforeReplace to the engine (it has no
        // detailed diff); the engine shows the update, and a refresh (`read`) shows the live values that drifted.
        return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && spec.deleteBeforeReplace };
    },

    async create(news: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
        const s = requireSettings();
        const api = apiClient(s);
        switch (news.resourceKind as RunPodResourceKind) {
            case "runpod:endpoint": {
                const outs = await createEndpoint(s, api, asInputs<EndpointInputs>(news));
                return { id: outs.endpointId, outs };
            }
            case "runpod:secret": {
                const outs = await createSecret(s, api, asInputs<SecretInputs>(news));
                return { id: String(outs.secretId), outs };
            }
            case "runpod:registry-auth": {
                const outs = await createRegistryAuth(s, api, asInputs<RegistryAuthInputs>(news));
                return { id: String(outs.registryId), outs };
            }
            case "runpod:ecr-delegation": {
                const outs = await createDelegation(s, api, asInputs<EcrDelegationInputs>(news));
                return { id: String(outs.delegationId), outs };
            }
            case "runpod:network-volume": {
                const outs = await createVolume(s, api, asInputs<NetworkVolumeInputs>(news));
                return { id: String(outs.volumeId), outs };
            }
            default:
                throw new Error(`unknown resourceKind ${JSON.stringify(news.resourceKind)}`);
        }
    },

    async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
        const s = requireSettings();
        const api = apiClient(s);
        const kind = props.resourceKind as RunPodResourceKind;
        const gone: pulumi.dynamic.ReadResult = { id: undefined, props: undefined };
        switch (kind) {
            case "runpod:endpoint": {
                const outs = await readEndpoint(api, id, props as unknown as EndpointOutputs);
                return outs === undefined ? gone : { id, props: outs };
            }
            case "runpod:secret": {
                const x = ok("GET", `/v2/account/secrets/${id}`, await api.GET("/v2/account/secrets/{id}", { params: { path: { id } } }), true);
                return x === undefined ? gone : { id, props: { ...props, name: x.name, description: x.description ?? "", secretId: x.id } };
            }
            case "runpod:registry-auth": {
                const r = ok("GET", `/v2/registries/${id}`, await api.GET("/v2/registries/{id}", { params: { path: { id } } }), true);
                return r === undefined ? gone : { id, props: { ...props, name: r.name, registryId: r.id } };
            }
            case "runpod:ecr-delegation": {
                const d = (await listDelegations(api)).find((x) => x.id === id);
                return d === undefined ? gone : { id, props: delegationOutputs(props as unknown as EcrDelegationInputs, d) };
            }
            case "runpod:network-volume": {
                const v = ok("GET", `/v2/network-volumes/${id}`, await api.GET("/v2/network-volumes/{id}", { params: { path: { id } } }), true);
                return v === undefined ? gone : { id, props: volumeOutputs(props as unknown as NetworkVolumeInputs, v) };
            }
            default:
                throw new Error(`unknown resourceKind ${JSON.stringify(kind)}`);
        }
    },

    async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
        const s = requireSettings();
        const api = apiClient(s);
        switch (news.resourceKind as RunPodResourceKind) {
            case "runpod:endpoint":
                return { outs: await updateEndpoint(api, id, olds as unknown as EndpointOutputs, asInputs<EndpointInputs>(news)) };
            case "runpod:secret": {
                const i = asInputs<SecretInputs>(news);
                const body: SecretsApi["schemas"]["UpdateSecretRequest"] = {};
                if (olds.valueSha256 !== i.valueSha256 || olds.valueConfigKey !== i.valueConfigKey) body.value = secretValue(i.valueConfigKey, `secret "${i.name}"`);
                if (olds.description !== i.description) body.description = i.description;
                if (Object.keys(body).length > 0) {
                    must(ok("PATCH", `/v2/account/secrets/${id}`, await api.PATCH("/v2/account/secrets/{id}", { params: { path: { id } }, body })), "the updated secret");
                }
                return { outs: { ...ownInputs({ ...i }), secretId: id } };
            }
            case "runpod:network-volume": {
                const i = asInputs<NetworkVolumeInputs>(news);
                if (typeof olds.sizeGb === "number" && i.sizeGb < olds.sizeGb) {
                    throw new Error(`network volume ${id}: sizeGb ${i.sizeGb} is smaller than ${olds.sizeGb}; RunPod volumes only grow (replace the volume to shrink it)`);
                }
                const v = must(ok("PATCH", `/v2/network-volumes/${id}`, await api.PATCH("/v2/network-volumes/{id}", {
                    params: { path: { id } }, body: { name: i.name, size: i.sizeGb },
                })), "the updated network volume");
                return { outs: volumeOutputs(i, v) };
            }
            default: {
                // ECR delegations and registry credentials have no update operation: every change replaces them
                // (diff), so only providerVersion can get here.
                return { outs: { ...olds, ...ownInputs(news) } };
            }
        }
    },

    async delete(id: string, props: Record<string, unknown>): Promise<void> {
        const s = requireSettings();
        const api = apiClient(s);
        switch (props.resourceKind as RunPodResourceKind) {
            case "runpod:endpoint":
                return deleteEndpoint(s, api, id, props as Partial<EndpointOutputs>);
            case "runpod:secret":
                return deleteQuietly(s, `secret ${id}`, () => api.DELETE("/v2/account/secrets/{id}", { params: { path: { id } } }), "DELETE", `/v2/account/secrets/${id}`);
            case "runpod:registry-auth":
                return deleteQuietly(s, `registry credential ${id}`, () => api.DELETE("/v2/registries/{id}", { params: { path: { id } } }), "DELETE", `/v2/registries/${id}`);
            case "runpod:ecr-delegation":
                return deleteQuietly(s, `delegation ${id}`, () => api.DELETE("/v2/registries/delegations/{id}", { params: { path: { id } } }), "DELETE", `/v2/registries/delegations/${id}`);
            case "runpod:network-volume":
                return deleteQuietly(s, `network volume ${id}`, () => api.DELETE("/v2/network-volumes/{id}", { params: { path: { id } } }), "DELETE", `/v2/network-volumes/${id}`);
            default:
                throw new Error(`unknown resourceKind ${JSON.stringify(props.resourceKind)}`);
        }
    },
};
