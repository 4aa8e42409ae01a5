/** Resource type tokens taken from the `@pulumi/kubernetes` classes, so the strings cannot drift from the SDK. */
import * as k8s from "@pulumi/kubernetes";
import { pulumiTypeOf } from "./docker-types";

/** Where a kind keeps its pod spec (and pod labels), relative to the resource's props. */
export type PodTemplatePath = "spec" | "spec.template" | "spec.jobTemplate.spec.template";

/** Every kind that runs pods, with the path of its pod template (`spec` for a bare Pod). */
export const POD_TEMPLATE_KINDS: ReadonlyMap<string, { readonly kind: string; readonly path: PodTemplatePath }> = new Map([
    [k8s.apps.v1.Deployment, "Deployment", "spec.template"],
    [k8s.apps.v1.StatefulSet, "StatefulSet", "spec.template"],
    [k8s.apps.v1.DaemonSet, "DaemonSet", "spec.template"],
    [k8s.apps.v1.ReplicaSet, "ReplicaSet", "spec.template"],
    [k8s.batch.v1.Job, "Job", "spec.template"],
    [k8s.batch.v1.CronJob, "CronJob", "spec.jobTemplate.spec.template"],
    [k8s.core.v1.Pod, "Pod", "spec"],
    [k8s.core.v1.ReplicationController, "ReplicationController", "spec.template"],
    // Retired API versions the SDK still registers: a cluster that serves them runs their pods all the same.
    [k8s.apps.v1beta1.Deployment, "Deployment", "spec.template"],
    [k8s.apps.v1beta1.StatefulSet, "StatefulSet", "spec.template"],
    [k8s.apps.v1beta2.Deployment, "Deployment", "spec.template"],
    [k8s.apps.v1beta2.StatefulSet, "StatefulSet", "spec.template"],
    [k8s.apps.v1beta2.DaemonSet, "DaemonSet", "spec.template"],
    [k8s.apps.v1beta2.ReplicaSet, "ReplicaSet", "spec.template"],
    [k8s.extensions.v1beta1.Deployment, "Deployment", "spec.template"],
    [k8s.extensions.v1beta1.DaemonSet, "DaemonSet", "spec.template"],
    [k8s.extensions.v1beta1.ReplicaSet, "ReplicaSet", "spec.template"],
    [k8s.batch.v1beta1.CronJob, "CronJob", "spec.jobTemplate.spec.template"],
    [k8s.batch.v2alpha1.CronJob, "CronJob", "spec.jobTemplate.spec.template"],
].map(([cls, kind, path]) => [pulumiTypeOf(cls as object), { kind: kind as string, path: path as PodTemplatePath }]));

/** The pod-bearing type tokens, current API versions first. */
export const POD_TEMPLATE_TYPES: readonly string[] = [...POD_TEMPLATE_KINDS.keys()];

export const KUBERNETES_TYPES = {
    namespace: pulumiTypeOf(k8s.core.v1.Namespace),
    service: pulumiTypeOf(k8s.core.v1.Service),
    networkPolicy: pulumiTypeOf(k8s.networking.v1.NetworkPolicy),
    ingress: pulumiTypeOf(k8s.networking.v1.Ingress),
    ingressV1beta1: pulumiTypeOf(k8s.networking.v1beta1.Ingress),
    ingressExtensions: pulumiTypeOf(k8s.extensions.v1beta1.Ingress),
    helmRelease: pulumiTypeOf(k8s.helm.v3.Release),
    deployment: pulumiTypeOf(k8s.apps.v1.Deployment),
    job: pulumiTypeOf(k8s.batch.v1.Job),
    pod: pulumiTypeOf(k8s.core.v1.Pod),
} as const;

/** Every Ingress type token. */
export const INGRESS_TYPES: readonly string[] = [KUBERNETES_TYPES.ingress, KUBERNETES_TYPES.ingressV1beta1, KUBERNETES_TYPES.ingressExtensions];

/** The metadata of a policy that checks every pod-bearing type. */
export const POD_POLICY_TYPES = { resourceType: POD_TEMPLATE_TYPES[0]!, resourceTypes: POD_TEMPLATE_TYPES } as const;
