/**
 * The RunPod objects as Pulumi resources: thin `pulumi.dynamic.Resource` classes over the one provider object
 * (provider.ts). Each passes the `resourceKind` discriminator the policy pack recognises (the type token of every
 * dynamic resource is `pulumi-nodejs:dynamic:Resource`) and the provider version; never the API key, never a
 * secret value (only the name of the config key that holds it and its digest).
 */
import * as pulumi from "@pulumi/pulumi";
import {
    type EcrDelegationInputs, type EndpointInputs, type NetworkVolumeInputs, type RegistryAuthInputs, RUNPOD_PROVIDER_VERSION,
    type SecretInputs, runpodProvider,
} from "./provider";

/** `pulumi.Input` of every field, without the two fields these classes set themselves. */
type Args<T> = { readonly [K in keyof Omit<T, "resourceKind" | "providerVersion">]: pulumi.Input<T[K]> };

function props<T extends object>(kind: string, args: T, outputs: readonly string[]): Record<string, unknown> {
    return { ...Object.fromEntries(outputs.map((o) => [o, undefined])), ...args, resourceKind: kind, providerVersion: RUNPOD_PROVIDER_VERSION };
}

/** A serverless endpoint and its template (created, updated and deleted together). */
export class RunPodEndpoint extends pulumi.dynamic.Resource {
    public static readonly KIND = "runpod:endpoint";
    declare public readonly endpointId: pulumi.Output<string>;
    declare public readonly templateId: pulumi.Output<string>;
    declare public readonly invokeUrl: pulumi.Output<string>;
    declare public readonly healthUrl: pulumi.Output<string>;
    declare public readonly openaiBaseUrl: pulumi.Output<string>;

    constructor(name: string, args: Args<EndpointInputs>, opts?: pulumi.CustomResourceOptions) {
        super(runpodProvider, name, props(RunPodEndpoint.KIND, args, ["endpointId", "templateId", "invokeUrl", "healthUrl", "openaiBaseUrl"]), opts);
    }
}

/** A RunPod account secret; its value comes from a secret config key at run time. */
export class RunPodSecret extends pulumi.dynamic.Resource {
    public static readonly KIND = "runpod:secret";
    declare public readonly secretId: pulumi.Output<string>;

    constructor(name: string, args: Args<SecretInputs>, opts?: pulumi.CustomResourceOptions) {
        super(runpodProvider, name, props(RunPodSecret.KIND, args, ["secretId"]),
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["valueSha256"] }));
    }
}

/** Registry credentials (username, and a password from a secret config key at run time). */
export class RunPodRegistryAuth extends pulumi.dynamic.Resource {
    public static readonly KIND = "runpod:registry-auth";
    declare public readonly registryId: pulumi.Output<string>;

    constructor(name: string, args: Args<RegistryAuthInputs>, opts?: pulumi.CustomResourceOptions) {
        super(runpodProvider, name, props(RunPodRegistryAuth.KIND, args, ["registryId"]),
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["passwordSha256"] }));
    }
}

/** An ECR delegation: RunPod pulls from one ECR repository with its own AWS identity. */
export class RunPodEcrDelegation extends pulumi.dynamic.Resource {
    public static readonly KIND = "runpod:ecr-delegation";
    declare public readonly delegationId: pulumi.Output<string>;
    /** The AWS principal RunPod pulls as: grant it ecr:BatchGetImage/GetDownloadUrlForLayer in the repository policy. */
    declare public readonly awsUser: pulumi.Output<string>;

    constructor(name: string, args: Args<EcrDelegationInputs>, opts?: pulumi.CustomResourceOptions) {
        super(runpodProvider, name, props(RunPodEcrDelegation.KIND, args, ["delegationId", "awsUser", "dockerRegistryUri"]), opts);
    }
}

/** A network volume (grow-only; data centre and type are fixed). */
export class RunPodNetworkVolume extends pulumi.dynamic.Resource {
    public static readonly KIND = "runpod:network-volume";
    declare public readonly volumeId: pulumi.Output<string>;

    constructor(name: string, args: Args<NetworkVolumeInputs>, opts?: pulumi.CustomResourceOptions) {
        super(runpodProvider, name, props(RunPodNetworkVolume.KIND, args, ["volumeId"]), opts);
    }
}
