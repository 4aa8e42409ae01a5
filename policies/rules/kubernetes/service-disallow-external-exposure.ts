import { failClosed } from "../../lib/fail-closed";
import { KUBERNETES_TYPES, type ServiceProps, validateKubernetesType } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Services stay inside the cluster: ClusterIP (or headless), no external IPs. */
export const serviceDisallowExternalExposure: AirlockResourcePolicy = {
    name: "kubernetes-service-disallow-external-exposure",
    group: "kubernetes",
    resourceType: KUBERNETES_TYPES.service,
    description: "Checks that no Service is of type LoadBalancer or NodePort and that none lists externalIPs.",
    rationale: "A LoadBalancer publishes the model server to whatever network the cloud load balancer faces (often the internet), a NodePort " +
        "opens it on every node's interfaces, and externalIPs route outside traffic in by address; all of them bypass the gateway " +
        "that is the enclave's only way in.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Use type: ClusterIP (the default) without externalIPs, and let the configured gateway reach the Service.",
    validateResource: failClosed(validateKubernetesType<ServiceProps>(KUBERNETES_TYPES.service, (svc, _args, report) => {
        const type = svc.spec?.type;
        if (type === "LoadBalancer" || type === "NodePort") {
            report(`spec.type is ${type}, which exposes the Service outside the cluster${type === "NodePort" ? " on every node's interfaces" : " through a cloud load balancer"}: use ClusterIP and reach it through the gateway.`);
        }
        if ((svc.spec?.externalIPs ?? []).length > 0) {
            report(`spec.externalIPs routes outside traffic for ${JSON.stringify(svc.spec?.externalIPs)} into the Service: remove it.`);
        }
    })),
};
