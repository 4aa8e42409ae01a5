/** The plan's offline answers for Kubernetes programs (pure functions; the subprocess tests run them end to end). */
import { describe, expect, it } from "vitest";
import { offlineAnswer, unansweredInvokeMessage } from "../../src/cli/invokes";
import { PROVIDER_CONSTRUCTED, decodeManifests, kubernetesComputed } from "../../src/cli/kubernetes-invokes";

describe("kubernetes:yaml:decode offline", () => {
    it("returns every object of a multi-document manifest, skipping documents without kind or apiVersion", () => {
        const text = [
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}",
            "",
            "# only a comment",
            "kind: ConfigMap\nmetadata: {name: no-api-version}",
            '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "json"}}',
            "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - {name: c, resources: {limits: {nvidia.com/gpu: 1}}}",
        ].join("\n---\n");
        expect(offlineAnswer("kubernetes:yaml:decode", { text }, "us-east-1")?.result).toEqual({ result: [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
            { apiVersion: "v1", kind: "Service", metadata: { name: "json" } },
            { apiVersion: "apps/v1", kind: "Deployment", spec: { template: { spec: { containers: [{ name: "c", resources: { limits: { "nvidia.com/gpu": 1 } } }] } } } },
        ] });
    });
    it("fails on malformed YAML with the parser's first line", () => {
        expect(() => decodeManifests("kind: [unclosed")).toThrow(/^error converting YAML to JSON: /);
    });
    it("fails a chart rendered by the provider with its own fix, beside a data source's fixture hint", () => {
        expect(unansweredInvokeMessage(["kubernetes:helm:template"])).toMatch(/^helm\.v3\.Chart renders its chart with `helm template`.*yaml\.ConfigFile$/);
        const both = unansweredInvokeMessage(["kubernetes:helm:template", "aws:ec2/getAmi:getAmi"]).split("\n");
        expect(both).toHaveLength(2);
        expect(both[1]).toMatch(/^the program calls the data source "aws:ec2\/getAmi:getAmi", which airlock plan cannot answer offline: pass its result with --invoke-fixtures FILE/);
    });
    it("names the provider-constructed components", () => {
        expect(Object.keys(PROVIDER_CONSTRUCTED).sort()).toEqual([
            "kubernetes:helm.sh/v4:Chart", "kubernetes:kustomize/v2:Directory", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup"]);
    });
});

describe("Kubernetes auto-names at preview", () => {
    it("names an object without metadata.name as the provider's Check does, and leaves named ones alone", () => {
        expect(kubernetesComputed("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { labels: { a: "b" } } }, () => "ns-1a2b3c4"))
            .toEqual({ metadata: { labels: { a: "b" }, name: "ns-1a2b3c4" } });
        expect(kubernetesComputed("kubernetes:core/v1:Namespace", { apiVersion: "v1", kind: "Namespace", metadata: { name: "x" } }, () => "y")).toEqual({});
        expect(kubernetesComputed("kubernetes:helm.sh/v3:Release", { chart: "c" }, () => "y")).toEqual({});
    });
});
