/**
 * The seam every platform implements (Docker, AWS, Kubernetes, RunPod): a Platform component turns the validated
 * Deployment into resources and exposes the same two views, so the composition root and the stack outputs do not
 * depend on any one platform.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Platform } from "../../src/config/schema";

/** What other stacks read (through stack outputs) about one inference server. */
export interface ServerEndpoint {
    readonly platform: Platform;
    /** The URL clients of the enclave use (first replica, or the platform's load-balanced address). */
    readonly url: pulumi.Output<string>;
    /** One URL per replica where the platform has them (one element otherwise). */
    readonly urls: pulumi.Output<string>[];
    /** The model name clients send. */
    readonly servedModelName: string;
}

/** How clients outside the enclave reach the servers: the gateway's URL and one route per server. */
export interface GatewayEndpoint {
    readonly url: string;
    /** Per server: the URL of its OpenAI-compatible API through the gateway (`<url>/<server>/v1`). */
    readonly routes: Record<string, string>;
}

/** The outputs of one platform component. */
export interface PlatformComponent {
    /** Per inference server on this platform. */
    endpoints(): Record<string, ServerEndpoint>;
    /** The enclave's identifiers other stacks need (network names, VPC id, namespace, …), by name. */
    enclaveOutputs(): Record<string, pulumi.Input<unknown>>;
    /** The platform's gateway, when it has one. */
    gatewayEndpoint?(): GatewayEndpoint | undefined;
}
