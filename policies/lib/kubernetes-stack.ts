/**
 * Cross-resource reading for the stack rules: which workloads run in which namespace with which pod labels, and what
 * the NetworkPolicies of each namespace allow. A NetworkPolicy whose fields are unknown at preview cannot vouch for
 * anything; its name is kept so messages can say why.
 */
import type { PolicyResource } from "@pulumi/policy";
import { type LabelSelector, isEmptySelector } from "@airlock/baseline";
import { analyzedProps } from "./analyzed";
import { KUBERNETES_TYPES, type SecretProps } from "./kubernetes-types";
import { type EnvSourceKeys, type PodTemplate, namespaceOf, podTemplatesOf } from "./pod";
import { isUnknownValueError } from "./sdk";

/** A resource that runs pods, with its pod template. */
export interface WorkloadRef {
    readonly r: PolicyResource;
    readonly t: PodTemplate;
}

/**
 * Every pod template of the stack (a custom resource may hold several: a LeaderWorkerSet's leader and workers), read
 * from `propsOf(r)` (the stack props by default; `analyzedProps` for what Analyze saw, see lib/analyzed.ts).
 */
export function workloadsOf(
    resources: readonly PolicyResource[], propsOf: (r: PolicyResource) => Record<string, unknown> = (r) => r.props,
): WorkloadRef[] {
    return resources.flatMap((r) => podTemplatesOf(r.type, propsOf(r)).map((t) => ({ r, t })));
}

/** One {@link WorkloadRef} per resource (for rules about where a resource runs, not what each of its pods is). */
export const oneWorkloadPerResource = (ws: readonly WorkloadRef[]): WorkloadRef[] =>
    ws.filter((w, i) => ws.findIndex((x) => x.r.urn === w.r.urn) === i);

export interface NetworkPolicyFacts {
    readonly r: PolicyResource;
    readonly namespace: string | undefined;
    readonly podSelector: LabelSelector | undefined;
    /** The effective policyTypes: as written, else Ingress plus Egress when egress rules exist. */
    readonly policyTypes: readonly string[];
    readonly ingressRules: number;
    readonly egressRules: number;
}

/** What the stack's NetworkPolicies declare; `unknown` lists the logical names of those that cannot be read at preview. */
export function indexNetworkPolicies(resources: readonly PolicyResource[]): { readonly policies: NetworkPolicyFacts[]; readonly unknown: string[] } {
    const policies: NetworkPolicyFacts[] = [];
    const unknown: string[] = [];
    for (const r of resources.filter((x) => x.type === KUBERNETES_TYPES.networkPolicy)) {
        try {
            const p = r.props as { metadata?: { namespace?: string }; spec?: { podSelector?: LabelSelector; policyTypes?: string[]; ingress?: unknown[]; egress?: unknown[] } };
            const ns = namespaceOf(p.metadata, r.provider);
            const spec = p.spec ?? {};
            const egressRules = (spec.egress ?? []).length;
            const ingressRules = (spec.ingress ?? []).length;
            const written = spec.policyTypes?.map(String);
            policies.push({
                r, namespace: ns.name, podSelector: spec.podSelector ? JSON.parse(JSON.stringify(spec.podSelector)) as LabelSelector : undefined,
                policyTypes: written ?? ["Ingress", ...(egressRules > 0 ? ["Egress"] : [])], ingressRules, egressRules,
            });
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
            unknown.push(r.name);
        }
    }
    return { policies, unknown };
}

/** The directions a namespace denies by default: a policy selecting every pod, listing the direction, allowing nothing. */
export function defaultDenies(policies: readonly NetworkPolicyFacts[], namespace: string): { ingress: boolean; egress: boolean } {
    const inNs = policies.filter((p) => p.namespace === namespace && isEmptySelector(p.podSelector));
    return {
        ingress: inNs.some((p) => p.policyTypes.includes("Ingress") && p.ingressRules === 0),
        egress: inNs.some((p) => p.policyTypes.includes("Egress") && p.egressRules === 0),
    };
}

/** `… (the fields of NetworkPolicy "x" are unknown at preview — make them plain values)`, or "". */
export function unknownPoliciesNote(unknown: readonly string[]): string {
    return unknown.length === 0 ? ""
        : ` (the fields of NetworkPolicy ${unknown.map((n) => `"${n}"`).join(", ")} are unknown at preview — make them plain values)`;
}

/**
 * The key names of the stack's Secrets (data, stringData) and ConfigMaps (data, binaryData), as Analyze saw them, for
 * the envFrom sources of a pod in `namespace`: `undefined` for a source the stack does not declare (or whose name,
 * namespace or key list is unknown at preview), which may then hold any name.
 */
export function envSourceKeysOf(resources: readonly PolicyResource[]): (namespace: string | undefined) => EnvSourceKeys {
    const keys = new Map<string, ReadonlySet<string>>();
    for (const r of resources) {
        const kind = r.type === KUBERNETES_TYPES.secret ? "secretRef" : r.type === KUBERNETES_TYPES.configMap ? "configMapRef" : undefined;
        if (kind === undefined) continue;
        const p = analyzedProps<SecretProps & { binaryData?: Readonly<Record<string, unknown>> }>(r);
        try {
            const ns = namespaceOf(p.metadata, r.provider).name;
            const name = p.metadata?.name;
            if (ns === undefined || typeof name !== "string") continue;
            keys.set(`${kind}:${ns}/${name}`, new Set([p.data, p.stringData, p.binaryData].flatMap((m) => Object.keys(m ?? {}))));
        } catch (e) {
            if (!isUnknownValueError(e)) throw e;
        }
    }
    return (namespace) => (kind, name) => (namespace === undefined ? undefined : keys.get(`${kind}:${namespace}/${name}`));
}
