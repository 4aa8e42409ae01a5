import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { isUnder } from "../../lib/paths";
import { classifyPod, containersOf, describePod, podMayWriteModelStore, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-pod-require-read-only-model-volumes";

/** Every mount under a model root is read-only, except in a verified model-staging Job. */
export const podRequireReadOnlyModelVolumes: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every volumeMount at or under a model root (allowedModelRoots) sets readOnly: true, and that a persistentVolumeClaim mounted there is claimed readOnly, unless the pod is a verified model-staging download.",
    rationale: "Weights are reviewed once, at a pinned revision, when they are staged. A server or job that can write the model store can " +
        "swap them for backdoored ones that every other replica then loads. Only the staging Job writes, and only where it downloads.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set readOnly: true on the volumeMount and on the persistentVolumeClaim volume source of every model volume.",
    configSchema: configSchemaFor("allowedModelRoots"),
    validateResource: failClosed(validatePodTemplates((t, args, report) => {
        const { allowedModelRoots } = readConfig(args, NAME, "allowedModelRoots");
        const volumes = new Map((t.spec.volumes ?? []).map((v, i) => [String(v.name), { v, i }]));
        let w: ReturnType<typeof classifyPod> | undefined;
        for (const ref of containersOf(t)) {
            (ref.c.volumeMounts ?? []).forEach((m, i) => {
                const path = String(m.mountPath ?? "");
                const root = allowedModelRoots.find((r) => path.startsWith("/") && isUnder(path, r));
                if (root === undefined) return;
                const vol = volumes.get(String(m.name));
                const claimWritable = vol?.v.persistentVolumeClaim !== undefined && vol.v.persistentVolumeClaim.readOnly !== true;
                if (m.readOnly === true && !claimWritable) return;
                w ??= classifyPod(t);
                if (podMayWriteModelStore(w)) return;
                if (m.readOnly !== true) {
                    report(`${ref.field}.volumeMounts[${i}] mounts ${path} (under the model root ${root}) writable: this ${describePod(w)} must not change ` +
                        "the model store — set readOnly: true.");
                } else {
                    report(`${t.specField}.volumes[${vol!.i}].persistentVolumeClaim (${String(m.name)}, mounted at ${path}) is not claimed readOnly: set persistentVolumeClaim.readOnly: true.`);
                }
            });
        }
    })),
};
