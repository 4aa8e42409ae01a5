import * as docker from "@pulumi/docker";
import type { PolicyResource } from "@pulumi/policy";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import type { ContainerProps, RemoteImageProps } from "../../lib/container";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { IMAGE_ID, deferredImageRef } from "../../lib/image";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";
import { classify, describeWorkload } from "../../lib/workload";

const NAME = "docker-container-require-resolvable-image";

/** The container's props with `image` read as `ref` (a read-only overlay: every other field as Analyze saw it). */
const withImage = (c: ContainerProps, ref: string): ContainerProps =>
    new Proxy(c, { get: (t, key, receiver) => (key === "image" ? ref : Reflect.get(t, key, receiver)) });

/** How a message names what `image` holds when the container alone cannot say which image runs. */
function describeDeferred(c: ContainerProps): string {
    try {
        const v = String(c.image ?? "");
        return IMAGE_ID.test(v) ? `the image ID "${v}"` : JSON.stringify(v);
    } catch (e) {
        if (isUnknownValueError(e)) return "unknown at preview";
        throw e;
    }
}

const nameOf = (r: PolicyResource): string => `${r.type.split(":").pop()} "${r.name}"`;

/**
 * A container whose image only the engine resolves — `image: remoteImage.imageId` (the pulumi-docker docs' way to run a
 * pulled image: unknown while it is pulled, an image ID afterwards) — runs exactly the image a docker.RemoteImage pulls;
 * that RemoteImage's name is what the pinning and registry rules check. Anything else is unverifiable.
 */
export const containerRequireResolvableImage: AirlockStackPolicy = {
    name: NAME,
    group: "images",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container whose image is unknown at preview or a bare image ID (e.g. `image: remoteImage.imageId`) takes it from exactly one docker.RemoteImage (whose name the RemoteImage rules check for a digest and an allowed registry), and that a model server is not recognisable only by that image.",
    rationale: "An image ID names content but not where it came from, and an unknown output names nothing: the pinning and registry " +
        "rules can only vouch for the image through the docker.RemoteImage that pulls it. Which rules apply to a container running " +
        "its image's own entrypoint (a vLLM image's `vllm serve`) depends on the image, so that image must be known at preview.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Pull the image with a docker.RemoteImage whose name is pinned by digest in an allowed registry and pass its " +
        "imageId (or its name, which is known at preview); a model server run by its image's entrypoint takes `image: <remoteImage>.name` " +
        "or sets entrypoints (e.g. [\"vllm\", \"serve\"]).",
    // Records what Analyze saw for every resource: validateStack reads those (lib/analyzed.ts).
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        const containers = args.resources.filter((r) => r.isType(docker.Container));
        checkEach(containers, reportViolation, (r, report) => {
            const c = analyzedProps<ContainerProps>(r);
            if (deferredImageRef(() => c.image) !== undefined) return;
            const what = describeDeferred(c);
            const sources = (r.propertyDependencies?.["image"] ?? []).map((d) => byUrn.get(d.urn) ?? d);
            const remote = sources.length === 1 && sources[0]!.isType(docker.RemoteImage) ? sources[0]! : undefined;
            if (remote === undefined) {
                const from = sources.length === 0 ? "no resource of the stack" : sources.map(nameOf).join(", ");
                report(`image is ${what} and comes from ${from}, not from one docker.RemoteImage, so which image runs cannot be verified: ` +
                    "pull it with a docker.RemoteImage pinned by digest and pass its imageId, or set image to the pinned reference.");
                return;
            }
            // Unknown here: the RemoteImage's own rules report its name.
            const ref = deferredImageRef(() => analyzedProps<RemoteImageProps>(remote).name);
            if (ref === undefined) return;
            const seen = classify(c);
            const resolved = classify(withImage(c, ref));
            if (resolved.server?.id !== seen.server?.id || resolved.vllmServer !== seen.vllmServer) {
                report(`image is ${what}: it runs ${nameOf(remote)} ("${ref}") with the image's own entrypoint, which makes it a ` +
                    `${describeWorkload(resolved)}, but the rules for one cannot see that at preview: set image to the RemoteImage's name ` +
                    "(`image: <remoteImage>.name`, known at preview), or set entrypoints to the server's command (e.g. [\"vllm\", \"serve\"]).");
            }
        });
    }),
};
