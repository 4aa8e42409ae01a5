/**
 * The pack names Kubernetes types by token (it does not load @pulumi/kubernetes: type-checking the SDK's declarations
 * at pack start-up took 20 s). Every token must be the SDK class's own `__pulumiType`.
 */
import * as k8s from "@pulumi/kubernetes";
import { describe, expect, it } from "vitest";
import { KUBERNETES_TYPES, PATCH_TYPES, POD_TEMPLATE_TYPES } from "../../../policies/lib/kubernetes-types";
import { pulumiTypeOf } from "../../../policies/lib/docker-types";

describe("Kubernetes type tokens of the pack", () => {
    it("are the SDK classes' tokens, pod-bearing kinds first the current API versions", () => {
        expect(POD_TEMPLATE_TYPES).toEqual([
            k8s.apps.v1.Deployment, k8s.apps.v1.StatefulSet, k8s.apps.v1.DaemonSet, k8s.apps.v1.ReplicaSet, k8s.batch.v1.Job, k8s.batch.v1.CronJob,
            k8s.core.v1.Pod, k8s.core.v1.ReplicationController,
            k8s.apps.v1beta1.Deployment, k8s.apps.v1beta1.StatefulSet,
            k8s.apps.v1beta2.Deployment, k8s.apps.v1beta2.StatefulSet, k8s.apps.v1beta2.DaemonSet, k8s.apps.v1beta2.ReplicaSet,
            k8s.extensions.v1beta1.Deployment, k8s.extensions.v1beta1.DaemonSet, k8s.extensions.v1beta1.ReplicaSet,
            k8s.batch.v1beta1.CronJob, k8s.batch.v2alpha1.CronJob,
        ].map((c) => pulumiTypeOf(c)));
        expect(KUBERNETES_TYPES).toEqual({
            namespace: pulumiTypeOf(k8s.core.v1.Namespace),
            service: pulumiTypeOf(k8s.core.v1.Service),
            networkPolicy: pulumiTypeOf(k8s.networking.v1.NetworkPolicy),
            ingress: pulumiTypeOf(k8s.networking.v1.Ingress),
            ingressV1beta1: pulumiTypeOf(k8s.networking.v1beta1.Ingress),
            ingressExtensions: pulumiTypeOf(k8s.extensions.v1beta1.Ingress),
            helmRelease: pulumiTypeOf(k8s.helm.v3.Release),
            serviceAccount: pulumiTypeOf(k8s.core.v1.ServiceAccount),
            secret: pulumiTypeOf(k8s.core.v1.Secret),
            configMap: pulumiTypeOf(k8s.core.v1.ConfigMap),
        });
    });
    it("every Patch token is an SDK class's token", () => {
        const sdk = new Set<string>();
        for (const group of Object.values(k8s as unknown as Record<string, unknown>)) {
            if (typeof group !== "object" || group === null) continue;
            for (const version of Object.values(group as Record<string, unknown>)) {
                if (typeof version !== "object" || version === null) continue;
                for (const [name, cls] of Object.entries(version as Record<string, unknown>)) {
                    if (name.endsWith("Patch") && typeof cls === "function") sdk.add(pulumiTypeOf(cls as never));
                }
            }
        }
        expect(PATCH_TYPES.filter((t) => !sdk.has(t))).toEqual([]);
        expect(PATCH_TYPES).toContain("kubernetes:apps/v1:DeploymentPatch");
        expect(PATCH_TYPES).toContain("kubernetes:core/v1:ServiceAccountPatch");
    });
    it("the pack imports nothing from @pulumi/kubernetes", async () => {
        const fs = await import("node:fs");
        const path = await import("node:path");
        const root = path.join(__dirname, "../../../policies");
        const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
            d.name === "node_modules" ? [] : d.isDirectory() ? files(path.join(dir, d.name)) : d.name.endsWith(".ts") ? [path.join(dir, d.name)] : []);
        expect(files(root).filter((f) => fs.readFileSync(f, "utf8").match(/from "@pulumi\/kubernetes/))).toEqual([]);
    });
});
