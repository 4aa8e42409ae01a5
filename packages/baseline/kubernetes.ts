/**
 * The Kubernetes side of the baseline: the settings the components apply (restricted pod security, the sandbox,
 * the GPU resource, the cluster ranges staging egress excludes) and how Kubernetes itself reads what the policy pack
 * checks: kubelet's env resolution (`envFrom` first, then `env` in order, `$(VAR)` expansion, the last entry wins),
 * security-context inheritance (a container's field overrides the pod's), label selectors, quantities and CIDRs.
 * Pure data and functions, shared by the components and the pack.
 */

/** The Pod Security Admission labels of a namespace. */
export const POD_SECURITY_ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";
export const POD_SECURITY_AUDIT_LABEL = "pod-security.kubernetes.io/audit";
export const POD_SECURITY_WARN_LABEL = "pod-security.kubernetes.io/warn";
/** The level every Airlock namespace enforces. */
export const POD_SECURITY_LEVEL = "restricted";

/** The label Kubernetes sets on every namespace to its own name (selectable in NetworkPolicies). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** The extended resource the NVIDIA device plugin (or GPU operator) advertises. */
export const NVIDIA_GPU_RESOURCE = "nvidia.com/gpu";
/**
 * Env the NVIDIA container runtime reads to expose GPUs: the device plugin sets it for the GPUs it allocated; set in
 * a manifest it exposes whatever it names (`all`), past the scheduler's accounting.
 */
export const NVIDIA_DEVICE_ENV_NAMES: readonly string[] = ["NVIDIA_VISIBLE_DEVICES"];

/** Namespaces no Airlock workload runs in. */
export const SYSTEM_NAMESPACES: readonly string[] = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Volume types the `restricted` Pod Security Standard allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
];

/** SELinux types the `restricted`/`baseline` Pod Security Standards allow. */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/** The cloud instance-metadata endpoint (node credentials on EC2, GCE, Azure): never reachable from a pod. */
export const METADATA_ENDPOINT = "169.254.169.254";

/** AWS's IPv6 instance-metadata endpoint (Nitro instances with the IPv6 endpoint enabled): as sensitive as the IPv4 one. */
export const METADATA_ENDPOINT_IPV6 = "fd00:ec2::254";

/** Every instance-metadata endpoint, with the host-prefix length that excepts it. */
export const METADATA_ENDPOINTS: readonly { readonly address: string; readonly hostPrefix: number }[] = [
    { address: METADATA_ENDPOINT, hostPrefix: 32 }, { address: METADATA_ENDPOINT_IPV6, hostPrefix: 128 },
];

/** Private and shared address ranges that hold a cluster's pods, services and nodes (staging egress excludes them). */
export const DEFAULT_CLUSTER_CIDRS: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/** The numeric user and group every Airlock pod runs as (kubelet verifies runAsNonRoot against it). */
export const POD_UID = 1000;
export const POD_GID = 1000;

/** The pod-level security context of every Airlock pod (restricted Pod Security Standard). */
export const RESTRICTED_POD_SECURITY_CONTEXT = {
    runAsNonRoot: true,
    runAsUser: POD_UID,
    runAsGroup: POD_GID,
    fsGroup: POD_GID,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
} as const;

/** The container-level security context of every Airlock container. */
export const RESTRICTED_CONTAINER_SECURITY_CONTEXT = {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: POD_UID,
    runAsGroup: POD_GID,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
} as const;

// ---------------------------------------------------------------------------------------------------------------
// kubelet's env resolution

/** What a variable resolves to for the container: a literal the pack can read, or a runtime source it cannot. */
export type KubernetesEnvValue =
    | { readonly kind: "value"; readonly value: string }
    | { readonly kind: "opaque"; readonly source: string };

/** An `env` entry as a manifest writes it. */
export interface KubernetesEnvVar {
    readonly name?: unknown;
    readonly value?: unknown;
    readonly valueFrom?: unknown;
}

