/**
 * Image references, parsed the way Docker normalises them (distribution/reference): the first path
 * component is a registry when it contains `.` or `:` or is `localhost`; otherwise the image is on Docker Hub
 * (`docker.io`, single names under `library/`).
 */
import { IMAGE_DIGEST } from "@airlock/baseline";
import { isUnknownValueError } from "./sdk";

export interface ImageRef {
    /** Registry `host[:port]`, lowercase (`docker.io` for Docker Hub). */
    readonly registry: string;
    /** Repository path below the registry. */
    readonly repository: string;
    readonly tag?: string;
    /** The digest after `@`, as written. */
    readonly digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
    const at = ref.indexOf("@");
    const nameAndTag = at < 0 ? ref : ref.slice(0, at);
    const digest = at < 0 ? undefined : ref.slice(at + 1);
    const slash = nameAndTag.lastIndexOf("/");
    const colon = nameAndTag.lastIndexOf(":");
    const hasTag = colon > slash;
    const name = hasTag ? nameAndTag.slice(0, colon) : nameAndTag;
    const tag = hasTag ? nameAndTag.slice(colon + 1) : undefined;
    const first = name.split("/")[0] ?? "";
    const explicitRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
    const registry = explicitRegistry ? first.toLowerCase() : "docker.io";
    let repository = explicitRegistry ? name.slice(first.length + 1) : name;
    if (!explicitRegistry && !repository.includes("/")) repository = `library/${repository}`;
    return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Why `ref` is not pinned (digest missing or malformed, or a `latest` tag), or `undefined`. */
export function pinningProblem(field: string, ref: string): string | undefined {
    if (ref.trim() === "") return `${field} is empty: set it to a digest-pinned reference "<registry>/<repository>:<tag>@sha256:<64 hex>".`;
    const r = parseImageRef(ref);
    if (r.tag === "latest") {
        return `${field} "${ref}" uses the mutable tag "latest": reference a version tag pinned by digest ` +
            `("<registry>/${r.repository}:<version>@sha256:<64 hex>").`;
    }
    if (r.digest === undefined) {
        return `${field} "${ref}" is not pinned by digest: append "@sha256:<64 hex>" with the digest of the reviewed image ` +
            "(docker buildx imagetools inspect <image>).";
    }
    if (!IMAGE_DIGEST.test(r.digest)) {
        return `${field} "${ref}" has a malformed digest "${r.digest}": use "sha256:" followed by 64 lowercase hex characters.`;
    }
    return undefined;
}

/** Whether `ref`'s registry is allowed by `allowedRegistries` (host[:port] or host[:port]/path prefix) or a pattern. */
export function isRegistryAllowed(ref: ImageRef, allowed: readonly string[], patterns: readonly string[]): boolean {
    const full = `${ref.registry}/${ref.repository}`;
    for (const entry of allowed) {
        const e = entry.replace(/\/+$/, "");
        const slash = e.indexOf("/");
        const host = (slash < 0 ? e : e.slice(0, slash)).toLowerCase();
        const prefix = slash < 0 ? host : `${host}${e.slice(slash)}`;
        if (slash < 0 ? ref.registry === host : full === prefix || full.startsWith(`${prefix}/`)) return true;
    }
    return patterns.some((p) => new RegExp(p).test(ref.registry));
}

/** Why `ref`'s registry is not allowed, or `undefined`. */
export function registryProblem(field: string, ref: string, allowed: readonly string[], patterns: readonly string[]): string | undefined {
    if (ref.trim() === "") return undefined; // reported by the pinning rule
    const r = parseImageRef(ref);
    if (isRegistryAllowed(r, allowed, patterns)) return undefined;
    const list = [...allowed.map((a) => `"${a}"`), ...patterns.map((p) => `/${p}/`)].join(", ") || "none configured";
    return `${field} "${ref}" comes from registry "${r.registry}", which is not allowed (allowed: ${list}): ` +
        "mirror the image into an allowed registry and reference it there, or add the registry to allowedRegistries in the policy config.";
}

/** A bare image ID (the config digest Docker names a local image by): what `docker.RemoteImage.imageId` holds. */
export const IMAGE_ID = /^sha256:[0-9a-f]{64}$/;

/**
 * The image reference a container names, or `undefined` when only the resource it comes from can say which image
 * runs: unknown at preview (the pulumi-docker docs' `image: remoteImage.imageId` while the image is being pulled) or a
 * bare image ID (the same program on its next preview). Those are checked in the stack phase, where the property's
 * dependencies are known (docker-container-require-resolvable-image), not reported as "not pinned" here.
 */
export function deferredImageRef(read: () => unknown): string | undefined {
    let image: unknown;
    try { image = read(); } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
    const ref = String(image ?? "");
    return IMAGE_ID.test(ref) ? undefined : ref;
}

