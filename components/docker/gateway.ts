/**
 * Gateway (Docker): the one way into the sealed serving network. An nginx container (the official image, pinned by
 * digest) on the internal serving network and on one routed network of its own, published on `127.0.0.1:<port>` by
 * default. It checks the API key in constant time before vLLM checks it again, rate-limits per key and per client
 * address (429 + Retry-After), limits body and header sizes, keeps streamed responses unbuffered, answers errors
 * with bodies that name nothing about the system, optionally serves HTTPS, and logs no prompt, completion or key.
 *
 * Secure defaults: read-only root (config on a private tmpfs), uid 101 (nginx's user), no capability (it listens on
 * 8080 inside), no-new-privileges, limits, no volume, no GPU, no model token; keys only as a secret env entry.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { RESOURCE_NAME } from "@airlock/baseline";
import type { GatewaySpec } from "../../src/config/schema";
import { childName } from "../shared/naming";
import { collect, intInRange, matches, throwIfInvalid } from "../shared/validation";
import {
    GATEWAY_ENV, GATEWAY_HEALTH_PATH, GATEWAY_LISTEN_PORT, GATEWAY_NJS, type GatewayRoute, gatewayEntrypoint, renderNginxConf, routesJson,
} from "./gateway-config";
import type { PulledImage } from "./model-store";
import { sandboxArgs, secretEnv } from "./sandbox";

/** One server behind the gateway. */
export interface GatewayUpstream {
    readonly server: string;
    /** Config key of the server's API key (its key id in logs and rate limits). */
    readonly keyId: string;
    /** The key itself (a Pulumi secret). */
    readonly apiKey: pulumi.Input<string>;
    /** Container names of the replicas. */
    readonly containers: readonly pulumi.Input<string>[];
    readonly port: number;
    /** Resources the gateway waits for (the server's containers). */
    readonly dependsOn: readonly pulumi.Resource[];
}

/** Arguments for {@link Gateway}. */
export interface GatewayArgs {
    readonly gateway: GatewaySpec;
    readonly image: PulledImage;
    readonly enclave: { readonly servingNetworkName: pulumi.Input<string> };
    readonly upstreams: readonly GatewayUpstream[];
    /** TLS certificate and private key (Pulumi secrets, PEM), when `gateway.tls` is set. */
    readonly tls?: { readonly certificate: pulumi.Input<string>; readonly privateKey: pulumi.Input<string> };
    readonly namePrefix: string;
    readonly stack: string;
}

export class Gateway extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:docker:Gateway";

    /** The URL clients on the host use, e.g. `http://127.0.0.1:8080`. */
    public readonly url: string;
    /** Name of the gateway's own routed network. */
    public readonly networkName: pulumi.Output<string>;
    public readonly container: docker.Container;

    constructor(name: string, args: GatewayArgs, opts?: pulumi.ComponentResourceOptions) {
        super(Gateway.TYPE, name, {}, opts);
        const g = args.gateway;
        throwIfInvalid(this, "Invalid arguments for Gateway", collect(
            intInRange("gateway.port", g.port, 1, 65535),
            args.upstreams.length === 0 ? { propertyPath: "upstreams", reason: "must name at least one server" } : undefined,
            ...args.upstreams.map((u, i) => matches(`upstreams[${i}].server`, u.server, RESOURCE_NAME, "1–40 lowercase letters, digits or '-'")),
            g.tls && !args.tls ? { propertyPath: "tls", reason: "gateway.tls is set but no certificate and key were given" } : undefined,
        ));
        const tls = g.tls !== undefined;
        const objectName = `${args.namePrefix}-gateway`;

        // Its own routed network: the only non-internal network a serving path touches, joined by nothing else.
        const network = new docker.Network(childName(name), {
            name: objectName,
            driver: "bridge",
            internal: false,
            attachable: false,
            ipv6: false,
            labels: [{ label: "airlock.dev/network", value: "gateway" }, { label: "airlock.dev/stack", value: args.stack }],
        }, { parent: this });

        const routes = pulumi.all(args.upstreams.map((u) => pulumi.all([...u.containers]))).apply((names: string[][]) =>
            routesJson(args.upstreams.map((u, i): GatewayRoute => ({ server: u.server, keyId: u.keyId, backends: names[i]!.map((n) => `${n}:${u.port}`) }))));
        const keys = pulumi.all(args.upstreams.map((u) => pulumi.output(u.apiKey))).apply((values) =>
            JSON.stringify(Object.fromEntries(args.upstreams.map((u, i) => [u.keyId, values[i]!]))));

        const envs: pulumi.Input<string>[] = [
            `${GATEWAY_ENV.conf}=${renderNginxConf(g, { tls })}`,
            `${GATEWAY_ENV.njs}=${GATEWAY_NJS}`,
            pulumi.interpolate`${GATEWAY_ENV.routes}=${routes}`,
            secretEnv(GATEWAY_ENV.apiKeys, keys),
        ];
        if (args.tls) {
            envs.push(secretEnv(GATEWAY_ENV.tlsCertificate, args.tls.certificate), secretEnv(GATEWAY_ENV.tlsPrivateKey, args.tls.privateKey));
        }

        this.container = new docker.Container(childName(name), {
            name: objectName,
            image: args.image.ref,
            networkMode: network.name,
            networksAdvanced: [{ name: args.enclave.servingNetworkName }],
            entrypoints: ["/bin/sh", "-c", gatewayEntrypoint({ tls })],
            envs,
            ports: [{ internal: GATEWAY_LISTEN_PORT, external: g.port, ip: g.bindAddress, protocol: "tcp" }],
            publishAllPorts: false,
            ...sandboxArgs({ role: "gateway", user: "101:101", memoryMiB: g.resources.memoryMiB, cpus: g.resources.cpus, cacheMiB: 16, stack: args.stack }),
            tmpfs: { "/tmp": "rw,noexec,nosuid,nodev,size=64m" },
            ...(tls ? {} : {
                healthcheck: {
                    tests: ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${GATEWAY_LISTEN_PORT}${GATEWAY_HEALTH_PATH}`],
                    interval: "30s", timeout: "5s", retries: 3, startPeriod: "10s",
                },
            }),
            restart: "on-failure",
            maxRetryCount: 5,
            mustRun: true,
        }, {
            parent: this,
            dependsOn: [network, ...args.upstreams.flatMap((u) => u.dependsOn), ...(args.image.pulled ? [args.image.pulled] : [])],
            additionalSecretOutputs: ["envs"],
        });

        const host = g.bindAddress.includes(":") ? `[${g.bindAddress}]` : g.bindAddress;
        this.url = `${tls ? "https" : "http"}://${host}:${g.port}`;
        this.networkName = network.name;
        this.registerOutputs({ url: this.url, networkName: this.networkName });
    }
}