/** An `envFrom` entry as a manifest writes it. */
export interface KubernetesEnvFromSource {
    readonly prefix?: unknown;
    readonly configMapRef?: unknown;
    readonly secretRef?: unknown;
}

/** How a message names a `valueFrom` source: `secretKeyRef "api-keys"/"qwen"`. */
export function describeValueFrom(valueFrom: unknown): string {
    const v = (valueFrom ?? {}) as Record<string, { name?: unknown; key?: unknown; fieldPath?: unknown; resource?: unknown } | undefined>;
    for (const kind of ["secretKeyRef", "configMapKeyRef"] as const) {
        const ref = v[kind];
        if (ref !== undefined) return `${kind} ${JSON.stringify(String(ref.name ?? ""))}/${JSON.stringify(String(ref.key ?? ""))}`;
    }
    if (v.fieldRef !== undefined) return `fieldRef ${String(v.fieldRef.fieldPath ?? "")}`;
    if (v.resourceFieldRef !== undefined) return `resourceFieldRef ${String(v.resourceFieldRef.resource ?? "")}`;
    return "valueFrom";
}

/** The key a `valueFrom` reads from a Secret, if it is a `secretKeyRef`. */
export function secretKeyRefOf(valueFrom: unknown): { readonly name: string; readonly key: string } | undefined {
    const ref = (valueFrom as { secretKeyRef?: { name?: unknown; key?: unknown } } | undefined)?.secretKeyRef;
    return ref === undefined ? undefined : { name: String(ref.name ?? ""), key: String(ref.key ?? "") };
}

/**
 * kubelet's `$(VAR)` expansion (third_party/forked/golang/expansion): `$(NAME)` becomes the value of a variable
 * defined before it, `$$` becomes `$`, and a reference to an undefined variable stays as written. Returns the
 * expanded string, or the first opaque source an expansion reads.
 */
export function expandKubernetesReferences(
    input: string, lookup: (name: string) => KubernetesEnvValue | undefined,
): KubernetesEnvValue {
    let out = "";
    for (let i = 0; i < input.length; i++) {
        const ch = input[i]!;
        if (ch !== "$" || i + 1 >= input.length) { out += ch; continue; }
        const next = input[i + 1]!;
        if (next === "$") { out += "$"; i++; continue; }
        if (next === "(") {
            const close = input.indexOf(")", i + 2);
            if (close < 0) { out += input.slice(i); break; }
            const name = input.slice(i + 2, close);
            const v = lookup(name);
            if (v === undefined) out += `$(${name})`;
            else if (v.kind === "opaque") return { kind: "opaque", source: `$(${name}) from ${v.source}` };
            else out += v.value;
            i = close;
            continue;
        }
        out += ch;
    }
    return { kind: "value", value: out };
}

/** The environment of one container as kubelet builds it. */
export interface KubernetesEnv {
    /**
     * The effective value of `name`: a literal, an opaque runtime source (`valueFrom`, an expansion of one, or an
     * `envFrom` that may define it), or `undefined` when nothing sets it.
     */
    lookup(name: string): KubernetesEnvValue | undefined;
    /** Where the effective value of `name` is written: `env[3]`, `envFrom[0]`, or `undefined`. */
    fieldOf(name: string): string | undefined;
}

/**
 * Resolves a container's env the way kubelet does (kubelet_pods.go makeEnvironmentVariables): every `envFrom` source
 * first (any name may come from one, so a name no `env` entry sets is opaque while `envFrom` is non-empty), then
 * each `env` entry in order, its `$(VAR)` references expanded against what is defined so far; a later entry wins.
 * `keysOf` names the keys of a source when they are known (a Secret or ConfigMap declared next to the pod): such a
 * source holds only `prefix + key` for its keys, so other names do not come from it.
 */
