/**
 * The secure enclave of tests/fixtures/programs/kubernetes/manifests.ts as analyzer fixtures (raw @pulumi/kubernetes
 * inputs, as the raw programs register them). Each call returns fresh objects, so a case mutates one field.
 */
import { ENCLAVE_TYPES, type EnclaveKey, type EnclaveSpec, secureSpec } from "../../fixtures/programs/kubernetes/manifests";
import type { FixtureResource } from "../harness";

export const NS = "team-llm";
/** Logical name of each resource of the enclave. */
export const K = Object.fromEntries(Object.keys(ENCLAVE_TYPES).map((k) => [k, `team-${k}`])) as Record<EnclaveKey, string>;

/** Every resource of `spec` as a fixture. */
export function fixturesOf(spec: EnclaveSpec): FixtureResource[] {
    return (Object.keys(ENCLAVE_TYPES) as EnclaveKey[]).flatMap((key) => {
        const props = spec[key];
        return props === undefined ? [] : [{ type: ENCLAVE_TYPES[key], name: K[key], props }];
    });
}

export const secureEnclave = (): FixtureResource[] => fixturesOf(secureSpec(NS));

/** The secure enclave with `edit` applied to its spec. */
export function withSpec(edit: (s: EnclaveSpec) => void): FixtureResource[] {
    const spec = secureSpec(NS);
    edit(spec);
    return fixturesOf(spec);
}

/** Shortcuts into the spec. */
export const pod = (s: EnclaveSpec, key: "server" | "stage" | "training") => s[key].spec.template.spec;
export const container = (s: EnclaveSpec, key: "server" | "stage" | "training") => pod(s, key).containers[0];

export const LWS_TYPE = "kubernetes:leaderworkerset.x-k8s.io/v1:LeaderWorkerSet";
/** Where the LeaderWorkerSet of {@link withLeaderWorkerSet} keeps its worker pod spec. */
export const LWS_WORKER = "spec.leaderWorkerTemplate.workerTemplate.spec";

/**
 * The secure enclave plus a LeaderWorkerSet (an apiextensions.CustomResource, the layout vLLM's multi-node docs use)
 * whose leader and worker templates are copies of the secure server's pod template; `edit` changes the worker
 * template, `cr` the custom resource's props.
 */
export function withLeaderWorkerSet(edit: (worker: Record<string, any>) => void = () => {}, cr: (props: Record<string, any>) => void = () => {}): FixtureResource[] {
    const spec = secureSpec(NS);
    const leader = structuredClone(spec.server.spec.template);
    const worker = structuredClone(spec.server.spec.template);
    edit(worker);
    const props: Record<string, any> = {
        apiVersion: "leaderworkerset.x-k8s.io/v1", kind: "LeaderWorkerSet", metadata: { name: "qwen-lws", namespace: NS },
        spec: { replicas: 1, leaderWorkerTemplate: { size: 2, leaderTemplate: leader, workerTemplate: worker } },
    };
    cr(props);
    return [...fixturesOf(spec), { type: LWS_TYPE, name: "lws", props }];
}
