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