export function resolveKubernetesEnv(
    env: readonly KubernetesEnvVar[] | undefined, envFrom: readonly KubernetesEnvFromSource[] | undefined,
    keysOf: (kind: "secretRef" | "configMapRef", name: string) => ReadonlySet<string> | undefined = () => undefined,
): KubernetesEnv {
    const values = new Map<string, { value: KubernetesEnvValue; field: string }>();
    const fromSources = (envFrom ?? []).map((s, i) => {
        const ref = (s.secretRef ?? s.configMapRef) as { name?: unknown } | undefined;
        const kind = s.secretRef !== undefined ? "secretRef" : "configMapRef";
        const prefix = typeof s.prefix === "string" ? s.prefix : "";
        const keys = keysOf(kind, String(ref?.name ?? ""));
        return { field: `envFrom[${i}]`, prefix, keys, source: `envFrom[${i}] (${kind} ${JSON.stringify(String(ref?.name ?? ""))})` };
    });
    const fromEnvFrom = (name: string): { value: KubernetesEnvValue; field: string } | undefined => {
        // The last envFrom source that can hold the name wins.
        const s = [...fromSources].reverse().find((x) => name.startsWith(x.prefix) && (x.keys === undefined || x.keys.has(name.slice(x.prefix.length))));
        return s === undefined ? undefined : { value: { kind: "opaque", source: s.source }, field: s.field };
    };
    const current = (name: string) => values.get(name) ?? fromEnvFrom(name);
    (env ?? []).forEach((e, i) => {
        const name = typeof e.name === "string" ? e.name : "";
        let value: KubernetesEnvValue;
        if (e.valueFrom !== undefined && e.valueFrom !== null) {
            value = { kind: "opaque", source: `env[${i}].valueFrom (${describeValueFrom(e.valueFrom)})` };
        } else {
            value = expandKubernetesReferences(typeof e.value === "string" ? e.value : e.value === undefined ? "" : String(e.value),
                (n) => current(n)?.value);
        }
        values.set(name, { value, field: `env[${i}]` });
    });
    return {
        lookup: (name) => current(name)?.value,
        fieldOf: (name) => current(name)?.field,
    };
}

/** A container's argv after kubelet's `$(VAR)` expansion: the tokens, or the first opaque source one reads. */
export function expandKubernetesArgv(
    argv: readonly string[], env: KubernetesEnv,
): { readonly argv: readonly string[] } | { readonly opaque: string } {
    const out: string[] = [];
    for (const a of argv) {
        const v = expandKubernetesReferences(a, env.lookup);
        if (v.kind === "opaque") return { opaque: v.source };
        out.push(v.value);
    }
    return { argv: out };
}

// ---------------------------------------------------------------------------------------------------------------
// Security-context inheritance

/** The pod-level fields a container inherits when its own securityContext leaves them unset. */
export const INHERITED_SECURITY_FIELDS = [
    "runAsUser", "runAsGroup", "runAsNonRoot", "seccompProfile", "seLinuxOptions", "appArmorProfile", "windowsOptions",
] as const;
export type InheritedSecurityField = (typeof INHERITED_SECURITY_FIELDS)[number];

/**
 * The effective value of an inherited security field for a container and where it is set: the container's own
 * `securityContext`, else the pod's, else `undefined` (the runtime default applies).
 */
export function effectiveSecurityField<T = unknown>(
    pod: Readonly<Record<string, unknown>> | undefined, container: Readonly<Record<string, unknown>> | undefined, field: InheritedSecurityField,
): { readonly value: T; readonly level: "container" | "pod" } | undefined {
    const own = container?.[field];
    if (own !== undefined && own !== null) return { value: own as T, level: "container" };
    const inherited = pod?.[field];
    if (inherited !== undefined && inherited !== null) return { value: inherited as T, level: "pod" };
    return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Label selectors, quantities, CIDRs

export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, unknown>>;
    readonly matchExpressions?: readonly { readonly key?: unknown; readonly operator?: unknown; readonly values?: readonly unknown[] }[];
}

