/**
 * Dynamic-provider resources. Every `pulumi.dynamic.Resource` registers as `pulumi-nodejs:dynamic:Resource`,
 * whatever it manages; Airlock's RunPod resources say what they are in the `resourceKind` discriminator input
 * (components/runpod/resources.ts). The serialized provider (`__provider`) is never read.
 */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/** The type token of every dynamic resource registered with the default module and type. */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The `resourceKind` values of the RunPod resources (components/runpod/provider.ts RUNPOD_RESOURCE_KINDS). */
export const RUNPOD_KINDS = {
    endpoint: "runpod:endpoint",
    secret: "runpod:secret",
    registryAuth: "runpod:registry-auth",
    ecrDelegation: "runpod:ecr-delegation",
    networkVolume: "runpod:network-volume",
} as const;

/**
 * A resource validation for dynamic resources of the given kinds: `validate` gets the props of those only. Tagged
 * with the dynamic type, so the analyzer skips other types (and the fail-closed wrapper keeps the tag). Reading
 * `resourceKind` goes through the unknown-checking proxy: an unknown discriminator fails closed.
 */
export function validateDynamicResourceOfKind(
    kinds: readonly string[],
    validate: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void | Promise<void>,
): ResourceValidation {
    const v: ResourceValidation & { __pulumiType?: string } = async (args, report) => {
        if (args.type !== DYNAMIC_RESOURCE_TYPE) return;
        const kind = (args.props as Record<string, unknown>).resourceKind;
        if (typeof kind !== "string" || !kinds.includes(kind)) return;
        await validate(args.props as Record<string, unknown>, args, report);
    };
    v.__pulumiType = DYNAMIC_RESOURCE_TYPE;
    return v;
}
