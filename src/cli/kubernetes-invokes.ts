/**
 * What `airlock plan` answers for Kubernetes programs without a provider. `kubernetes:yaml:decode` (what
 * yaml.ConfigFile, ConfigGroup and helm.v3.Chart's rendering call) is pure parsing: it is answered here exactly as the
 * provider does (invoke_decode_yaml.go: every YAML or JSON document, skipping those without kind or apiVersion), so
 * the objects of users' manifests register as resources and the pack checks them. Rendering a chart or a kustomization
 * runs Helm or kustomize inside the provider, and the v2 components (helm.v4.Chart, yaml.v2.ConfigFile, …) are
 * constructed by the provider itself: the plan fails on them with one line naming what is missing. src/cli/invokes.ts
 * answers every invoke; this module holds the Kubernetes part.
 */
import * as yaml from "js-yaml";

/** The objects of a multi-document YAML (or JSON) manifest, as the provider's decode returns them. */
export function decodeManifests(text: string): Record<string, unknown>[] {
    let docs: unknown[];
    try {
        docs = yaml.loadAll(text);
    } catch (e) {
        throw new Error(`error converting YAML to JSON: ${(e as Error).message.split("\n")[0]}`);
    }
    return docs.filter((d): d is Record<string, unknown> => d !== null && typeof d === "object" && !Array.isArray(d)
        && typeof (d as Record<string, unknown>).kind === "string" && (d as Record<string, unknown>).kind !== ""
        && typeof (d as Record<string, unknown>).apiVersion === "string" && (d as Record<string, unknown>).apiVersion !== "");
}

const NEEDS_PROVIDER = "needs the Kubernetes provider (airlock plan runs none): plan this program with `pulumi preview --policy-pack policies`";

/** Invokes that run a tool inside the provider: the one-line error the plan fails with. */
export const PROVIDER_ONLY_INVOKES: Readonly<Record<string, string>> = {
    "kubernetes:helm:template": `helm.v3.Chart renders its chart with \`helm template\` (invoke "kubernetes:helm:template"), which ${NEEDS_PROVIDER}, or render the chart to YAML once (helm template …) and apply it with yaml.ConfigFile`,
    "kubernetes:kustomize:directory": `kustomize.Directory renders with kustomize (invoke "kubernetes:kustomize:directory"), which ${NEEDS_PROVIDER}, or render it to YAML once (kustomize build …) and apply it with yaml.ConfigFile`,
};

/** Components the provider constructs (their children never reach a mock monitor). */
export const PROVIDER_CONSTRUCTED: Readonly<Record<string, string>> = Object.fromEntries([
    "kubernetes:helm.sh/v4:Chart", "kubernetes:yaml/v2:ConfigFile", "kubernetes:yaml/v2:ConfigGroup", "kubernetes:kustomize/v2:Directory",
].map((t) => [t, `${t} is constructed by the Kubernetes provider (its resources are rendered there), which ${NEEDS_PROVIDER}, or use the v1 yaml.ConfigFile / ConfigGroup on rendered YAML`]));

/**
 * What the Kubernetes provider's Check fills in at preview: an auto-name for an object without metadata.name (the
 * provider appends a random suffix), so `ns.metadata.name` is known downstream as in `pulumi preview`.
 */
export function kubernetesComputed(type: string, inputs: Record<string, unknown>, autoName: () => string): Record<string, unknown> {
    if (!type.startsWith("kubernetes:") || typeof inputs.apiVersion !== "string" || typeof inputs.kind !== "string") return {};
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    if (typeof metadata.name === "string" && metadata.name !== "") return {};
    return { metadata: { ...metadata, name: autoName() } };
}
