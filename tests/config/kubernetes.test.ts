/** The kubernetes parts of the stack config: defaults, and errors that name the key, the value and the fix. */
import { describe, expect, it } from "vitest";
import { ConfigError, checkKeyPlacement, parseStackConfig } from "../../src/config";
import { withRaw } from "../fixtures/config";

const onKubernetes = (mutate: (r: Record<string, any>) => void = () => undefined) => withRaw((r) => {
    r.platforms = ["kubernetes"];
    r.inferenceServers.forEach((s: Record<string, unknown>) => { s.platform = "kubernetes"; });
    r.trainingJobs.forEach((j: Record<string, unknown>) => { j.platform = "kubernetes"; });
    r.kubernetes = { gateway: { namespace: "ingress-gateway" } };
    mutate(r);
});
const parse = (raw: Record<string, unknown>) => parseStackConfig(raw, "prod");
function problemsOf(raw: Record<string, unknown>): string {
    try {
        parse(raw);
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("airlock:kubernetes", () => {
    it("fills the defaults of the section and of the per-workload options", () => {
        const c = parse(onKubernetes((r) => {
            r.inferenceServers[0].kubernetes = {};
            r.trainingJobs[0].kubernetes = {};
        }));
        expect(c.kubernetes).toEqual({
            gateway: { namespace: "ingress-gateway", podLabels: {} },
            storage: { accessMode: "ReadWriteOnce", modelSizeGiB: 100, sizeGiBByModel: {} },
            nodeSelector: {},
            tolerations: [],
            clusterCidrs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"],
            dns: { namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } },
            stagingTimeoutMin: 360,
        });
        expect(c.inferenceServers[0]!.kubernetes).toEqual({ startupTimeoutMin: 30, podDisruptionBudget: true });
        expect(c.trainingJobs[0]!.kubernetes).toEqual({ activeDeadlineMin: 1440, backoffLimit: 0, ttlAfterFinishedMin: 10080, outputSizeGiB: 100 });
    });

    it.each<[string, (r: Record<string, any>) => void, string]>([
        ["servers without a gateway", (r) => { delete r.kubernetes; },
            "airlock:kubernetes.gateway: is required when an inference server runs on kubernetes: set { namespace, podLabels? } of the gateway allowed to reach the servers (nothing else can) (not set)"],
        ["the section without the platform", (r) => { r.platforms = ["docker"]; r.inferenceServers.forEach((s: any) => { s.platform = "docker"; }); r.trainingJobs.forEach((j: any) => { j.platform = "docker"; }); },
            "airlock:kubernetes: is set, but kubernetes is not in airlock:platforms; add it there or remove this section"],
        ["a system namespace", (r) => { r.kubernetes.namespace = "kube-system"; },
            "airlock:kubernetes.namespace: must not be a system namespace (default, kube-system, kube-public, kube-node-lease); Airlock creates and owns its namespace (got \"kube-system\")"],
        ["an uppercase namespace", (r) => { r.kubernetes.namespace = "Airlock"; },
            "airlock:kubernetes.namespace: must be a Kubernetes namespace name: 1–63 lowercase letters, digits or '-', starting and ending with a letter or digit (got \"Airlock\")"],
        ["an unquoted boolean label value", (r) => { r.kubernetes.nodeSelector = { "nvidia.com/gpu.present": true }; },
            "airlock:kubernetes.nodeSelector[\"nvidia.com/gpu.present\"]: must be a string (quote numbers and booleans in YAML) (got true)"],
        ["an unknown access mode", (r) => { r.kubernetes.storage = { accessMode: "ReadOnlyMany" }; },
            "airlock:kubernetes.storage.accessMode: must be ReadWriteOnce (replicas share a node) or ReadWriteMany (replicas on any node; needs an RWX storage class) (got \"ReadOnlyMany\")"],
        ["a size for a model that does not exist", (r) => { r.kubernetes.storage = { sizeGiBByModel: { llama: 200 } }; },
            "airlock:kubernetes.storage.sizeGiBByModel.llama: names no model in airlock:models (known: qwen3-4b, nanonets-ocr) (got 200)"],
        ["a pull secret that reuses an API key", (r) => { r.kubernetes.imagePullSecret = "qwenApiKey"; },
            "airlock:kubernetes.imagePullSecret: must not reuse the config key \"qwenApiKey\"; name a dedicated secret such as \"registryAuth\" (got \"qwenApiKey\")"],
        ["a typo in the section", (r) => { r.kubernetes.nodeSelectors = {}; },
            "airlock:kubernetes.nodeSelectors: is not a known setting; check its spelling against docs/config.md (got {})"],
        ["kubernetes options on a docker server", (r) => { r.platforms = ["docker", "kubernetes"]; r.inferenceServers[1].platform = "docker"; r.inferenceServers[1].kubernetes = {}; },
            "airlock:inferenceServers[1].kubernetes: applies only to servers on platform kubernetes, but this server runs on docker; remove it or set platform: kubernetes (got {})"],
        ["an autoscaler below the replicas", (r) => { r.inferenceServers[0].replicas = 3; r.inferenceServers[0].kubernetes = { autoscaling: { maxReplicas: 2, cpuUtilizationPercent: 70 } }; },
            "airlock:inferenceServers[0].kubernetes.autoscaling.maxReplicas: is 2, below replicas (3, the autoscaler's minimum); raise it to at least 3 (got 2)"],
        ["an autoscaler with two metrics", (r) => { r.inferenceServers[0].kubernetes = { autoscaling: { maxReplicas: 2, cpuUtilizationPercent: 70, podsMetric: { name: "m", averageValue: "1" } } }; },
            "airlock:inferenceServers[0].kubernetes.autoscaling: must set exactly one of cpuUtilizationPercent or podsMetric"],
        ["a data volume that is not a claim name", (r) => { r.trainingJobs[0].mounts[1].volume = "Training_Data"; },
            "airlock:trainingJobs[0].mounts[1].volume: must name an existing PersistentVolumeClaim of the enclave namespace on kubernetes (lowercase letters, digits, '-', '.') (got \"Training_Data\")"],
        ["a toleration with a bad effect", (r) => { r.kubernetes.tolerations = [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoRun" }]; },
            "airlock:kubernetes.tolerations[0].effect: must be NoSchedule, PreferNoSchedule or NoExecute (got \"NoRun\")"],
    ])("rejects %s with the key path and the fix", (_title, mutate, message) => {
        const text = problemsOf(onKubernetes(mutate));
        expect(text).toContain(`  - ${message}`);
        expect(text).toContain("fix: pulumi config set --path");
    });

    it("treats the pull secret as a secret key: plain text is rejected with the fix", () => {
        const config = parse(onKubernetes((r) => { r.kubernetes.imagePullSecret = "registryAuth"; }));
        expect(checkKeyPlacement(config, ["registryAuth"], [])).toEqual([{
            path: ["registryAuth"], message: "holds a secret in plain text in the stack file; remove it and store it encrypted",
            fix: "pulumi config rm airlock:registryAuth && pulumi config set --secret airlock:registryAuth <value>",
        }]);
        expect(checkKeyPlacement(config, [], ["registryAuth", "qwenApiKey", "ocrApiKey"])).toEqual([]);
    });
});
