/**
 * A local fake of RunPod's REST API v2 for the provider tests: an HTTP server on 127.0.0.1 that keeps state
 * (templates, serverless endpoints, account secrets, registry credentials, ECR delegations, network volumes, the GPU
 * catalog), validates every request body against the OpenAPI documents the client is generated from
 * (components/runpod/api/*.json, with Ajv's JSON Schema 2020-12 validator) and answers as RunPod does: 201 on create,
 * 204 on delete, problem+json errors with `errors[]`, 409 for a taken secret name, 400 for a taken template name or a
 * template still bound to an endpoint. Faults can be injected per request: 429 with Retry-After, 500s, a connection
 * reset, a response lost after the server acted, a response that never comes.
 */
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { ValidateFunction } from "ajv";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";

const API_DIR = path.join(__dirname, "../../components/runpod/api");

/** One request as the fake received it. */
export interface LoggedRequest {
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string>;
    readonly headers: http.IncomingHttpHeaders;
    /** The raw body text. */
    readonly raw: string;
    readonly body: unknown;
}

export type Fault =
    | { readonly kind: "status"; readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown }
    /** Carry the request out, then answer with this status (a 5xx after acting). */
    | { readonly kind: "status-after-act"; readonly status: number }
    /** Close the connection before acting. */
    | { readonly kind: "reset" }
    /** Carry the request out, then close the connection without answering (the response is lost). */
    | { readonly kind: "drop-after-act" }
    /** Carry the request out and never answer (the client times out). */
    | { readonly kind: "hang-after-act" }
    /** Carry the request out, send the status line and half the body, then stall (the body never completes). */
    | { readonly kind: "truncate-after-act" };

interface Injected { readonly method: string; readonly path: RegExp; readonly fault: Fault; remaining: number }

type Obj = Record<string, any>;

export const GPU_CATALOG = [
    { id: "NVIDIA GeForce RTX 4090", name: "RTX 4090", pool: "ADA_24", manufacturer: "NVIDIA", memory: 24, secure: true, community: true, price: { secure: 0.69, community: 0.34 }, maxCount: { secure: 8, community: 8 } },
    { id: "NVIDIA L40S", name: "L40S", pool: "ADA_48_PRO", manufacturer: "NVIDIA", memory: 48, secure: true, community: false, price: { secure: 0.86, community: 0 }, maxCount: { secure: 8, community: 0 } },
    { id: "NVIDIA L40", name: "L40", pool: "ADA_48_PRO", manufacturer: "NVIDIA", memory: 48, secure: true, community: false, price: { secure: 0.99, community: 0 }, maxCount: { secure: 8, community: 0 } },
    { id: "NVIDIA A100 80GB PCIe", name: "A100 PCIe", pool: "AMPERE_80", manufacturer: "NVIDIA", memory: 80, secure: true, community: true, price: { secure: 1.64, community: 1.19 }, maxCount: { secure: 8, community: 8 } },
    { id: "NVIDIA H100 80GB HBM3", name: "H100 SXM", pool: "ADA_80_PRO", manufacturer: "NVIDIA", memory: 80, secure: true, community: false, price: { secure: 2.99, community: 0 }, maxCount: { secure: 8, community: 0 } },
    { id: "NVIDIA RTX A4000", name: "RTX A4000", pool: null, manufacturer: "NVIDIA", memory: 16, secure: true, community: true, price: { secure: 0.17, community: 0.17 }, maxCount: { secure: 8, community: 8 } },
];

/**
 * Ajv 8 drops the properties `allOf` evaluated when a sibling top-level `if` fails, so `unevaluatedProperties: false`
 * then rejects every property (CreateEndpointRequest's `if type = LOAD_BALANCER then …`). Moving such an `if`/`then`
 * pair into `allOf` is equivalent in JSON Schema 2020-12 and sidesteps it; nothing else in the document changes.
 */
function hoistConditionals(doc: { components: { schemas: Record<string, Obj> } }): typeof doc {
    for (const schema of Object.values(doc.components.schemas)) {
        if (schema.if !== undefined && Array.isArray(schema.allOf) && schema.unevaluatedProperties === false) {
            schema.allOf = [...schema.allOf, { if: schema.if, then: schema.then, ...(schema.else ? { else: schema.else } : {}) }];
            delete schema.if; delete schema.then; delete schema.else;
        }
    }
    return doc;
}

const problem = (status: number, title: string, detail: string, errors?: string[]) =>
    ({ status, body: { title, status, detail, ...(errors ? { errors } : {}) } });

