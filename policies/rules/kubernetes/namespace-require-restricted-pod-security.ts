import type { PolicyResource } from "@pulumi/policy";
import { POD_SECURITY_ENFORCE_LABEL, POD_SECURITY_LEVEL } from "@airlock/baseline";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { KUBERNETES_TYPES, POD_TEMPLATE_TYPES } from "../../lib/kubernetes-types";
import { oneWorkloadPerResource, workloadsOf } from "../../lib/kubernetes-stack";
import { namespaceOf } from "../../lib/pod";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";

type Level = { readonly level: string | undefined } | { readonly unknown: true };

/** Every namespace that runs a workload is declared in the stack and enforces the restricted Pod Security Standard. */
export const namespaceRequireRestrictedPodSecurity: AirlockStackPolicy = {
    name: "kubernetes-namespace-require-restricted-pod-security",
    group: "kubernetes",
    resourceType: POD_TEMPLATE_TYPES[0]!,
    resourceTypes: POD_TEMPLATE_TYPES,
    description: `Checks that every namespace running a workload of the stack (custom resources with pod specs included) is a Namespace of the stack labelled ${POD_SECURITY_ENFORCE_LABEL}: ${POD_SECURITY_LEVEL}.`,
    rationale: "Pod Security Admission then rejects, at the API server, any pod of the namespace that breaks the restricted standard — " +
        "including pods this pack never sees (a Helm release, kubectl, an operator). A namespace the stack does not declare may " +
        "enforce nothing, and the pack cannot tell.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Declare the namespace in the program with metadata.labels { "${POD_SECURITY_ENFORCE_LABEL}": "${POD_SECURITY_LEVEL}" } (the Airlock Enclave does).`,
    validateStack: failClosedStack((args, reportViolation) => {
        const namespaces = new Map<string, { r: PolicyResource; level: Level }>();
        for (const r of args.resources.filter((x) => x.type === KUBERNETES_TYPES.namespace)) {
            const meta = (r.props as { metadata?: { name?: string; labels?: Record<string, string> } }).metadata;
            let name: string | undefined;
            try { name = meta?.name; } catch (e) { if (!isUnknownValueError(e)) throw e; continue; }
            if (name === undefined) continue;
            let level: Level;
            try { level = { level: meta?.labels?.[POD_SECURITY_ENFORCE_LABEL] }; } catch (e) {
                if (!isUnknownValueError(e)) throw e;
                level = { unknown: true };
            }
            namespaces.set(name, { r, level });
        }
        const reported = new Set<string>();
        checkEach(oneWorkloadPerResource(workloadsOf(args.resources)).map((w) => ({ ...w, urn: w.r.urn })), reportViolation, ({ r, t }, report) => {
            const ns = namespaceOf(t.metadata, r.provider);
            if (ns.name === undefined) {
                report(`metadata.namespace is unset and the provider sets none, so the ${t.kind} lands in ${ns.reason}, whose pod security cannot be verified: set metadata.namespace.`);
                return;
            }
            const declared = namespaces.get(ns.name);
            if (declared === undefined) {
                report(`namespace "${ns.name}" is not declared in this stack, so whether it enforces the ${POD_SECURITY_LEVEL} Pod Security Standard cannot be verified: ` +
                    `declare it as a Namespace labelled ${POD_SECURITY_ENFORCE_LABEL}: ${POD_SECURITY_LEVEL}.`);
                return;
            }
            if (reported.has(ns.name)) return;
            const l = declared.level;
            if ("unknown" in l) {
                reported.add(ns.name);
                reportViolation(`metadata.labels["${POD_SECURITY_ENFORCE_LABEL}"] is unknown at preview; security-relevant fields must be known before deployment — make it a plain value.`, declared.r.urn);
            } else if (l.level !== POD_SECURITY_LEVEL) {
                reported.add(ns.name);
                reportViolation(`metadata.labels["${POD_SECURITY_ENFORCE_LABEL}"] is ${l.level === undefined ? "unset" : `"${l.level}"`}, so the API server admits ` +
                    `pods of namespace "${ns.name}" that break the ${POD_SECURITY_LEVEL} standard: set it to "${POD_SECURITY_LEVEL}".`, declared.r.urn);
            }
        });
    }),
};
