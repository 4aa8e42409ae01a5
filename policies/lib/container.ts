/**
 * Typed, defensive readers over Docker Container props. Props arrive through the SDK's unknown-checking
 * proxy: every read of an unknown value throws `UnknownValueError`, which the fail-closed wrappers turn into a
 * violation naming the field. Readers therefore touch only the fields a rule needs.
 */
import type * as docker from "@pulumi/docker";
import type { Unwrap } from "@pulumi/pulumi";
import { isUnder, normalizePath } from "./paths";

/** Container inputs as a policy sees them (plain values; secrets already unwrapped by the SDK). */
export type ContainerProps = Unwrap<docker.ContainerArgs>;
export type NetworkProps = Unwrap<docker.NetworkArgs>;
export type RemoteImageProps = Unwrap<docker.RemoteImageArgs>;
export type VolumeProps = Unwrap<docker.VolumeArgs>;

/** `labels` as a map (`[{label, value}]` in the Docker provider). */
export function labelMap(c: Pick<ContainerProps, "labels">): ReadonlyMap<string, string> {
    const m = new Map<string, string>();
    for (const l of c.labels ?? []) {
        if (typeof l?.label === "string") m.set(l.label, String(l.value));
    }
    return m;
}

/** A filesystem attached to a container: a `volumes[]` entry or a `mounts[]` entry. */
export interface Attachment {
    /** `volumes[2]` or `mounts[0]`, for messages. */
    readonly field: string;
    /** A named volume, a host bind, a tmpfs, another container's volumes, or a type the pack does not know. */
    readonly kind: "volume" | "bind" | "tmpfs" | "from-container" | "other";
    /** The named volume (`volumes[].volumeName`, `mounts[].source` of type volume). */
    readonly volumeName: string | undefined;
    /** Where it appears in the container. */
    readonly target: string | undefined;
    /** Host path of a bind (`volumes[].hostPath`, or `mounts[].source` with `type: "bind"`). */
    readonly hostPath: string | undefined;
    /** The field holding {@link hostPath}: `volumes[2].hostPath` or `mounts[0].source`. */
    readonly hostField: string;
    readonly readOnly: boolean;
}

/**
 * Every volume and mount of the container. Fields are getters, so a rule reads (and can trip over an unknown
 * in) only the parts it checks.
 */
export function attachments(c: Pick<ContainerProps, "volumes" | "mounts">): Attachment[] {
    const out: Attachment[] = [];
    (c.volumes ?? []).forEach((v, i) => out.push({
        field: `volumes[${i}]`,
        get kind() {
            if (v.fromContainer !== undefined && v.fromContainer !== "") return "from-container" as const;
            return v.hostPath !== undefined && v.hostPath !== "" ? "bind" as const : "volume" as const;
        },
        get volumeName() { return v.volumeName; },
        get target() { return v.containerPath; },
        get hostPath() { return v.hostPath; },
        hostField: `volumes[${i}].hostPath`,
        get readOnly() { return v.readOnly === true; },
    }));
    (c.mounts ?? []).forEach((m, i) => out.push({
        field: `mounts[${i}]`,
        get kind() {
            const t = m.type;
            return t === "bind" || t === "volume" || t === "tmpfs" ? t : "other" as const;
        },
        get volumeName() { return m.type === "volume" ? m.source : undefined; },
        get target() { return m.target; },
        get hostPath() { return m.type === "bind" ? m.source : undefined; },
        hostField: `mounts[${i}].source`,
        get readOnly() { return m.readOnly === true; },
    }));
    return out;
}

/** The model root `target` is under, if any. */
export function modelRootOf(target: string | undefined, roots: readonly string[]): string | undefined {
    if (target === undefined || !target.startsWith("/")) return undefined;
    return roots.find((r) => isUnder(target, r));
}

export { normalizePath };
