/**
 * Enclave (Kubernetes): the namespace of one environment, labelled to enforce the restricted Pod Security Standard,
 * where nothing talks to anything unless a NetworkPolicy says so: a default deny for both directions, and egress
 * (DNS, then HTTPS to public addresses only) for model-staging pods alone. The dedicated ServiceAccount never mounts
 * its token; the API keys, the HF token and the registry pull secret are Secrets built from Pulumi secrets.
 * Ingress to a server (from the configured gateway only) is the InferenceServer's own NetworkPolicy.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    METADATA_ENDPOINT, NAMESPACE_NAME_LABEL, POD_SECURITY_AUDIT_LABEL, POD_SECURITY_ENFORCE_LABEL, POD_SECURITY_LEVEL,
    POD_SECURITY_WARN_LABEL, RESOURCE_NAME, ROLE_LABEL, STACK_LABEL, SYSTEM_NAMESPACES,
} from "@airlock/baseline";
import { DNS_LABEL } from "../../src/config/kubernetes";
import { childName } from "../shared/naming";
import { collect, matches, throwIfInvalid } from "../shared/validation";

/** Pods of a namespace, optionally narrowed by labels. */
export interface PodPeer {
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
}

/** A key of a Secret in the enclave namespace. */
export interface SecretKey {
    readonly name: pulumi.Output<string>;
    readonly key: string;
}

/** Arguments for {@link Enclave}. */
export interface EnclaveArgs {
    /** The namespace Airlock creates and owns, e.g. `airlock-prod`. */
    readonly namespace: string;
    /** Stack name recorded in labels. */
    readonly stack: string;
    /** The cluster DNS model staging may query. */
    readonly dns: PodPeer;
    /** Ranges staging egress never reaches (pods, services, nodes); the metadata endpoint is always excluded. */
    readonly clusterCidrs: readonly string[];
    /** API key per inference server name (Pulumi secrets). */
    readonly apiKeys: ReadonlyMap<string, pulumi.Input<string>>;
    /** Hugging Face token for gated models (a Pulumi secret). */
    readonly hfToken?: pulumi.Input<string>;
    /** A `.dockerconfigjson` for the private registry (a Pulumi secret); omit when nodes pull with their own identity. */
    readonly registryAuth?: pulumi.Input<string>;
}

export class Enclave extends pulumi.ComponentResource {
    public static readonly TYPE = "airlock:kubernetes:Enclave";
    /** Name of the ServiceAccount every Airlock pod runs as. */
    public static readonly SERVICE_ACCOUNT = "airlock-workload";

    /** The enclave's namespace. */
    public readonly namespace: pulumi.Output<string>;
    public readonly serviceAccountName: pulumi.Output<string>;
    /** Pull secrets pods reference (empty when nodes pull with their own identity). */
    public readonly imagePullSecrets: pulumi.Output<string>[];
    /** The API key Secret of each inference server, by server name. */
    public readonly apiKeySecrets: ReadonlyMap<string, SecretKey>;
    /** The HF token Secret, when a token is configured. */
    public readonly hfTokenSecret?: SecretKey;
    public readonly namespaceResource: k8s.core.v1.Namespace;
    public readonly defaultDeny: k8s.networking.v1.NetworkPolicy;
    public readonly stagingEgress: k8s.networking.v1.NetworkPolicy;

