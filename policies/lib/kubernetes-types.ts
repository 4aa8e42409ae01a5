/**
 * Kubernetes resource type tokens and the few input shapes the rules read. The pack does not import
 * @pulumi/kubernetes: a TypeScript pack is type-checked when it starts (run-policy-pack), and the SDK's 10 MB of
 * declarations made that take 20 s. tests/policies/kubernetes/types.test.ts keeps every token equal to the SDK
 * class's `__pulumiType`, so they cannot drift.
 */
import type { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";

/** Where a kind keeps its pod spec (and pod labels), relative to the resource's props. */
export type PodTemplatePath = "spec" | "spec.template" | "spec.jobTemplate.spec.template";

/** Every kind that runs pods, with the path of its pod template (`spec` for a bare Pod). */
export const POD_TEMPLATE_KINDS: ReadonlyMap<string, { readonly kind: string; readonly path: PodTemplatePath }> = new Map(([
    ["kubernetes:apps/v1:Deployment", "Deployment", "spec.template"],
    ["kubernetes:apps/v1:StatefulSet", "StatefulSet", "spec.template"],
    ["kubernetes:apps/v1:DaemonSet", "DaemonSet", "spec.template"],
    ["kubernetes:apps/v1:ReplicaSet", "ReplicaSet", "spec.template"],
    ["kubernetes:batch/v1:Job", "Job", "spec.template"],
    ["kubernetes:batch/v1:CronJob", "CronJob", "spec.jobTemplate.spec.template"],
    ["kubernetes:core/v1:Pod", "Pod", "spec"],
    ["kubernetes:core/v1:ReplicationController", "ReplicationController", "spec.template"],
    // Retired API versions the SDK still registers: a cluster that serves them runs their pods all the same.
    ["kubernetes:apps/v1beta1:Deployment", "Deployment", "spec.template"],
    ["kubernetes:apps/v1beta1:StatefulSet", "StatefulSet", "spec.template"],
    ["kubernetes:apps/v1beta2:Deployment", "Deployment", "spec.template"],
    ["kubernetes:apps/v1beta2:StatefulSet", "StatefulSet", "spec.template"],
    ["kubernetes:apps/v1beta2:DaemonSet", "DaemonSet", "spec.template"],
    ["kubernetes:apps/v1beta2:ReplicaSet", "ReplicaSet", "spec.template"],
    ["kubernetes:extensions/v1beta1:Deployment", "Deployment", "spec.template"],
    ["kubernetes:extensions/v1beta1:DaemonSet", "DaemonSet", "spec.template"],
    ["kubernetes:extensions/v1beta1:ReplicaSet", "ReplicaSet", "spec.template"],
    ["kubernetes:batch/v1beta1:CronJob", "CronJob", "spec.jobTemplate.spec.template"],
    ["kubernetes:batch/v2alpha1:CronJob", "CronJob", "spec.jobTemplate.spec.template"],
] as const).map(([type, kind, path]) => [type, { kind, path }]));

/**
 * Whether a type token names a custom resource (`kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet`, an
 * apiextensions.CustomResource): a kind the pack has no reader for, whose pods are found by shape. Built-in API groups
 * (no dot, or `*.k8s.io`), Helm and the yaml/kustomize components are not custom resources.
 */
export function isCustomResourceType(type: string): boolean {
    const m = /^kubernetes:([^:/]+)\/[^:]+:[^:]+$/.exec(type);
    if (m === null || POD_TEMPLATE_KINDS.has(type)) return false;
    const group = m[1]!;
    return group.includes(".") && !group.endsWith(".k8s.io") && group !== "helm.sh";
}

/** The pod-bearing type tokens, current API versions first. */
export const POD_TEMPLATE_TYPES: readonly string[] = [...POD_TEMPLATE_KINDS.keys()];

export const KUBERNETES_TYPES = {
    namespace: "kubernetes:core/v1:Namespace",
    service: "kubernetes:core/v1:Service",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    ingressV1beta1: "kubernetes:networking.k8s.io/v1beta1:Ingress",
    ingressExtensions: "kubernetes:extensions/v1beta1:Ingress",
    helmRelease: "kubernetes:helm.sh/v3:Release",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
} as const;

/** Every Ingress type token. */
export const INGRESS_TYPES: readonly string[] = [KUBERNETES_TYPES.ingress, KUBERNETES_TYPES.ingressV1beta1, KUBERNETES_TYPES.ingressExtensions];

/**
 * The server-side-apply Patch type (`kubernetes:apps/v1:DeploymentPatch`) of every kind the pack checks, with the kind it
 * patches: a Patch applies a partial object onto a live one, so the pack never sees the object that results.
 */
export const PATCH_KINDS: ReadonlyMap<string, string> = new Map([
    ...POD_TEMPLATE_TYPES, KUBERNETES_TYPES.namespace, KUBERNETES_TYPES.networkPolicy, KUBERNETES_TYPES.service, ...INGRESS_TYPES,
    KUBERNETES_TYPES.serviceAccount, KUBERNETES_TYPES.secret,
].map((t) => [`${t}Patch`, t.slice(t.lastIndexOf(":") + 1)]));

/** Every Patch type token of {@link PATCH_KINDS}. */
export const PATCH_TYPES: readonly string[] = [...PATCH_KINDS.keys()];

/** Every Gateway API Gateway type token (a CRD: registered as an apiextensions.CustomResource with this apiVersion). */
export const GATEWAY_TYPES: readonly string[] = ["v1", "v1beta1", "v1alpha2"].map((v) => `kubernetes:gateway.networking.k8s.io/${v}:Gateway`);

/** The metadata of a policy that checks every pod-bearing type. */
export const POD_POLICY_TYPES = { resourceType: POD_TEMPLATE_TYPES[0]!, resourceTypes: POD_TEMPLATE_TYPES } as const;

/**
 * `validateResourceOfType` for a type token: runs `check` on resources of `type` and carries the `__pulumiType` tag,
 * so the server reports other types not applicable without calling it.
 */
export function validateKubernetesType<P>(
    type: string, check: (props: P, args: ResourceValidationArgs, report: (message: string) => void) => void | Promise<void>,
): ResourceValidation {
    const validate: ResourceValidation = async (args, report) => {
        if (args.type !== type) return;
        await check(args.props as P, args, (m) => report(m));
    };
    return Object.assign(validate, { __pulumiType: type });
}

// ---------------------------------------------------------------------------------------------------------------
// The input shapes the rules read (a subset of the Kubernetes API; every field optional, values as written).

export interface ObjectMetaProps {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
}
interface SelectorProps {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { readonly key?: string; readonly operator?: string; readonly values?: readonly string[] }[];
}
interface ProfileProps { readonly type?: string; readonly localhostProfile?: string }
export interface SecurityContextProps {
    readonly privileged?: boolean;
    readonly allowPrivilegeEscalation?: boolean;
    readonly readOnlyRootFilesystem?: boolean;
    readonly runAsNonRoot?: boolean;
    readonly runAsUser?: number;
    readonly runAsGroup?: number;
    readonly procMount?: string;
    readonly capabilities?: { readonly add?: readonly string[]; readonly drop?: readonly string[] };
    readonly seccompProfile?: ProfileProps;
    readonly appArmorProfile?: ProfileProps;
    readonly seLinuxOptions?: { readonly type?: string; readonly user?: string; readonly role?: string; readonly level?: string };
    readonly windowsOptions?: { readonly hostProcess?: boolean };
}
export interface PodSecurityContextProps extends Omit<SecurityContextProps, "privileged" | "allowPrivilegeEscalation" | "readOnlyRootFilesystem" | "procMount" | "capabilities"> {
    readonly fsGroup?: number;
    readonly supplementalGroups?: readonly number[];
}
export interface EnvVarProps {
    readonly name?: string;
    readonly value?: string;
    readonly valueFrom?: {
        readonly secretKeyRef?: { readonly name?: string; readonly key?: string; readonly optional?: boolean };
        readonly configMapKeyRef?: { readonly name?: string; readonly key?: string };
        readonly fieldRef?: { readonly fieldPath?: string };
        readonly resourceFieldRef?: { readonly resource?: string };
    } | null;
}
export interface ContainerSpecProps {
    readonly name?: string;
    readonly image?: string;
    readonly command?: readonly string[];
    readonly args?: readonly string[];
    readonly env?: readonly EnvVarProps[];
    readonly envFrom?: readonly {
        readonly prefix?: string;
        readonly configMapRef?: { readonly name?: string; readonly optional?: boolean };
        readonly secretRef?: { readonly name?: string; readonly optional?: boolean };
    }[];
    readonly ports?: readonly { readonly containerPort?: number; readonly hostPort?: number; readonly name?: string }[];
    readonly resources?: { readonly limits?: Readonly<Record<string, unknown>>; readonly requests?: Readonly<Record<string, unknown>> };
    readonly securityContext?: SecurityContextProps;
    readonly volumeMounts?: readonly { readonly name?: string; readonly mountPath?: string; readonly readOnly?: boolean }[];
}
export interface VolumeProps {
    readonly name?: string;
    readonly hostPath?: { readonly path?: string };
    readonly emptyDir?: { readonly medium?: string; readonly sizeLimit?: string };
    readonly persistentVolumeClaim?: { readonly claimName?: string; readonly readOnly?: boolean };
    readonly projected?: { readonly sources?: readonly { readonly serviceAccountToken?: unknown }[] };
}
export interface PodSpecProps {
    readonly containers?: readonly ContainerSpecProps[];
    readonly initContainers?: readonly ContainerSpecProps[];
    readonly ephemeralContainers?: readonly ContainerSpecProps[];
    readonly volumes?: readonly VolumeProps[];
    readonly securityContext?: PodSecurityContextProps;
    readonly hostNetwork?: boolean;
    readonly hostPID?: boolean;
    readonly hostIPC?: boolean;
    readonly automountServiceAccountToken?: boolean;
    readonly serviceAccountName?: string;
    /** The deprecated alias of serviceAccountName. */
    readonly serviceAccount?: string;
    readonly restartPolicy?: string;
}
export interface NetworkPolicyPeerProps {
    readonly ipBlock?: { readonly cidr?: string; readonly except?: readonly string[] };
    readonly namespaceSelector?: SelectorProps;
    readonly podSelector?: SelectorProps;
}
export interface NetworkPolicyProps {
    readonly metadata?: ObjectMetaProps;
    readonly spec?: {
        readonly podSelector?: SelectorProps;
        readonly policyTypes?: readonly string[];
        readonly ingress?: readonly { readonly from?: readonly NetworkPolicyPeerProps[] }[];
        readonly egress?: readonly { readonly to?: readonly NetworkPolicyPeerProps[] }[];
    };
}
export interface SecretProps { readonly metadata?: ObjectMetaProps; readonly data?: Readonly<Record<string, unknown>>; readonly stringData?: Readonly<Record<string, unknown>> }
export interface ServiceAccountProps { readonly metadata?: ObjectMetaProps; readonly automountServiceAccountToken?: boolean }
export interface ServiceProps { readonly spec?: { readonly type?: string; readonly externalIPs?: readonly string[] } }
export interface HelmReleaseProps { readonly chart?: string; readonly version?: string }
