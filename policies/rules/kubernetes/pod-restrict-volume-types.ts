import { RESTRICTED_VOLUME_TYPES, sensitiveHostPathReason } from "@airlock/baseline";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Only the volume types of the restricted Pod Security Standard; never a hostPath. */
export const podRestrictVolumeTypes: AirlockResourcePolicy = {
    name: "kubernetes-pod-restrict-volume-types",
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: `Checks that every volume of every pod template is one of ${RESTRICTED_VOLUME_TYPES.join(", ")} (the restricted Pod Security Standard), so no hostPath or in-tree network volume is mounted.`,
    rationale: "A hostPath exposes the node's file system: its container-runtime socket (root on the node), kubelet credentials, other " +
        "pods' volumes, cloud CLI credentials. In-tree network volumes (nfs, iscsi, cephfs, …) attach storage outside the cluster's " +
        "reviewed storage classes, a path for weights and data to leave. Model stores and outputs are PersistentVolumeClaims.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Replace hostPath and network volumes with persistentVolumeClaim (model stores, data, outputs), emptyDir (scratch) or secret/configMap volumes.",
    validateResource: failClosed(validatePodTemplates((t, _args, report) => {
        (t.spec.volumes ?? []).forEach((v, i) => {
            const field = `${t.specField}.volumes[${i}] (${String(v.name)})`;
            const types = Object.keys(v).filter((k) => k !== "name" && (v as Record<string, unknown>)[k] !== undefined);
            if (v.hostPath !== undefined) {
                const p = String(v.hostPath.path ?? "");
                const why = sensitiveHostPathReason(p);
                report(`${field} is a hostPath of ${p}${why ? `, which ${why}` : ", which exposes the node's file system"}: use a persistentVolumeClaim or an emptyDir.`);
                return;
            }
            for (const type of types.filter((k) => !RESTRICTED_VOLUME_TYPES.includes(k))) {
                report(`${field} is a ${type} volume, which the restricted Pod Security Standard forbids (allowed: ${RESTRICTED_VOLUME_TYPES.join(", ")}): use a persistentVolumeClaim.`);
            }
        });
    })),
};
