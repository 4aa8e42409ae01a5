import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-pod-drop-all-capabilities";
const normalize = (cap: string): string => cap.toUpperCase().replace(/^CAP_/, "");

/** capabilities.drop contains ALL; capabilities.add only allow-listed ones. */
export const podDropAllCapabilities: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every container of every pod template drops ALL Linux capabilities and adds back only capabilities in allowedCapabilities.",
    rationale: "The runtime's default capability set includes NET_RAW (forged packets, ARP spoofing on the node's network), CHOWN, " +
        "SETUID and others a model server never needs. Dropping ALL leaves a compromised process without kernel privileges.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set securityContext.capabilities.drop: [\"ALL\"] and remove capabilities.add (or allow-list a reviewed capability in allowedCapabilities).",
    configSchema: configSchemaFor("allowedCapabilities"),
    validateResource: failClosed(validatePodTemplates((t, args, report) => {
        const { allowedCapabilities } = readConfig(args, NAME, "allowedCapabilities");
        const allowed = allowedCapabilities.map(normalize);
        for (const ref of containersOf(t)) {
            const caps = ref.c.securityContext?.capabilities;
            const drop = (caps?.drop ?? []).map(String);
            if (!drop.includes("ALL")) {
                report(`${ref.field}.securityContext.capabilities.drop ${drop.length === 0 ? "is unset" : `is ${JSON.stringify(drop)}`}, so ${ref.label} keeps ` +
                    "the runtime's default capabilities (NET_RAW, SETUID, …): set drop: [\"ALL\"].");
            }
            for (const cap of (caps?.add ?? []).map(String)) {
                if (!allowed.includes(normalize(cap))) {
                    report(`${ref.field}.securityContext.capabilities.add adds ${cap}, which is not in allowedCapabilities (${allowedCapabilities.join(", ") || "none"}): remove it.`);
                }
            }
        }
    })),
};
