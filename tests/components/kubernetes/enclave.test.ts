import * as pulumi from "@pulumi/pulumi";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isSecretInput, only, registrations, settle, unsecret, unwrap } from "../../support/mocks";
import { installMocks } from "../../support/mocks";
import { validateManifest } from "../../support/kubernetes-schema";

let m: typeof import("../../../components/kubernetes");
beforeAll(async () => { await installMocks(); m = await import("../../../components/kubernetes"); });
beforeEach(() => { registrations.length = 0; });

const base = {
    namespace: "airlock-prod",
    stack: "prod",
    dns: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } },
    clusterCidrs: ["10.0.0.0/8", "172.16.0.0/12"],
    apiKeys: new Map([["qwen", pulumi.secret("sentinel-api-key")]]),
};
const labels = { "airlock.dev/stack": "prod", "app.kubernetes.io/part-of": "airlock" };
const byName = (type: string, name: string) => only(type).find((r) => r.name === name)!;

describe("Enclave (kubernetes)", () => {
    it("creates the namespace enforcing the restricted Pod Security Standard", async () => {
        const e = new m.Enclave("enc", base);
        await settle(e);
        const ns = only("kubernetes:core/v1:Namespace");
        expect(ns).toHaveLength(1);
        expect(ns[0]!.inputs.metadata).toEqual({
            name: "airlock-prod",
            labels: {
                ...labels,
                "pod-security.kubernetes.io/enforce": "restricted",
                "pod-security.kubernetes.io/enforce-version": "latest",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
            },
        });
        expect(await unwrap(e.namespace)).toBe("airlock-prod");
    });

    it("denies everything by default and lets only model-staging pods out: DNS, then HTTPS to public addresses", async () => {
        const e = new m.Enclave("np", base);
        await settle(e);
        const policies = only("kubernetes:networking.k8s.io/v1:NetworkPolicy");
        expect(policies.map((p) => p.name)).toEqual(["np-default-deny", "np-staging-egress"]);
        expect(policies[0]!.inputs.metadata).toEqual({ name: "default-deny", namespace: "airlock-prod", labels });
        expect(policies[0]!.inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        expect(policies[1]!.inputs.metadata).toEqual({ name: "model-staging-egress", namespace: "airlock-prod", labels });
        expect(policies[1]!.inputs.spec).toEqual({
            podSelector: { matchLabels: { "airlock.dev/role": "model-staging" } },
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
                    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                },
                { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "169.254.169.254/32"] } }], ports: [{ protocol: "TCP", port: 443 }] },
            ],
        });
    });

    it("runs pods as a dedicated ServiceAccount without a token; secrets stay Pulumi secrets", async () => {
        const e = new m.Enclave("sec", { ...base, hfToken: pulumi.secret("sentinel-hf"), registryAuth: pulumi.secret('{"auths":{}}') });
        await settle(e);
        const sa = only("kubernetes:core/v1:ServiceAccount");
        expect(sa.map((r) => r.inputs)).toEqual([{
            apiVersion: "v1", kind: "ServiceAccount",
            metadata: { name: "airlock-workload", namespace: "airlock-prod", labels },
            automountServiceAccountToken: false,
            imagePullSecrets: [{ name: "registry-auth" }],
        }]);
        const pull = byName("kubernetes:core/v1:Secret", "sec-registry-auth").inputs;
        expect(pull.type).toBe("kubernetes.io/dockerconfigjson");
        const hf = byName("kubernetes:core/v1:Secret", "sec-hf-token").inputs;
        const key = byName("kubernetes:core/v1:Secret", "sec-api-key-qwen").inputs;
        expect(key.metadata).toEqual({ name: "qwen-api-key", namespace: "airlock-prod", labels: { ...labels, "airlock.dev/server": "qwen" } });
        for (const s of [pull, hf, key]) expect(isSecretInput(s.stringData)).toBe(true);
        expect(unsecret(key.stringData)).toEqual({ "api-key": "sentinel-api-key" });
        expect(unsecret(hf.stringData)).toEqual({ token: "sentinel-hf" });
        expect(e.hfTokenSecret?.key).toBe("token");
        expect(await unwrap(e.apiKeySecrets.get("qwen")!.name)).toBe("qwen-api-key");
        expect(await Promise.all(e.imagePullSecrets.map(unwrap))).toEqual(["registry-auth"]);
        for (const r of registrations.filter((x) => x.type.startsWith("kubernetes:"))) validateManifest(r.type, r.name, r.inputs);
    });

    it("creates no pull secret and no HF token Secret when none is configured", async () => {
        const e = new m.Enclave("min", base);
        await settle(e);
        expect(only("kubernetes:core/v1:Secret").map((s) => s.name)).toEqual(["min-api-key-qwen"]);
        expect(only("kubernetes:core/v1:ServiceAccount")[0]!.inputs.imagePullSecrets).toBeUndefined();
        expect(e.imagePullSecrets).toEqual([]);
        expect(e.hfTokenSecret).toBeUndefined();
    });

    it("rejects a system namespace and an empty range list", () => {
        expect(() => new m.Enclave("bad", { ...base, namespace: "default", clusterCidrs: [] }))
            .toThrow(/namespace: must not be the system namespace "default"\n {2}- clusterCidrs: must name at least one range/);
    });
});
// Not proven here: that the cluster's CNI enforces NetworkPolicies (README: use one that does).
