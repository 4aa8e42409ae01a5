import { failClosed } from "../../lib/fail-closed";
import { pinningProblem } from "../../lib/image";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Every container image is pinned by digest. */
export const podRequirePinnedImage: AirlockResourcePolicy = {
    name: "kubernetes-pod-require-pinned-image",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that the image of every container (regular, init and ephemeral) is pinned by a sha256 digest and not tagged latest.",
    rationale: "A tag can be moved to a different image at any time, so what a node pulls tomorrow is not what was reviewed today; a " +
        "digest names exactly the reviewed content, on every node and every restart.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Reference images as <registry>/<repository>:<tag>@sha256:<digest> (docker buildx imagetools inspect <image> prints the digest).",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        for (const ref of containersOf(t)) {
            const p = pinningProblem(`${ref.field}.image`, String(ref.c.image ?? ""));
            if (p !== undefined) report(p);
        }
    })),
};
