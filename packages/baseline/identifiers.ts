/**
 * Safe-identifier patterns. Every value that can reach a command line, a file path, a URL, a label or a
 * script is checked against one of these before any resource is built (ARCHITECTURE.md, failure rules).
 * Pure data and functions: shared by the config schema, the components and the policy pack.
 */

/** The general safe alphabet: letters, digits and `-_./:@`, starting with a letter or digit. */
export const SAFE_IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;

/** Names of models, servers and jobs: they become resource names, container names and DNS labels. */
export const RESOURCE_NAME = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

/** A Hugging Face repository id `org/name` (the hub forbids `--` and `..` in names, so the local path is unambiguous). */
export const HUB_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?\/[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9])?$/;

/** A pinned revision: a full 40-character lowercase hex commit SHA (never a branch or tag). */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** An OCI content digest. */
export const IMAGE_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** A registry repository `host[:port]/path` with a lowercase path (OCI distribution spec). */
export const REGISTRY_REPOSITORY =
    /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/;

/** A Pulumi config key in the project namespace (camelCase, no namespace prefix). */
export const CONFIG_KEY = /^[a-z][A-Za-z0-9]{0,63}$/;

/** Environment variable names. */
export const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/**
 * Why `value` is not a safe identifier, or `undefined` when it is. Besides the alphabet this rejects `..`
 * path segments, so a value can never climb out of the directory it is joined to.
 */
export function unsafeIdentifierReason(value: string, pattern: RegExp = SAFE_IDENTIFIER): string | undefined {
    if (value.length === 0) return "must not be empty";
    if (value.length > 256) return `must be at most 256 characters, got ${value.length}`;
    if (!pattern.test(value)) return `contains characters outside ${describePattern(pattern)}`;
    if (value.split("/").some((segment) => segment === ".." || segment === ".")) return "must not contain `.` or `..` path segments";
    return undefined;
}

function describePattern(pattern: RegExp): string {
    if (pattern === SAFE_IDENTIFIER) return "letters, digits and -_./:@ (starting with a letter or digit)";
    return `the pattern ${pattern.source}`;
}