/**
 * Whether `selector` selects an object with `labels` (apimachinery LabelSelectorAsSelector): every matchLabels pair
 * and every expression (In, NotIn, Exists, DoesNotExist) must hold; an empty selector selects everything. An
 * operator Kubernetes does not know makes the selector invalid: it selects nothing.
 */
export function labelSelectorMatches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
    for (const [k, v] of Object.entries(selector?.matchLabels ?? {})) if (labels[k] !== String(v)) return false;
    for (const e of selector?.matchExpressions ?? []) {
        const key = String(e.key ?? "");
        const values = (e.values ?? []).map(String);
        const has = Object.prototype.hasOwnProperty.call(labels, key);
        switch (e.operator) {
            case "In": if (!has || !values.includes(labels[key]!)) return false; break;
            case "NotIn": if (has && values.includes(labels[key]!)) return false; break;
            case "Exists": if (!has) return false; break;
            case "DoesNotExist": if (has) return false; break;
            default: return false;
        }
    }
    return true;
}

/** Whether a selector is empty (selects every pod of its namespace). */
export function isEmptySelector(selector: LabelSelector | undefined): boolean {
    return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

const SUFFIXES: Readonly<Record<string, number>> = {
    "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
    Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** A Kubernetes quantity (`"2"`, `"500m"`, `"16Gi"`, `"1e3"`, or a number) as a number; `undefined` when malformed. */
export function parseKubernetesQuantity(q: unknown): number | undefined {
    if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
    if (typeof q !== "string") return undefined;
    const m = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?)$/.exec(q.trim());
    if (!m) return undefined;
    const base = Number(m[1]);
    if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
    return base * SUFFIXES[m[3] ?? ""]!;
}

/** An IPv4 address as a 32-bit number, or `undefined`. */
function ipv4(address: string): number | undefined {
    const parts = address.split(".");
    if (parts.length !== 4 || parts.some((p) => !/^[0-9]{1,3}$/.test(p) || Number(p) > 255)) return undefined;
    return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

/** Whether IPv4 `address` lies in `cidr` (`a.b.c.d/n`); `undefined` when `cidr` is not an IPv4 CIDR. */
export function ipv4InCidr(address: string, cidr: string): boolean | undefined {
    const [net, bitsText] = cidr.split("/");
    const a = ipv4(address);
    const n = ipv4(net ?? "");
    const bits = bitsText === undefined ? 32 : /^[0-9]{1,2}$/.test(bitsText) ? Number(bitsText) : NaN;
    if (a === undefined || n === undefined || !(bits >= 0 && bits <= 32)) return undefined;
    const size = 2 ** (32 - bits);
    return Math.floor(a / size) === Math.floor(n / size);
}

/** An IPv6 address (`::` compression allowed, no embedded IPv4, no zone) as a 128-bit number, or `undefined`. */
function ipv6(address: string): bigint | undefined {
    if (!/^[0-9a-fA-F:]+$/.test(address) || address.split("::").length > 2) return undefined;
    const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
    const groups = (x: string | undefined) => (x === undefined || x === "" ? [] : x.split(":"));
    const h = groups(head);
    const t = groups(tail);
    const missing = 8 - h.length - t.length;
    if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
    const all = [...h, ...Array<string>(tail === undefined ? 0 : missing).fill("0"), ...t];
    if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
    return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

/**
 * Whether `address` lies in `cidr`, IPv4 or IPv6 (`fd00::/8`, `::/0`); `undefined` when either is not an address of
 * the same family as the other.
 */
export function ipInCidr(address: string, cidr: string): boolean | undefined {
    if (ipv4(address) !== undefined) return ipv4InCidr(address, cidr);
    const [net, bitsText] = cidr.split("/");
    const a = ipv6(address);
    const n = ipv6(net ?? "");
    const bits = bitsText === undefined ? 128 : /^[0-9]{1,3}$/.test(bitsText) ? Number(bitsText) : NaN;
    if (a === undefined || n === undefined || !(bits >= 0 && bits <= 128)) return undefined;
    const shift = BigInt(128 - bits);
    return a >> shift === n >> shift;
}
