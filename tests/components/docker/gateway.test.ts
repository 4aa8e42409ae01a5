import * as pulumi from "@pulumi/pulumi";
import * as vm from "node:vm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { GatewaySpec } from "../../../src/config/schema";
import { GatewaySchema } from "../../../src/config/schema";
import { drain, envMap, installMocks, isSecretInput, only, registrations, settle, unwrap } from "../../support/mocks";

let m: typeof import("../../../components/docker");
let cfg: typeof import("../../../components/docker/gateway-config");
beforeAll(async () => {
    await installMocks();
    m = await import("../../../components/docker");
    cfg = await import("../../../components/docker/gateway-config");
});
beforeEach(() => { registrations.length = 0; });

const IMAGE = `localhost:5000/mirror/library/nginx:1.27.5-alpine@sha256:${"b".repeat(64)}`;
const spec = (o: Partial<GatewaySpec> = {}): GatewaySpec => ({ ...GatewaySchema.parse({}), ...o });
const upstream = (server: string, keyId: string, key: string, replicas = 1) => ({
    server, keyId, apiKey: pulumi.secret(key), port: 8000,
    containers: Array.from({ length: replicas }, (_, i) => `airlock-dev-${server}-${i}`), dependsOn: [],
});
const base = {
    gateway: spec(),
    image: { ref: IMAGE },
    enclave: { servingNetworkName: pulumi.output("airlock-dev-serving") },
    upstreams: [upstream("qwen", "qwenApiKey", "sentinel-qwen-key", 2), upstream("ocr", "ocrApiKey", "sentinel-ocr-key")],
    namePrefix: "airlock-dev",
    stack: "dev",
};

