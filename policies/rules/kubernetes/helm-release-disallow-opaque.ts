import { failClosed } from "../../lib/fail-closed";
import { type HelmReleaseProps, KUBERNETES_TYPES, validateKubernetesType } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A Helm Release installs resources the pack never sees. */
export const helmReleaseDisallowOpaque: AirlockResourcePolicy = {
    name: "kubernetes-helm-release-disallow-opaque",
    group: "kubernetes",
    resourceType: KUBERNETES_TYPES.helmRelease,
    description: "Flags every helm.v3.Release, whose rendered resources are installed by Helm inside the provider and never reach the policy pack.",
    rationale: "A Release is one opaque resource: its Deployments, Services and RBAC are rendered and applied by Helm, so no rule of this pack " +
        "checks them (pulumi/pulumi#10055). helm.v4.Chart (or helm.v3.Chart) and yaml.ConfigFile register each rendered object as a " +
        "resource of the stack, which the pack checks like any other. Advisory in dev; staging and prod make every rule mandatory, so " +
        "an opaque Release blocks there.",
    enforcementLevel: "advisory",
    severity: "medium",
    remediationSteps: "Replace the helm.v3.Release with a helm.v4.Chart (same chart, values and version) so each rendered resource is checked.",
    validateResource: failClosed(validateKubernetesType<HelmReleaseProps>(KUBERNETES_TYPES.helmRelease, (rel, _args, report) => {
        const chart = String(rel.chart ?? "");
        report(`the Release installs chart "${chart}"${rel.version !== undefined ? ` ${String(rel.version)}` : ""} through Helm, so none of its resources reach the policy pack: ` +
            "render it with helm.v4.Chart (or yaml.ConfigFile) so each resource is checked.");
    })),
};
