import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A BuildKit builder runs build steps as code: not on the host's network, and without insecure entitlements. */
export const buildxBuilderDisallowHostNetwork: AirlockResourcePolicy = {
    name: "docker-buildx-builder-disallow-host-network",
    group: "network",
    resourceType: DOCKER_TYPES.buildxBuilder,
    description: "Checks that a docker.BuildxBuilder does not run on the host's network (dockerContainer.network, driverOptions network) and does not allow the network.host or security.insecure entitlements.",
    rationale: "Build steps (RUN) are arbitrary code. A builder on the host's network, or one that allows the network.host " +
        "entitlement, gives that code every route the host has, including into sealed networks; security.insecure runs " +
        "steps privileged.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove the host network settings and the insecure entitlements from buildkitFlags; builds use the builder's own network.",
    validateResource: failClosed(validateResourceOfType(docker.BuildxBuilder, (b, _args, report) => {
        if (b.dockerContainer?.network === "host") {
            report("dockerContainer.network is \"host\", so build steps run on the host's network: remove it.");
        }
        const opts = b.driverOptions ?? {};
        if (String(opts["network"] ?? "") === "host") report("driverOptions.network is \"host\", so build steps run on the host's network: remove it.");
        const flags = String(b.buildkitFlags ?? "");
        for (const ent of ["network.host", "security.insecure"]) {
            if (flags.includes(ent)) report(`buildkitFlags allows the ${ent} entitlement, so build steps can ${ent === "network.host" ? "use the host's network" : "run privileged"}: remove it.`);
        }
    })),
};
