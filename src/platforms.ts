/**
 * Composition root: the validated Deployment → one platform component per enabled target. Returns the
 * values the program exports as stack outputs (readable by other stacks through `StackReference`).
 */
import * as pulumi from "@pulumi/pulumi";
import { DockerPlatform, type ServerEndpoint } from "../components/docker";
import type { Deployment } from "./config/load";

export interface PlatformOutputs {
    /** Per inference server: platform, internal URL(s) and served model name. */
    readonly inferenceServers: Record<string, ServerEndpoint>;
    /** Per platform: the names of its networks. */
    readonly networks: Record<string, { readonly serving: pulumi.Output<string>; readonly staging: pulumi.Output<string> }>;
}

export function buildPlatforms(deployment: Deployment, opts?: pulumi.ComponentResourceOptions): PlatformOutputs {
    const outputs: { inferenceServers: Record<string, ServerEndpoint>; networks: PlatformOutputs["networks"] } = {
        inferenceServers: {}, networks: {},
    };
    for (const platform of deployment.config.platforms) {
        switch (platform) {
            case "docker": {
                const docker = new DockerPlatform("docker", { deployment }, opts);
                Object.assign(outputs.inferenceServers, docker.endpoints());
                outputs.networks = { ...outputs.networks, docker: { serving: docker.enclave.servingNetworkName, staging: docker.enclave.stagingNetworkName } };
                break;
            }
        }
    }
    return outputs;
}
