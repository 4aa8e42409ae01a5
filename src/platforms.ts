/**
 * Composition root: the validated Deployment → one platform component per enabled platform. Returns the values
 * the program exports as stack outputs (readable by other stacks through `StackReference`). Adding a platform
 * means adding it to PLATFORMS (src/config/schema.ts) and a builder here; the record's type makes a missing
 * builder a compile error.
 */
import type * as pulumi from "@pulumi/pulumi";
import { AwsPlatform } from "../components/aws";
import { DockerPlatform } from "../components/docker";
import { KubernetesPlatform } from "../components/kubernetes";
import { RunPodPlatform } from "../components/runpod";
import type { GatewayEndpoint, PlatformComponent, ServerEndpoint } from "../components/shared/platform";
import type { Deployment } from "./config/load";
import type { Platform } from "./config/schema";

export interface PlatformOutputs {
    /** Per inference server: platform, URL(s) inside the enclave and served model name. */
    readonly inferenceServers: Record<string, ServerEndpoint>;
    /** Per platform: the enclave's identifiers (network names, VPC, namespace, …). */
    readonly enclaves: Partial<Record<Platform, Record<string, pulumi.Input<unknown>>>>;
    /** Per platform with a gateway: its URL and routes. */
    readonly gateways: Partial<Record<Platform, GatewayEndpoint>>;
}

type Builder = (deployment: Deployment, opts?: pulumi.ComponentResourceOptions) => PlatformComponent;

/** One builder per platform; the logical name of each platform component is the platform's name. */
export const PLATFORM_BUILDERS: Readonly<Record<Platform, Builder>> = {
    docker: (deployment, opts) => new DockerPlatform("docker", { deployment }, opts),
    kubernetes: (deployment, opts) => new KubernetesPlatform("kubernetes", { deployment }, opts),
    runpod: (deployment, opts) => new RunPodPlatform("runpod", { deployment }, opts),
    aws: (deployment, opts) => new AwsPlatform("aws", { deployment }, opts),
};

export function buildPlatforms(deployment: Deployment, opts?: pulumi.ComponentResourceOptions): PlatformOutputs {
    const inferenceServers: Record<string, ServerEndpoint> = {};
    const enclaves: PlatformOutputs["enclaves"] = {};
    const gateways: PlatformOutputs["gateways"] = {};
    for (const platform of deployment.config.platforms) {
        const component = PLATFORM_BUILDERS[platform](deployment, opts);
        Object.assign(inferenceServers, component.endpoints());
        enclaves[platform] = component.enclaveOutputs();
        const gateway = component.gatewayEndpoint?.();
        if (gateway) gateways[platform] = gateway;
    }
    return { inferenceServers, enclaves, gateways };
}