export class FakeRunPod {
    readonly requests: LoggedRequest[] = [];
    readonly templates = new Map<string, Obj>();
    readonly endpoints = new Map<string, Obj>();
    readonly secrets = new Map<string, Obj>();
    /** Secret values by secret id (write-only in the API; kept here for assertions). */
    readonly secretValues = new Map<string, string>();
    readonly registries = new Map<string, Obj>();
    /** Registry passwords by id (write-only in the API). */
    readonly registryPasswords = new Map<string, string>();
    readonly delegations = new Map<string, Obj>();
    readonly volumes = new Map<string, Obj>();
    private readonly faults: Injected[] = [];
    private readonly validators = new Map<string, ValidateFunction>();
    private server?: http.Server;
    private next = 1;
    private readonly hanging = new Set<http.ServerResponse>();

    constructor(readonly apiKey: string) {
        const ajv = new Ajv2020({ strict: false, allErrors: true, discriminator: false, logger: false });
        addFormats(ajv);
        ajv.addSchema(hoistConditionals(JSON.parse(fs.readFileSync(path.join(API_DIR, "openapi.v2.json"), "utf8"))), "v2");
        ajv.addSchema(JSON.parse(fs.readFileSync(path.join(API_DIR, "secrets.openapi.json"), "utf8")), "secrets");
        const schemas: Record<string, string> = {
            "POST /v2/templates": "v2#/components/schemas/CreateTemplateRequest",
            "PATCH /v2/templates/{id}": "v2#/components/schemas/UpdateTemplateRequest",
            "POST /v2/serverless": "v2#/components/schemas/CreateEndpointRequest",
            "PATCH /v2/serverless/{id}": "v2#/components/schemas/UpdateEndpointRequest",
            "POST /v2/registries": "v2#/components/schemas/CreateRegistryRequest",
            "POST /v2/registries/delegations": "v2#/components/schemas/CreateDelegationRequest",
            "POST /v2/network-volumes": "v2#/components/schemas/CreateNetworkVolumeRequest",
            "PATCH /v2/network-volumes/{id}": "v2#/components/schemas/UpdateNetworkVolumeRequest",
            "POST /v2/account/secrets": "secrets#/components/schemas/CreateSecretRequest",
            "PATCH /v2/account/secrets/{id}": "secrets#/components/schemas/UpdateSecretRequest",
        };
        for (const [op, ref] of Object.entries(schemas)) this.validators.set(op, ajv.compile({ $ref: ref }));
    }

    /** Starts listening on 127.0.0.1 (a free port); returns the base URL. */
    async start(): Promise<string> {
        this.server = http.createServer((req, res) => { void this.handle(req, res); });
        await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
        return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    }

    async stop(): Promise<void> {
        for (const res of this.hanging) res.destroy();
        this.server?.closeAllConnections();
        await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    }

    /** The next `times` requests matching `method path` get `fault`. */
    inject(method: string, pathPattern: string | RegExp, fault: Fault, times = 1): void {
        const p = typeof pathPattern === "string" ? new RegExp(`^${pathPattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`) : pathPattern;
        this.faults.push({ method, path: p, fault, remaining: times });
    }

    /** Requests other than reads, as `METHOD path`. */
    mutations(): string[] {
        return this.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
    }

    /** Everything the fake holds, by kind (names), for "exactly the intended objects" assertions. */
    inventory(): Record<string, string[]> {
        const names = (m: Map<string, Obj>) => [...m.values()].map((o) => String(o.name ?? o.id)).sort();
        return {
            templates: names(this.templates), endpoints: names(this.endpoints), secrets: names(this.secrets),
            registries: names(this.registries), delegations: names(this.delegations), volumes: names(this.volumes),
        };
    }

    /** RunPod lowering an idle endpoint's max workers on its own. */
    lowerIdleWorkers(id: string, max: number): void {
        const e = this.endpoints.get(id);
        if (!e) throw new Error(`no endpoint ${id}`);
        e.workers = { ...e.workers, max, min: Math.min(e.workers.min, max) };
    }

    private takeFault(method: string, p: string): Fault | undefined {
        const f = this.faults.find((x) => x.method === method && x.path.test(p) && x.remaining > 0);
        if (!f) return undefined;
        f.remaining--;
        return f.fault;
    }

