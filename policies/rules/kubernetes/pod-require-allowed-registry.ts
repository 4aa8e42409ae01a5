import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { registryProblem } from "../../lib/image";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-pod-require-allowed-registry";

/** Every container image comes from an allowed (private) registry. */
export const podRequireAllowedRegistry: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that the image of every container comes from a registry in allowedRegistries or matching allowedRegistryPatterns.",
    rationale: "Nodes of an offline cluster pull from the private registry the images were mirrored into after review; a public registry " +
        "(docker.io, ghcr.io, nvcr.io) is a path out and an unreviewed supply chain.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Mirror the image into the private registry without changing its digest (crane copy …) and reference it there.",
    configSchema: configSchemaFor("allowedRegistries", "allowedRegistryPatterns"),
    validateResource: failClosed(validatePodTemplates((t, args, report) => {
        const c = readConfig(args, NAME, "allowedRegistries", "allowedRegistryPatterns");
        for (const ref of containersOf(t)) {
            const p = registryProblem(`${ref.field}.image`, String(ref.c.image ?? ""), c.allowedRegistries, c.allowedRegistryPatterns);
            if (p !== undefined) report(p);
        }
    })),
};
