import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { INGRESS_TYPES } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-ingress-disallow-external-exposure";
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";

/** An Ingress only for a reviewed, internal-only ingress class. */
export const ingressDisallowExternalExposure: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    resourceType: INGRESS_TYPES[0]!,
    resourceTypes: INGRESS_TYPES,
    description: "Checks that every Ingress names its class (spec.ingressClassName, or the kubernetes.io/ingress.class annotation) and that the class is in allowedIngressClasses.",
    rationale: "An Ingress asks the cluster's ingress controller to route traffic from outside into a Service; with the default class that is " +
        "usually an internet-facing load balancer. Only a reviewed controller that serves the private network may route to the enclave.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the Ingress and reach the servers through the configured gateway, or set spec.ingressClassName to an internal class listed in allowedIngressClasses.",
    configSchema: configSchemaFor("allowedIngressClasses"),
    validateResource: failClosed((args, report) => {
        if (!INGRESS_TYPES.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${INGRESS_TYPES.map((t) => `'${t}'`).join(", ")}`);
            return;
        }
        const { allowedIngressClasses } = readConfig(args, NAME, "allowedIngressClasses");
        const props = args.props as { spec?: { ingressClassName?: string }; metadata?: { annotations?: Record<string, string> } };
        const fromSpec = props.spec?.ingressClassName;
        const cls = fromSpec ?? props.metadata?.annotations?.[CLASS_ANNOTATION];
        const allowed = allowedIngressClasses.join(", ") || "none configured";
        if (cls === undefined) {
            report(`spec.ingressClassName is unset, so the cluster's default ingress controller (usually internet-facing) routes outside traffic in: ` +
                `remove the Ingress or name an internal class from allowedIngressClasses (${allowed}).`);
        } else if (!allowedIngressClasses.includes(String(cls))) {
            report(`${fromSpec !== undefined ? "spec.ingressClassName" : `metadata.annotations["${CLASS_ANNOTATION}"]`} is "${String(cls)}", which is not in allowedIngressClasses (${allowed}): ` +
                "remove the Ingress or use a reviewed internal class.");
        }
    }),
};
