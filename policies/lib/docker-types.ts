/** Resource type tokens taken from the `@pulumi/docker` classes, so the strings cannot drift from the SDK. */
import * as docker from "@pulumi/docker";

/** The `__pulumiType` a generated resource class carries (not in the SDK's `.d.ts`, present at runtime). */
export function pulumiTypeOf(resourceClass: object): string {
    const t = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
    if (typeof t !== "string") throw new Error("resource class has no __pulumiType");
    return t;
}

export const DOCKER_TYPES = {
    container: pulumiTypeOf(docker.Container),
    network: pulumiTypeOf(docker.Network),
    remoteImage: pulumiTypeOf(docker.RemoteImage),
    volume: pulumiTypeOf(docker.Volume),
    service: pulumiTypeOf(docker.Service),
    plugin: pulumiTypeOf(docker.Plugin),
    buildxBuilder: pulumiTypeOf(docker.BuildxBuilder),
} as const;