describe("Gateway (docker)", () => {
    it("is nginx on the serving network and its own routed network, published on 127.0.0.1 only, sandboxed", async () => {
        const g = new m.Gateway("gw", base);
        await settle(g);
        const nets = only("docker:index/network:Network");
        expect(nets.map((n) => [n.name, n.inputs.name, n.inputs.internal])).toEqual([["gw", "airlock-dev-gateway", false]]);
        const containers = only("docker:index/container:Container");
        expect(containers).toHaveLength(1);
        const i = containers[0]!.inputs;
        expect(i.name).toBe("airlock-dev-gateway");
        expect(i.image).toBe(IMAGE);
        expect(i.networkMode).toBe("airlock-dev-gateway");
        expect(i.networksAdvanced).toEqual([{ name: "airlock-dev-serving" }]);
        expect(i.ports).toEqual([{ internal: 8080, external: 8080, ip: "127.0.0.1", protocol: "tcp" }]);
        expect(i.publishAllPorts).toBe(false);
        expect(i.user).toBe("101:101");
        expect(i.readOnly).toBe(true);
        expect(i.privileged).toBe(false);
        expect(i.capabilities).toEqual({ drops: ["ALL"] });
        expect(i.securityOpts).toEqual(["no-new-privileges:true"]);
        expect(i.tmpfs).toEqual({ "/tmp": "rw,noexec,nosuid,nodev,size=64m" });
        expect([i.memory, i.memorySwap, i.cpus]).toEqual([256, 256, "1.0"]);
        // No volume, no GPU, no bind: a gateway holds nothing but its config and keys.
        expect(i.volumes).toBeUndefined();
        expect(i.mounts).toBeUndefined();
        expect(i.deviceRequests).toBeUndefined();
        expect(i.labels).toEqual([{ label: "airlock.dev/role", value: "gateway" }, { label: "airlock.dev/stack", value: "dev" }]);
        expect(i.healthcheck.tests).toEqual(["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/healthz"]);
        expect(g.url).toBe("http://127.0.0.1:8080");
    });

    it("delivers the keys only as a secret env entry; the config and the routes hold no key", async () => {
        const g = new m.Gateway("gw", base);
        await settle(g);
        const i = only("docker:index/container:Container")[0]!.inputs;
        expect(isSecretInput(i.envs)).toBe(true);
        const env = envMap(i.envs);
        expect(Object.keys(env).sort()).toEqual(["AIRLOCK_GATEWAY_API_KEYS", "AIRLOCK_GATEWAY_CONF", "AIRLOCK_GATEWAY_NJS", "AIRLOCK_GATEWAY_ROUTES"]);
        expect(JSON.parse(env.AIRLOCK_GATEWAY_API_KEYS!)).toEqual({ qwenApiKey: "sentinel-qwen-key", ocrApiKey: "sentinel-ocr-key" });
        expect(JSON.parse(env.AIRLOCK_GATEWAY_ROUTES!)).toEqual([
            { server: "qwen", keyId: "qwenApiKey", backends: ["airlock-dev-qwen-0:8000", "airlock-dev-qwen-1:8000"] },
            { server: "ocr", keyId: "ocrApiKey", backends: ["airlock-dev-ocr-0:8000"] },
        ]);
        for (const k of ["AIRLOCK_GATEWAY_CONF", "AIRLOCK_GATEWAY_NJS", "AIRLOCK_GATEWAY_ROUTES"] as const) expect(env[k]).not.toContain("sentinel");
        expect(await unwrap(g.networkName)).toBe("airlock-dev-gateway");
    });

    it("renders the edge limits into nginx.conf: rate limits with 429 and Retry-After, sizes, streaming timeouts, quiet errors", () => {
        const conf = cfg.renderNginxConf(spec({
            rateLimits: { perKeyPerSecond: 5, perKeyBurst: 10, perAddressPerSecond: 0.5, perAddressBurst: 3, retryAfterSeconds: 7 },
            maxRequestBodyKiB: 512, maxHeaderKiB: 4,
        }), { tls: false });
        expect(conf).toContain("limit_req_zone $binary_remote_addr zone=per_address:10m rate=30r/m;");
        expect(conf).toContain("limit_req_zone $airlock_key_id zone=per_key:10m rate=5r/s;");
        expect(conf).toContain("limit_req zone=per_address burst=3 nodelay;");
        expect(conf).toContain("limit_req zone=per_key burst=10 nodelay;");
        expect(conf).toContain("limit_req_status 429;");
        expect(conf).toMatch(/location @error_429 \{\n\s+add_header Retry-After 7 always;\n\s+return 429 '\{"error":\{"message":"too many requests","type":"rate_limit_error","code":429\}\}';/);
        expect(conf).toContain("client_max_body_size 512k;");
        expect(conf).toContain("large_client_header_buffers 4 4k;");
        expect(conf).toContain("proxy_buffering off;");
        expect(conf).toContain("proxy_read_timeout 600s;");
        expect(conf).toContain("server_tokens off;");
        expect(conf).toContain("auth_request /_airlock_auth;");
        expect(conf).toContain("resolver 127.0.0.11 valid=10s ipv6=off;");
        // Logs: key id, never the key; no body or headers.
        expect(conf).toContain('"key":"$airlock_key_id"');
        expect(conf.match(/log_format[\s\S]*?;/)![0]).not.toMatch(/authorization|request_body|args/);
        // Every error page is a fixed JSON body (no version, no path).
        for (const code of [400, 401, 403, 404, 413, 429, 500, 502, 504]) expect(conf).toContain(`error_page ${code} @error_${code};`);
        expect(conf).not.toContain("ssl");
    });

    it.each([false, true])("puts every location inside a server block, as nginx requires (tls %s; a real nginx refused the http-level error locations)", (tls) => {
        const conf = cfg.renderNginxConf(spec({}), { tls });
        const stack: string[] = [];
        const misplaced: string[] = [];
        for (const raw of conf.split("\n")) {
            const line = raw.replace(/#.*$/, "").replace(/'[^']*'/g, "''").trim();
            const directive = line.split(/\s+/)[0] ?? "";
            if (directive === "location" && stack[stack.length - 1] !== "server") misplaced.push(`${line} (in ${stack.join(" > ") || "main"})`);
            for (const ch of line) {
                if (ch === "{") stack.push(directive);
                if (ch === "}") stack.pop();
            }
        }
        expect(stack).toEqual([]);
        expect(misplaced).toEqual([]);
        expect(conf.match(/location @error_\d+/g)!.length).toBe(Object.keys(cfg.GATEWAY_ERRORS).length);
    });

    it("serves HTTPS with the certificate and key as secret env entries when tls is set", async () => {
        const g = new m.Gateway("tls", {
            ...base, gateway: spec({ tls: { certificateSecret: "gatewayTlsCert", keySecret: "gatewayTlsKey" }, port: 8443 }),
            tls: { certificate: pulumi.secret("-----BEGIN CERTIFICATE-----x"), privateKey: pulumi.secret("-----BEGIN PRIVATE KEY-----y") },
        });
        await settle(g);
        const i = only("docker:index/container:Container")[0]!.inputs;
        const env = envMap(i.envs);
        expect(env.AIRLOCK_GATEWAY_TLS_PRIVATE_KEY).toBe("-----BEGIN PRIVATE KEY-----y");
        expect(env.AIRLOCK_GATEWAY_CONF).toContain("listen 8080 ssl;");
        expect(env.AIRLOCK_GATEWAY_CONF).toContain("ssl_protocols TLSv1.2 TLSv1.3;");
        expect(i.entrypoints[2]).toContain("> /tmp/tls.key");
        expect(i.healthcheck).toBeUndefined();
        expect(g.url).toBe("https://127.0.0.1:8443");
    });

    it("rejects a gateway without upstreams before creating anything", async () => {
        await drain();
        registrations.length = 0;
        expect(() => new m.Gateway("bad", { ...base, upstreams: [] })).toThrow(/upstreams: must name at least one server/);
        await drain();
        expect(registrations.map((r) => r.type)).toEqual(["airlock:docker:Gateway"]);
    });
});

/** The njs script, run in Node with the same source (it is plain ES5 apart from its `export default`). */
function loadNjs(env: Record<string, string>): Record<string, (r: unknown) => unknown> {
    const source = cfg.GATEWAY_NJS.replace(/^export default /m, "module.exports = ");
    const sandbox = { module: { exports: {} as Record<string, (r: unknown) => unknown> }, process: { env }, JSON, Math, Object, encodeURI };
    vm.runInNewContext(source, sandbox);
    return sandbox.module.exports;
}
const request = (uri: string, authorization?: string, args = "") => {
    const out: { status?: number } = {};
    return {
        r: { uri, headersIn: authorization ? { Authorization: authorization } : {}, variables: { args }, return: (s: number) => { out.status = s; } },
        out,
    };
};

describe("gateway njs: keys and routes", () => {
    const routes = JSON.stringify([
        { server: "qwen", keyId: "qwenApiKey", backends: ["airlock-dev-qwen-0:8000"] },
        { server: "ocr", keyId: "ocrApiKey", backends: ["airlock-dev-ocr-0:8000"] },
    ]);
    const keys = JSON.stringify({ qwenApiKey: "k-qwen-0123456789", ocrApiKey: "k-ocr-9876543210" });
    let njs: ReturnType<typeof loadNjs>;
    beforeAll(() => { njs = loadNjs({ AIRLOCK_GATEWAY_ROUTES: routes, AIRLOCK_GATEWAY_API_KEYS: keys }); });

    it.each([
        ["Bearer k-qwen-0123456789", "qwenApiKey"], ["bearer k-ocr-9876543210", "ocrApiKey"], ["Bearer k-qwen-012345678", ""],
        ["Bearer k-qwen-01234567890", ""], ["Bearer ", ""], ["k-qwen-0123456789", ""], [undefined, ""],
    ])("Authorization %j is key %j", (auth, id) => {
        expect(njs.keyId!(request("/v1/models", auth).r)).toBe(id);
    });
    it("answers the auth subrequest with 204 or 401", () => {
        const ok = request("/v1/models", "Bearer k-ocr-9876543210");
        njs.auth!(ok.r);
        const bad = request("/v1/models", "Bearer nope");
        njs.auth!(bad.r);
        expect([ok.out.status, bad.out.status]).toEqual([204, 401]);
    });
    it.each([
        ["/v1/models", "Bearer k-qwen-0123456789", "airlock-dev-qwen-0:8000", "/v1/models"],
        ["/v1/chat/completions", "Bearer k-ocr-9876543210", "airlock-dev-ocr-0:8000", "/v1/chat/completions"],
        ["/ocr/v1/models", "Bearer k-ocr-9876543210", "airlock-dev-ocr-0:8000", "/v1/models"],
        ["/qwen/v1/models", "Bearer k-ocr-9876543210", "127.0.0.1:8081", "/"],
        ["/admin", "Bearer k-qwen-0123456789", "127.0.0.1:8081", "/"],
        ["/v1/models", "Bearer wrong", "127.0.0.1:8081", "/"],
    ])("%s with %s goes to %s%s", (uri, auth, backend, path) => {
        const { r } = request(uri, auth);
        expect([njs.backend!(r), njs.upstreamUri!(r)]).toEqual([backend, path]);
    });
    it("keeps the query string", () => {
        expect(njs.upstreamUri!(request("/v1/models", "Bearer k-qwen-0123456789", "a=1").r)).toBe("/v1/models?a=1");
    });
});
// Not proven here: nginx itself (phases, limits, TLS) — the engine tests run the gateway in a real nginx.
