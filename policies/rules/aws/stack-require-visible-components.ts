import { configSchemaFor, readConfig } from "../../lib/config";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import type { AirlockStackPolicy } from "../../lib/types";

const NAME = "aws-stack-require-visible-components";

/** A multi-language component whose children the pack cannot see fails closed. */
export const stackRequireVisibleComponents: AirlockStackPolicy = {
    name: NAME,
    group: "aws",
    resourceType: "pulumi:pulumi:Stack",
    description: "Checks that every component of a multi-language (remote) component package (remoteComponentPackages: awsx, eks, …) has children in the stack the pack can check.",
    rationale: "The routes, subnets, node groups and instances of an awsx.ec2.Vpc or an eks.Cluster are registered by the component's " +
        "provider plugin. Under `pulumi preview` the pack sees them; under a run without that plugin (airlock plan, mocks) the " +
        "component arrives alone, and every rule would pass vacuously over resources that exist nowhere in its view. Such a " +
        "component without children is a violation rather than a pass.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Plan the stack with `pulumi preview --policy-pack policies` (the plugin then registers the children the pack " +
        "checks), or build the network and cluster from provider resources (aws.ec2.*, the Airlock components) that the pack sees.",
    configSchema: configSchemaFor("remoteComponentPackages"),
    validateStack: failClosedStack((args, report) => {
        const { remoteComponentPackages } = readConfig(args, NAME, "remoteComponentPackages");
        const parents = new Set(args.resources.map((r) => r.parent?.urn).filter((u): u is string => u !== undefined));
        const remote = args.resources.filter((r) => remoteComponentPackages.includes(r.type.split(":")[0]!));
        checkEach(remote, report, (r, rep) => {
            if (!parents.has(r.urn)) {
                rep(`${r.type} "${r.name}" is a multi-language component with no children in this view of the stack, so the resources it creates ` +
                    "cannot be checked: run `pulumi preview --policy-pack policies` (its provider plugin registers them) or declare the resources directly.");
            }
        });
    }),
};