    constructor(name: string, args: EnclaveArgs, opts?: pulumi.ComponentResourceOptions) {
        super(Enclave.TYPE, name, {}, opts);
        throwIfInvalid(this, "Invalid arguments for Enclave", collect(
            matches("namespace", args.namespace, DNS_LABEL, "a namespace name (lowercase letters, digits and '-')"),
            SYSTEM_NAMESPACES.includes(args.namespace) ? { propertyPath: "namespace", reason: `must not be the system namespace "${args.namespace}"` } : undefined,
            args.clusterCidrs.length === 0 ? { propertyPath: "clusterCidrs", reason: "must name at least one range" } : undefined,
            ...[...args.apiKeys.keys()].map((s) => matches(`apiKeys[${s}]`, s, RESOURCE_NAME, "a server name")),
        ));
        const labels = { [STACK_LABEL]: args.stack, "app.kubernetes.io/part-of": "airlock" };
        const ns = args.namespace;

        this.namespaceResource = new k8s.core.v1.Namespace(childName(name), {
            metadata: {
                name: ns,
                labels: {
                    ...labels,
                    [POD_SECURITY_ENFORCE_LABEL]: POD_SECURITY_LEVEL,
                    [`${POD_SECURITY_ENFORCE_LABEL}-version`]: "latest",
                    [POD_SECURITY_AUDIT_LABEL]: POD_SECURITY_LEVEL,
                    [POD_SECURITY_WARN_LABEL]: POD_SECURITY_LEVEL,
                },
            },
        }, { parent: this });
        this.namespace = this.namespaceResource.metadata.name;
        const inNamespace = { parent: this, dependsOn: [this.namespaceResource] };

        // Every pod of the namespace: no traffic in or out unless another policy allows it.
        this.defaultDeny = new k8s.networking.v1.NetworkPolicy(childName(name, "default-deny"), {
            metadata: { name: "default-deny", namespace: this.namespace, labels },
            spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
        }, inNamespace);

        // Model staging alone reaches out: the cluster DNS, then HTTPS to public addresses (never the cluster's own
        // ranges nor the cloud metadata endpoint, which hands out node credentials).
        this.stagingEgress = new k8s.networking.v1.NetworkPolicy(childName(name, "staging-egress"), {
            metadata: { name: "model-staging-egress", namespace: this.namespace, labels },
            spec: {
                podSelector: { matchLabels: { [ROLE_LABEL]: "model-staging" } },
                policyTypes: ["Egress"],
                egress: [
                    {
                        to: [{
                            namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: args.dns.namespace } },
                            podSelector: { matchLabels: { ...args.dns.podLabels } },
                        }],
                        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                    },
                    {
                        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...args.clusterCidrs, `${METADATA_ENDPOINT}/32`] } }],
                        ports: [{ protocol: "TCP", port: 443 }],
                    },
                ],
            },
        }, inNamespace);

        const pull = args.registryAuth === undefined ? undefined : new k8s.core.v1.Secret(childName(name, "registry-auth"), {
            metadata: { name: "registry-auth", namespace: this.namespace, labels },
            type: "kubernetes.io/dockerconfigjson",
            stringData: { ".dockerconfigjson": pulumi.secret(args.registryAuth) },
        }, inNamespace);
        this.imagePullSecrets = pull ? [pull.metadata.name] : [];

        const sa = new k8s.core.v1.ServiceAccount(childName(name, "sa"), {
            metadata: { name: Enclave.SERVICE_ACCOUNT, namespace: this.namespace, labels },
            automountServiceAccountToken: false,
            ...(pull ? { imagePullSecrets: [{ name: pull.metadata.name }] } : {}),
        }, inNamespace);
        this.serviceAccountName = sa.metadata.name;

        if (args.hfToken !== undefined) {
            const hf = new k8s.core.v1.Secret(childName(name, "hf-token"), {
                metadata: { name: "hf-token", namespace: this.namespace, labels },
                type: "Opaque",
                stringData: { token: pulumi.secret(args.hfToken) },
            }, inNamespace);
            this.hfTokenSecret = { name: hf.metadata.name, key: "token" };
        }

        const apiKeySecrets = new Map<string, SecretKey>();
        for (const [server, key] of args.apiKeys) {
            const secret = new k8s.core.v1.Secret(childName(name, `api-key-${server}`), {
                metadata: { name: `${server}-api-key`, namespace: this.namespace, labels: { ...labels, "airlock.dev/server": server } },
                type: "Opaque",
                stringData: { "api-key": pulumi.secret(key) },
            }, inNamespace);
            apiKeySecrets.set(server, { name: secret.metadata.name, key: "api-key" });
        }
        this.apiKeySecrets = apiKeySecrets;

        this.registerOutputs({ namespace: this.namespace, serviceAccountName: this.serviceAccountName });
    }
}
