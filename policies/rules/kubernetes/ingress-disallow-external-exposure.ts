import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { GATEWAY_TYPES, INGRESS_TYPES } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-ingress-disallow-external-exposure";
const CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const TYPES: readonly string[] = [...INGRESS_TYPES, ...GATEWAY_TYPES];

/** An Ingress or a Gateway API Gateway only for a reviewed, internal-only class. */
export const ingressDisallowExternalExposure: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    resourceType: INGRESS_TYPES[0]!,
    resourceTypes: TYPES,
    description: "Checks that every Ingress names its class (spec.ingressClassName, or the kubernetes.io/ingress.class annotation) and every " +
        "Gateway API Gateway (gateway.networking.k8s.io) its spec.gatewayClassName, and that the class is in allowedIngressClasses.",
    rationale: "An Ingress asks the cluster's ingress controller to route traffic from outside into a Service; with the default class that is " +
        "usually an internet-facing load balancer. A Gateway of the Gateway API (Ingress's successor) does the same for its " +
        "GatewayClass's controller, whatever routes attach to it. Only a reviewed controller that serves the private network may route to the enclave.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the Ingress or Gateway and reach the servers through the configured gateway, or set spec.ingressClassName " +
        "(spec.gatewayClassName) to an internal class listed in allowedIngressClasses.",
    configSchema: configSchemaFor("allowedIngressClasses"),
    validateResource: failClosed((args, report) => {
        if (!TYPES.includes(args.type)) {
            args.notApplicable(`Policy only applies to resources of type ${TYPES.map((t) => `'${t}'`).join(", ")}`);
            return;
        }
        const { allowedIngressClasses } = readConfig(args, NAME, "allowedIngressClasses");
        const allowedList = allowedIngressClasses.join(", ") || "none configured";
        if (GATEWAY_TYPES.includes(args.type)) {
            const gcls = (args.props as { spec?: { gatewayClassName?: string } }).spec?.gatewayClassName;
            if (gcls === undefined || gcls === "") {
                report(`spec.gatewayClassName is unset, so which controller (usually an internet-facing load balancer) serves the Gateway cannot be verified: ` +
                    `remove the Gateway or name an internal GatewayClass from allowedIngressClasses (${allowedList}).`);
            } else if (!allowedIngressClasses.includes(String(gcls))) {
                report(`spec.gatewayClassName is "${String(gcls)}", which is not in allowedIngressClasses (${allowedList}): ` +
                    "remove the Gateway or use a reviewed internal GatewayClass.");
            }
            return;
        }
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
