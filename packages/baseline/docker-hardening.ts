/**
 * Docker hardening data used by the policy pack (added with the Docker rules): the `securityOpts` forms that
 * turn a confinement layer off, the accepted spellings of no-new-privileges, and env names that match
 * {@link SECRET_NAME} without carrying a secret. Pure data; components may use it too.
 */

/** `securityOpts` values (normalised: lowercase, `:` or `=` separator) that disable a confinement layer. */
export const FORBIDDEN_SECURITY_OPTS: readonly { readonly option: string; readonly value: string; readonly disables: string }[] = [
    { option: "seccomp", value: "unconfined", disables: "the seccomp system-call filter" },
    { option: "apparmor", value: "unconfined", disables: "the AppArmor profile" },
    { option: "label", value: "disable", disables: "SELinux labelling" },
    { option: "systempaths", value: "unconfined", disables: "masking of /proc and /sys paths" },
];

/** Spellings of the no-new-privileges option Docker accepts as enabled. */
export const NO_NEW_PRIVILEGES_OPTS: readonly string[] = ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"];

/** Env names that match the secret-name pattern but never hold a secret (e.g. the tokenizers thread switch). */
export const NON_SECRET_ENV_NAMES: readonly string[] = ["TOKENIZERS_PARALLELISM", "HF_HUB_DISABLE_IMPLICIT_TOKEN"];
