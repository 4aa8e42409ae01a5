/**
 * The Kubernetes parts of the stack config: the `airlock:kubernetes` section (namespace, gateway, storage, scheduling,
 * registry pull secret, staging egress) and the per-workload options `inferenceServers[].kubernetes` and
 * `trainingJobs[].kubernetes`. Cluster access is the provider's own config (`kubernetes:kubeconfig`,
 * `kubernetes:context`), never Airlock's.
 */
import { z } from "zod";
import { CONFIG_KEY, DEFAULT_CLUSTER_CIDRS, SYSTEM_NAMESPACES } from "@airlock/baseline";

const int = (what: string, min: number, max: number) =>
    z.int({ error: `must be a whole number ${what} (${min}–${max})` }).min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` });

/** A DNS-1123 label: namespaces, and the names Airlock derives from config. */
export const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain: names of existing objects (PersistentVolumeClaims, StorageClasses). */
export const DNS_SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;
/** A label key: an optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
export const LABEL_KEY = /^(?:(?=[^/]{1,253}\/)[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
/** A label value: empty, or at most 63 letters, digits, `-_.` starting and ending with a letter or digit. */
export const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;

const namespaceName = z.string({ error: "must be a string" }).regex(DNS_LABEL, {
    error: "must be a Kubernetes namespace name: 1–63 lowercase letters, digits or '-', starting and ending with a letter or digit",
});

const labels = z.record(
    z.string().regex(LABEL_KEY, { error: "must be a Kubernetes label key ([prefix/]name, name at most 63 characters)" }),
    z.string({ error: "must be a string (quote numbers and booleans in YAML)" }).regex(LABEL_VALUE, {
        error: "must be a Kubernetes label value (at most 63 letters, digits, '-', '_', '.')",
    }),
    { error: "must be a map of label keys to string values" },
);

const cidr = z.string({ error: "must be a string" }).regex(/^(?:[0-9]{1,3}\.){3}[0-9]{1,3}\/[0-9]{1,2}$/, {
    error: "must be an IPv4 CIDR such as 10.0.0.0/8",
});

export const TolerationSchema = z.strictObject({
    key: z.string().regex(LABEL_KEY, { error: "must be a Kubernetes taint key" }).optional(),
    operator: z.enum(["Equal", "Exists"], { error: "must be Equal or Exists" }).default("Equal"),
    value: z.string().regex(LABEL_VALUE, { error: "must be a taint value (at most 63 letters, digits, '-', '_', '.')" }).optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"], { error: "must be NoSchedule, PreferNoSchedule or NoExecute" }).optional(),
    tolerationSeconds: int("of seconds", 0, 31_536_000).optional(),
});
export type TolerationSpec = z.infer<typeof TolerationSchema>;
const tolerations = z.array(TolerationSchema, { error: "must be a list of tolerations { key, operator, value?, effect? }" });

export const STORAGE_ACCESS_MODES = ["ReadWriteOnce", "ReadWriteMany"] as const;

export const KubernetesConfigSchema = z.strictObject({
    /** The namespace of the enclave. @default airlock-<environment> */
    namespace: namespaceName.refine((n) => !SYSTEM_NAMESPACES.includes(n), {
        error: `must not be a system namespace (${SYSTEM_NAMESPACES.join(", ")}); Airlock creates and owns its namespace`,
    }).optional(),
    /** Who may reach the inference servers: pods of this namespace (and with these labels). */
    gateway: z.strictObject({
        namespace: namespaceName,
        podLabels: labels.default({}),
    }, { error: "must be { namespace, podLabels? }: the namespace (and pod labels) of the gateway allowed to reach the servers" }).optional(),
    storage: z.strictObject({
        /** StorageClass of the model and output volumes. @default the cluster's default class */
        className: z.string().regex(DNS_SUBDOMAIN, { error: "must be a StorageClass name (a DNS subdomain)" }).optional(),
        accessMode: z.enum(STORAGE_ACCESS_MODES, {
            error: "must be ReadWriteOnce (replicas share a node) or ReadWriteMany (replicas on any node; needs an RWX storage class)",
        }).default("ReadWriteOnce"),
        modelSizeGiB: int("of GiB", 1, 65_536).default(100),
        /** Per-model overrides of modelSizeGiB, keyed by `models[].name`. */
        sizeGiBByModel: z.record(z.string(), int("of GiB", 1, 65_536), { error: "must be a map of model names to sizes in GiB" }).default({}),
    }).default({ accessMode: "ReadWriteOnce", modelSizeGiB: 100, sizeGiBByModel: {} }),
    /** Node labels every Airlock pod is scheduled onto (e.g. the GPU node pool). */
    nodeSelector: labels.default({}),
    /** Tolerations of every Airlock pod (e.g. the GPU nodes' nvidia.com/gpu taint). */
    tolerations: tolerations.default([]),
    /** Name of the secret config key holding a `.dockerconfigjson` for the private registry. Omit when nodes pull with their own identity. */
    imagePullSecret: z.string({ error: "must be a string" }).regex(CONFIG_KEY, {
        error: "must be a camelCase Pulumi config key without the 'airlock:' prefix, e.g. 'registryAuth'",
    }).optional(),
    /** Address ranges staging egress never reaches: the cluster's pod, service and node ranges. */
    clusterCidrs: z.array(cidr, { error: "must be a list of IPv4 CIDRs" }).min(1, { error: "must name at least one range" })
        .default([...DEFAULT_CLUSTER_CIDRS]),
    /** The cluster DNS that model staging may query. */
    dns: z.strictObject({ namespace: namespaceName, podLabels: labels }).default({ namespace: "kube-system", podLabels: { "k8s-app": "kube-dns" } }),
    /** How long a model download may run before the update fails. */
    stagingTimeoutMin: int("of minutes", 5, 10_080).default(360),
});
export type KubernetesConfig = z.infer<typeof KubernetesConfigSchema>;

export const KubernetesServerOptionsSchema = z.strictObject({
    /** Replaces airlock:kubernetes.nodeSelector for this server. */
    nodeSelector: labels.optional(),
    /** Replaces airlock:kubernetes.tolerations for this server. */
    tolerations: tolerations.optional(),
    /** How long vLLM may take to load the model before the startup probe gives up. */
    startupTimeoutMin: int("of minutes", 1, 240).default(30),
    podDisruptionBudget: z.boolean({ error: "must be true or false" }).default(true),
    autoscaling: z.strictObject({
        maxReplicas: int("of replicas", 1, 64),
        /** Scale on average CPU utilisation of the replicas. */
        cpuUtilizationPercent: int("percent", 1, 100).optional(),
        /** Scale on a per-pod metric from a custom-metrics adapter (e.g. vllm:num_requests_waiting). */
        podsMetric: z.strictObject({
            name: z.string().regex(/^[A-Za-z_:][A-Za-z0-9_:]{0,127}$/, { error: "must be a metric name (letters, digits, '_', ':')" }),
            averageValue: z.string().regex(/^[0-9]+(?:\.[0-9]+)?[mkMG]?$/, { error: "must be a Kubernetes quantity such as '5' or '500m'" }),
        }).optional(),
    }).refine((a) => (a.cpuUtilizationPercent === undefined) !== (a.podsMetric === undefined), {
        error: "must set exactly one of cpuUtilizationPercent or podsMetric",
    }).optional(),
});
export type KubernetesServerOptions = z.infer<typeof KubernetesServerOptionsSchema>;

export const KubernetesJobOptionsSchema = z.strictObject({
    nodeSelector: labels.optional(),
    tolerations: tolerations.optional(),
    /** The job fails when it runs longer (activeDeadlineSeconds). */
    activeDeadlineMin: int("of minutes", 1, 43_200).default(1440),
    /** Retries after a failed pod (backoffLimit). */
    backoffLimit: int("of retries", 0, 10).default(0),
    /** Kubernetes deletes the finished Job (not its output volume) after this long (ttlSecondsAfterFinished). */
    ttlAfterFinishedMin: int("of minutes", 0, 525_600).default(10_080),
    /** Size of the job's output volume. */
    outputSizeGiB: int("of GiB", 1, 65_536).default(100),
});
export type KubernetesJobOptions = z.infer<typeof KubernetesJobOptionsSchema>;

/** The config fields the cross-checks read (structural, so this file needs no import of schema.ts). */
interface CheckedConfig {
    readonly platforms: readonly string[];
    readonly kubernetes?: KubernetesConfig;
    readonly models: readonly { readonly name: string }[];
    readonly inferenceServers: readonly {
        readonly name: string; readonly platform: string; readonly replicas: number; readonly apiKeySecret: string;
        readonly kubernetes?: KubernetesServerOptions;
    }[];
    readonly trainingJobs: readonly {
        readonly platform: string; readonly kubernetes?: KubernetesJobOptions;
        readonly mounts: readonly ({ readonly model: string } | { readonly volume: string; readonly path: string })[];
    }[];
}

/** Cross-field rules of the Kubernetes config; `problem` adds an issue at a key path. */
export function checkKubernetesConfig(
    c: CheckedConfig, problem: (path: (string | number)[], message: string) => void, reservedKeys: readonly string[],
): void {
    const enabled = c.platforms.includes("kubernetes");
    if (c.kubernetes !== undefined && !enabled) {
        problem(["kubernetes"], "is set, but kubernetes is not in airlock:platforms; add it there or remove this section");
    }
    c.inferenceServers.forEach((s, i) => {
        if (s.kubernetes !== undefined && s.platform !== "kubernetes") {
            problem(["inferenceServers", i, "kubernetes"], `applies only to servers on platform kubernetes, but this server runs on ${s.platform}; remove it or set platform: kubernetes`);
        }
        const a = s.kubernetes?.autoscaling;
        if (a !== undefined && a.maxReplicas < s.replicas) {
            problem(["inferenceServers", i, "kubernetes", "autoscaling", "maxReplicas"], `is ${a.maxReplicas}, below replicas (${s.replicas}, the autoscaler's minimum); raise it to at least ${s.replicas}`);
        }
    });
    c.trainingJobs.forEach((j, i) => {
        if (j.kubernetes !== undefined && j.platform !== "kubernetes") {
            problem(["trainingJobs", i, "kubernetes"], `applies only to jobs on platform kubernetes, but this job runs on ${j.platform}; remove it or set platform: kubernetes`);
        }
        if (j.platform !== "kubernetes") return;
        j.mounts.forEach((m, k) => {
            if ("volume" in m && !DNS_SUBDOMAIN.test(m.volume)) {
                problem(["trainingJobs", i, "mounts", k, "volume"], "must name an existing PersistentVolumeClaim of the enclave namespace on kubernetes (lowercase letters, digits, '-', '.')");
            }
        });
    });
    if (!enabled) return;
    const k = c.kubernetes;
    if (c.inferenceServers.some((s) => s.platform === "kubernetes") && k?.gateway === undefined) {
        problem(["kubernetes", "gateway"], "is required when an inference server runs on kubernetes: set { namespace, podLabels? } of the gateway allowed to reach the servers (nothing else can)");
    }
    const models = new Set(c.models.map((m) => m.name));
    for (const name of Object.keys(k?.storage.sizeGiBByModel ?? {})) {
        if (!models.has(name)) problem(["kubernetes", "storage", "sizeGiBByModel", name], `names no model in airlock:models (known: ${[...models].join(", ") || "none defined"})`);
    }
    const pull = k?.imagePullSecret;
    if (pull !== undefined && ([...reservedKeys, ...c.inferenceServers.map((s) => s.apiKeySecret)]).includes(pull)) {
        problem(["kubernetes", "imagePullSecret"], `must not reuse the config key "${pull}"; name a dedicated secret such as "registryAuth"`);
    }
}