    private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
        const chunks: Buffer[] = [];
        for await (const c of req) chunks.push(c as Buffer);
        const raw = Buffer.concat(chunks).toString("utf8");
        const url = new URL(req.url ?? "/", "http://fake");
        let body: unknown;
        try { body = raw === "" ? undefined : JSON.parse(raw); } catch { body = raw; }
        const method = req.method ?? "GET";
        this.requests.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, raw, body });

        const fault = this.takeFault(method, url.pathname);
        if (fault?.kind === "reset") { req.socket.destroy(); return; }
        if (fault?.kind === "status") {
            res.writeHead(fault.status, { "content-type": "application/problem+json", ...(fault.headers ?? {}) });
            res.end(JSON.stringify(fault.body ?? { title: http.STATUS_CODES[fault.status], status: fault.status, detail: "injected fault" }));
            return;
        }
        if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
            return this.send(res, problem(401, "Unauthorized", "missing bearer token"));
        }
        const result = this.route(method, url, body);
        if (fault?.kind === "drop-after-act") { req.socket.destroy(); return; }
        if (fault?.kind === "hang-after-act") { this.hanging.add(res); return; }
        if (fault?.kind === "truncate-after-act") {
            const text = JSON.stringify(result.body ?? {});
            res.writeHead(result.status, { "content-type": "application/json", "content-length": String(text.length) });
            res.write(text.slice(0, Math.floor(text.length / 2)));
            this.hanging.add(res);
            return;
        }
        if (fault?.kind === "status-after-act") {
            return this.send(res, problem(fault.status, http.STATUS_CODES[fault.status] ?? "Error", "upstream timed out"));
        }
        this.send(res, result);
    }

    private send(res: http.ServerResponse, r: { status: number; body?: unknown }): void {
        const isError = r.status >= 400;
        res.writeHead(r.status, r.body === undefined ? {} : { "content-type": isError ? "application/problem+json" : "application/json" });
        res.end(r.body === undefined ? undefined : JSON.stringify(r.body));
    }

    private validate(op: string, body: unknown): { status: number; body: unknown } | undefined {
        const v = this.validators.get(op);
        if (!v) return undefined;
        if (v(body)) return undefined;
        const errors = (v.errors ?? []).map((e) => {
            const at = `$${e.instancePath.replace(/\//g, ".")}`;
            if (e.keyword === "unevaluatedProperties" || e.keyword === "additionalProperties") {
                const p = (e.params as { unevaluatedProperty?: string; additionalProperty?: string });
                return `${at}: additional properties '${p.unevaluatedProperty ?? p.additionalProperty}' not allowed`;
            }
            return `${at}: ${e.message}`;
        });
        return problem(422, "Unprocessable Entity", "Request validation failed.", [...new Set(errors)]);
    }

    private id(prefix: string): string {
        return `${prefix}${(this.next++).toString(36).padStart(6, "0")}`;
    }

    private route(method: string, url: URL, body: any): { status: number; body?: unknown } {
        const p = url.pathname;
        const idOf = (re: RegExp) => re.exec(p)?.[1];
        const op = (template: string) => `${method} ${template}`;
        let m: string | undefined;

        if (p === "/v2/catalog/gpus" && method === "GET") return { status: 200, body: { gpus: GPU_CATALOG } };

        // Templates
        if (p === "/v2/templates") {
            if (method === "GET") return { status: 200, body: { templates: [...this.templates.values()] } };
            if (method === "POST") {
                const bad = this.validate(op("/v2/templates"), body);
                if (bad) return bad;
                if ([...this.templates.values()].some((t) => t.name === body.name)) {
                    return problem(400, "Bad Request", `template name "${body.name}" is already in use`, ["$.name: must be unique"]);
                }
                const t = {
                    id: this.id("tpl"), name: body.name, image: body.image, args: body.args ?? "", disk: body.disk ?? 50,
                    mounts: body.mounts ?? {}, ports: body.ports ?? [], env: body.env ?? {}, registry: body.registry ?? null,
                    serverless: body.serverless ?? false, public: body.public ?? false, category: body.category ?? "NVIDIA",
                    startSsh: body.startSsh ?? true, startJupyter: body.startJupyter ?? true, allowedCudaVersions: body.allowedCudaVersions ?? [],
                };
                this.templates.set(t.id, t);
                return { status: 201, body: t };
            }
        }
        if ((m = idOf(/^\/v2\/templates\/([^/]+)$/))) {
            const t = this.templates.get(m);
            if (!t) return problem(404, "Not Found", "template not found");
            if (method === "GET") return { status: 200, body: t };
            if (method === "PATCH") {
                const bad = this.validate(op("/v2/templates/{id}"), body);
                if (bad) return bad;
                Object.assign(t, body);
                return { status: 200, body: t };
            }
            if (method === "DELETE") {
                if ([...this.endpoints.values()].some((e) => e.templateId === m)) {
                    return problem(400, "Bad Request", "template is in use by a pod or serverless endpoint");
                }
                this.templates.delete(m);
                return { status: 204 };
            }
        }

        // Serverless endpoints
        if (p === "/v2/serverless") {
            if (method === "GET") return { status: 200, body: { endpoints: [...this.endpoints.values()].map((e) => this.endpointView(e)) } };
            if (method === "POST") {
                const bad = this.validate(op("/v2/serverless"), body);
                if (bad) return bad;
                const t = body.templateId ? this.templates.get(body.templateId) : undefined;
                if (body.templateId && !t) return problem(404, "Not Found", "template not found");
                if (t && !t.serverless) return problem(422, "Unprocessable Entity", "template is not a serverless template", ["$.templateId: must reference a serverless template"]);
                const pools = new Set(GPU_CATALOG.map((g) => g.pool).filter(Boolean));
                const unknownPool = (body.gpu?.pools ?? []).find((x: string) => !pools.has(x));
                if (unknownPool) return problem(400, "Bad Request", "unknown GPU pool", [`$.gpu.pools: unknown pool '${unknownPool}'`]);
                const id = this.id("ep");
                const e = {
                    id, name: body.name, type: body.type, templateId: body.templateId,
                    image: body.image ?? t?.image, args: body.args ?? t?.args ?? "", disk: body.disk ?? t?.disk ?? 50,
                    env: { ...(t?.env ?? {}), ...(body.env ?? {}) }, ports: body.ports ?? t?.ports ?? [], registry: body.registry ?? t?.registry ?? null,
                    gpu: { pools: body.gpu.pools, count: body.gpu.count ?? 1, excludedTypes: body.gpu.excludedTypes,
                        allowedCudaVersions: body.gpu.allowedCudaVersions ?? t?.allowedCudaVersions ?? [], minCudaVersion: body.gpu.minCudaVersion ?? null },
                    workers: { min: body.workers?.min ?? 0, max: body.workers?.max ?? 3, idleTimeout: body.workers?.idleTimeout ?? 10 },
                    scaling: body.scaling, dataCenterIds: body.dataCenterIds ?? [], networkVolumes: body.networkVolumes ?? [],
                    timeout: body.timeout ?? 300000, flashboot: body.flashboot ?? "OFF", createdAt: "2026-11-25T12:00:00Z",
                };
                if (e.gpu.excludedTypes === undefined) delete (e.gpu as Obj).excludedTypes;
                this.endpoints.set(id, e);
                return { status: 201, body: this.endpointView(e) };
            }
        }
        if ((m = idOf(/^\/v2\/serverless\/([^/]+)$/))) {
            const e = this.endpoints.get(m);
            if (!e) return problem(404, "Not Found", "endpoint not found");
            if (method === "GET") return { status: 200, body: this.endpointView(e) };
            if (method === "PATCH") {
                const bad = this.validate(op("/v2/serverless/{id}"), body);
                if (bad) return bad;
                const { gpu, workers, ...rest } = body;
                Object.assign(e, rest);
                if (gpu) {
                    e.gpu = { ...e.gpu, ...gpu };
                    if (Array.isArray(gpu.excludedTypes) && gpu.excludedTypes.length === 0) delete e.gpu.excludedTypes;
                }
                if (workers) e.workers = { ...e.workers, ...workers };
                return { status: 200, body: this.endpointView(e) };
            }
            if (method === "DELETE") { this.endpoints.delete(m); return { status: 204 }; }
        }

        // Account secrets
        if (p === "/v2/account/secrets") {
            if (method === "GET") {
                const name = url.searchParams.get("name");
                const all = [...this.secrets.values()].filter((s) => name === null || s.name.toLowerCase() === name.toLowerCase());
                return { status: 200, body: { secrets: all } };
            }
            if (method === "POST") {
                const bad = this.validate(op("/v2/account/secrets"), body);
                if (bad) return bad;
                if (/^runpod/i.test(body.name)) return problem(400, "Bad Request", "names beginning with RUNPOD are reserved", ["$.name: reserved prefix"]);
                if ([...this.secrets.values()].some((s) => s.name.toLowerCase() === String(body.name).toLowerCase())) {
                    return problem(409, "Conflict", "a secret with this name already exists");
                }
                const s = { id: this.id("sec"), name: body.name, description: body.description ?? null, createdAt: "2026-11-25T12:00:00Z", valueLastUpdatedAt: "2026-11-25T12:00:00Z" };
                this.secrets.set(s.id, s);
                this.secretValues.set(s.id, body.value);
                return { status: 201, body: s };
            }
        }
        if ((m = idOf(/^\/v2\/account\/secrets\/([^/]+)$/))) {
            const s = this.secrets.get(m);
            if (!s) return problem(404, "Not Found", "resource not found");
            if (method === "GET") return { status: 200, body: s };
            if (method === "PATCH") {
                const bad = this.validate(op("/v2/account/secrets/{id}"), body);
                if (bad) return bad;
                if (body.value !== undefined) this.secretValues.set(m, body.value);
                if (body.description !== undefined) s.description = body.description;
                return { status: 200, body: s };
            }
            if (method === "DELETE") { this.secrets.delete(m); this.secretValues.delete(m); return { status: 204 }; }
        }

        // Registry credentials and ECR delegations
        if (p === "/v2/registries/delegations") {
            if (method === "GET") return { status: 200, body: { delegations: [...this.delegations.values()] } };
            if (method === "POST") {
                const bad = this.validate(op("/v2/registries/delegations"), body);
                if (bad) return bad;
                const a = /^arn:aws:ecr:([a-z0-9-]+):([0-9]{12}):repository\/(.+)$/.exec(body.resource);
                if (!a) return problem(400, "Bad Request", "resource must be an ECR repository ARN", ["$.resource: not an ECR repository ARN"]);
                const d = {
                    id: this.id("deleg_"), name: body.name ?? null, delegatorUserId: "user_fake", awsUser: "418399314813",
                    repository: a[3], tag: "latest", awsRegion: a[1], dockerRegistryUri: `${a[2]}.dkr.ecr.${a[1]}.amazonaws.com`, createdAt: "2026-11-25T12:00:00Z",
                };
                this.delegations.set(d.id, d);
                return { status: 201, body: d };
            }
        }
        if ((m = idOf(/^\/v2\/registries\/delegations\/([^/]+)$/)) && method === "DELETE") {
            if (!this.delegations.delete(m)) return problem(404, "Not Found", "delegation not found");
            return { status: 204 };
        }
        if (p === "/v2/registries") {
            if (method === "GET") return { status: 200, body: { registries: [...this.registries.values()] } };
            if (method === "POST") {
                const bad = this.validate(op("/v2/registries"), body);
                if (bad) return bad;
                if ([...this.registries.values()].some((r) => r.name === body.name)) return problem(400, "Bad Request", "registry name already in use");
                const r = { id: this.id("reg"), name: body.name };
                this.registries.set(r.id, r);
                this.registryPasswords.set(r.id, body.password);
                return { status: 201, body: r };
            }
        }
        if ((m = idOf(/^\/v2\/registries\/([^/]+)$/))) {
            const r = this.registries.get(m);
            if (!r) return problem(404, "Not Found", "registry not found");
            if (method === "GET") return { status: 200, body: r };
            if (method === "DELETE") { this.registries.delete(m); this.registryPasswords.delete(m); return { status: 204 }; }
        }

        // Network volumes
        if (p === "/v2/network-volumes") {
            if (method === "GET") return { status: 200, body: { networkVolumes: [...this.volumes.values()] } };
            if (method === "POST") {
                const bad = this.validate(op("/v2/network-volumes"), body);
                if (bad) return bad;
                const v = { id: this.id("vol"), name: body.name, size: body.size, dataCenter: body.dataCenter, type: body.type ?? "STANDARD" };
                this.volumes.set(v.id, v);
                return { status: 201, body: v };
            }
        }
        if ((m = idOf(/^\/v2\/network-volumes\/([^/]+)$/))) {
            const v = this.volumes.get(m);
            if (!v) return problem(404, "Not Found", "network volume not found");
            if (method === "GET") return { status: 200, body: v };
            if (method === "PATCH") {
                const bad = this.validate(op("/v2/network-volumes/{id}"), body);
                if (bad) return bad;
                if (body.size !== undefined && body.size < v.size) return problem(400, "Bad Request", "network volume size cannot decrease", ["$.size: must not decrease"]);
                Object.assign(v, body);
                return { status: 200, body: v };
            }
            if (method === "DELETE") { this.volumes.delete(m); return { status: 204 }; }
        }
        return problem(405, "Method Not Allowed", `${method} ${p} is not implemented by the fake`);
    }

    /** The v2 Endpoint view: no templateId (v2 keeps no link), request URLs. */
    private endpointView(e: Obj): Obj {
        const { templateId: _t, ...view } = e;
        const base = `https://api.runpod.ai/v2/${e.id}`;
        return {
            ...structuredClone(view),
            requestUrls: {
                run: `${base}/run`, runSync: `${base}/runsync`, status: `${base}/status`, stream: `${base}/stream`,
                cancel: `${base}/cancel`, retry: `${base}/retry`, purgeQueue: `${base}/purge-queue`, health: `${base}/health`,
            },
        };
    }
}
