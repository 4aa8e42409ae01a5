/**
 * The prod stack (Pulumi.prod.yaml, kubernetes platform) in-process under the plan's recording monitor: every
 * Kubernetes manifest it registers is valid against the Kubernetes OpenAPI schema, the pack passes it under the prod
 * config, serving waits for staging (dependencies and timeouts as the provider's await logic needs them), and the
 * stack outputs name the in-cluster URLs and the namespace.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { isSecretValue, readable } from "../../src/cli/encoding";
import { readProjectFile, readStackConfig } from "../../src/cli/project";
import { type ProgramRun, type RecordedResource, runProgram } from "../../src/cli/run-program";
import { ENCLAVE_TYPES, secureSpec } from "../fixtures/programs/kubernetes/manifests";
import { ROOT } from "../support/cli";
import { validateManifest } from "../support/kubernetes-schema";
import { analyzeResources } from "../policies/harness";

let run: ProgramRun;
const k8s = () => run.resources.filter((r) => r.type.startsWith("kubernetes:"));
const named = (type: string, name: string) => run.resources.find((r) => r.type === type && r.name === name)!;
const input = (r: RecordedResource) => readable(r.inputs) as Record<string, any>;

beforeAll(async () => {
    const file = readStackConfig(readProjectFile(ROOT)!, "prod", false);
    run = await runProgram({
        project: "airlock", stack: "prod", entry: path.join(ROOT, "src/index.ts"), sdkRoot: ROOT,
        config: { ...file.config, "airlock:hfToken": `hf_${"Z".repeat(34)}` }, secretKeys: [...file.secretKeys, "airlock:hfToken"],
    });
}, 60_000);

describe("prod stack (Pulumi.prod.yaml) on kubernetes", () => {
    it("registers the namespace, network policies, claims, Jobs, Deployments and Services", () => {
        const count = (t: string) => run.resources.filter((r) => r.type === t).length;
        expect(Object.fromEntries(Object.entries({
            ns: "kubernetes:core/v1:Namespace", netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy", pvc: "kubernetes:core/v1:PersistentVolumeClaim",
            job: "kubernetes:batch/v1:Job", deploy: "kubernetes:apps/v1:Deployment", svc: "kubernetes:core/v1:Service", secret: "kubernetes:core/v1:Secret",
            sa: "kubernetes:core/v1:ServiceAccount", pdb: "kubernetes:policy/v1:PodDisruptionBudget", hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
        }).map(([k, t]) => [k, count(t)]))).toEqual({ ns: 1, netpol: 4, pvc: 3, job: 3, deploy: 2, svc: 2, secret: 3, sa: 1, pdb: 2, hpa: 1 });
    });

    it("every manifest is valid against the Kubernetes OpenAPI schema", () => {
        expect(k8s().length).toBe(22);
        for (const r of k8s()) validateManifest(r.type, r.name, r.inputs);
    });

    it("the raw secure enclave of the policy tests is a valid manifest set too", () => {
        const spec = secureSpec("team-llm");
        for (const [key, type] of Object.entries(ENCLAVE_TYPES)) {
            const props = (spec as Record<string, Record<string, unknown> | undefined>)[key];
            if (props !== undefined && type !== ENCLAVE_TYPES.release) validateManifest(type, key, props);
        }
    });

    it("complies with the policy pack under the prod config (a real-looking HF token included)", async () => {
        const violations = await analyzeResources(run.resources.map((r) => ({
            type: r.type, name: r.name, props: r.inputs, parent: r.parent, dependencies: r.dependencies,
            opts: { additionalSecretOutputs: r.options.additionalSecretOutputs, protect: r.options.protect },
        })), loadEnvironmentConfig("prod"));
        expect(violations).toEqual([]);
        // The token reaches only its Secret, and there as a Pulumi secret (encrypted in the state).
        expect(run.resources.filter((r) => JSON.stringify(r.inputs).includes("hf_ZZZ")).map((r) => r.name)).toEqual(["kubernetes-enclave-hf-token"]);
        expect(isSecretValue(named("kubernetes:core/v1:Secret", "kubernetes-enclave-hf-token").inputs.stringData)).toBe(true);
    });

    it("serving waits for staging: each Deployment depends on its model's download Job, awaited with the staging timeout", () => {
        for (const [server, stage] of [["qwen", "qwen3-4b-stage"], ["ocr", "nanonets-ocr-stage"]] as const) {
            const d = named("kubernetes:apps/v1:Deployment", server);
            const job = named("kubernetes:batch/v1:Job", stage);
            expect(d.dependencies).toContain(job.urn);
            expect(job.options.customTimeouts).toEqual({ create: "360m", update: "360m", delete: "" });
            expect(d.options.customTimeouts?.create).toBe(server === "qwen" ? "35m" : "45m");
        }
        const training = named("kubernetes:batch/v1:Job", "qwen-lora");
        expect(training.dependencies).toContain(named("kubernetes:batch/v1:Job", "qwen3-4b-stage").urn);
        expect(input(training).metadata.annotations).toEqual({ "pulumi.com/skipAwait": "true" });
    });

    it("serves the claim of the pinned revision read-only", () => {
        const spec = input(named("kubernetes:apps/v1:Deployment", "qwen")).spec.template.spec;
        expect(spec.volumes[0]).toEqual({ name: "model-0", persistentVolumeClaim: { claimName: "model-qwen3-4b-cdbee75f", readOnly: true } });
        expect(input(named("kubernetes:core/v1:PersistentVolumeClaim", "qwen3-4b")).metadata.name).toBe("model-qwen3-4b-cdbee75f");
    });

    it("exports in-cluster URLs, the enclave namespace and the RunPod endpoint (unknown until created)", () => {
        expect(readable(run.outputs)).toEqual({
            environment: "prod",
            inferenceServers: {
                qwen: { platform: "kubernetes", url: "http://qwen.airlock-prod.svc.cluster.local:8000/v1", urls: ["http://qwen.airlock-prod.svc.cluster.local:8000/v1"], servedModelName: "qwen3-4b" },
                ocr: { platform: "kubernetes", url: "http://ocr.airlock-prod.svc.cluster.local:8000/v1", urls: ["http://ocr.airlock-prod.svc.cluster.local:8000/v1"], servedModelName: "nanonets-ocr" },
                // The endpoint id, hence its invoke URL, is RunPod's answer to the create: unknown at preview.
                "qwen-runpod": { platform: "runpod", url: "[unknown]", urls: ["[unknown]"], servedModelName: "qwen3-4b" },
            },
            enclaves: {
                kubernetes: { namespace: "airlock-prod" },
                runpod: { endpoints: { "qwen-runpod": { endpointId: "[unknown]", templateId: "[unknown]" } } },
            },
            gateways: {},
        });
    });
});
// Not proven here: a real cluster (await logic, scheduling on GPU nodes, NetworkPolicy enforcement by the CNI).
