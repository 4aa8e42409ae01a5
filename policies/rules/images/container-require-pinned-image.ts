import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import { deferredImageRef, pinningProblem } from "../../lib/image";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Container images are pinned by digest and never use `latest`. */
export const containerRequirePinnedImage: AirlockResourcePolicy = {
    name: "docker-container-require-pinned-image",
    group: "images",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that a container's image is pinned by digest (@sha256:<64 hex>) and does not use the latest tag.",
    rationale: "A tag can be moved to different content at any time; only a digest names the exact image that was reviewed and " +
        "mirrored. `latest` also hides which version runs.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Reference the image as <registry>/<repository>:<version>@sha256:<digest>; get the digest with " +
        "`docker buildx imagetools inspect <image>` from the mirror.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        // An image only its source resource can name is checked there (docker-container-require-resolvable-image).
        const ref = deferredImageRef(() => c.image);
        const p = ref === undefined ? undefined : pinningProblem("image", ref);
        if (p) report(p);
    })),
};
