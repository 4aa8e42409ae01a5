/**
 * How Docker reads the container settings the baseline constrains: users (`uid[:gid]`, names resolved in the
 * image), security options (`key=value` or the legacy `key:value`, seccomp profiles inline as JSON), tmpfs
 * options (Docker mounts tmpfs `noexec,nosuid,nodev` unless an option says otherwise). Pure functions shared by
 * the components and the policy pack.
 */

/** Spellings of the no-new-privileges option Docker accepts as enabled. */
export const NO_NEW_PRIVILEGES_OPTS: readonly string[] = ["no-new-privileges", "no-new-privileges:true", "no-new-privileges=true"];

/** Env names that match the secret-name pattern but never hold a secret (e.g. the tokenizers thread switch). */
export const NON_SECRET_ENV_NAMES: readonly string[] = ["TOKENIZERS_PARALLELISM", "HF_HUB_DISABLE_IMPLICIT_TOKEN"];

/** A Docker `user` as the runtime resolves it. */
export type DockerUser =
    | { readonly kind: "unset" }
    /** A user name: resolved in the image's /etc/passwd, which a policy cannot read. */
    | { readonly kind: "name"; readonly name: string }
    | { readonly kind: "uid"; readonly uid: number; readonly group: { readonly gid: number } | { readonly name: string } | undefined };

/** Go's `strconv.Atoi` (what the runtime uses for numeric users): optional sign, decimal digits, no spaces. */
function goAtoi(s: string): number | undefined {
    return /^[+-]?[0-9]+$/.test(s) ? Number(s) : undefined;
}

/** Parses Docker's `user` (`name|uid[:group|gid]`). */
export function parseDockerUser(user: string | undefined): DockerUser {
    if (user === undefined || user === "") return { kind: "unset" };
    const colon = user.indexOf(":");
    const u = colon < 0 ? user : user.slice(0, colon);
    const g = colon < 0 ? undefined : user.slice(colon + 1);
    if (u === "") return { kind: "unset" };
    const uid = goAtoi(u);
    if (uid === undefined) return { kind: "name", name: u };
    const gid = g === undefined || g === "" ? undefined : goAtoi(g);
    const group = g === undefined || g === "" ? undefined : gid === undefined ? { name: g } : { gid };
    return { kind: "uid", uid, group };
}

/**
 * Why `user` does not verifiably run as a non-root user in a non-root group, or `undefined`. Names are
 * resolved inside the image, so only numeric users can be verified (as Kubernetes' runAsNonRoot requires).
 */
export function nonRootUserProblem(user: string | undefined): string | undefined {
    const p = parseDockerUser(user);
    switch (p.kind) {
        case "unset": return "is unset (the image's default user runs, often root)";
        case "name": return p.name === "root"
            ? `"${user}" is root`
            : `"${user}" names a user that is resolved in the image's /etc/passwd (it may be uid 0), which cannot be verified`;
        case "uid":
            if (p.uid === 0) return `"${user}" is uid 0 (root)`;
            if (p.uid < 0) return `"${user}" is not a valid uid`;
            // runc (GetExecUser): a uid without a group takes the primary group of its /etc/passwd entry, or group 0
            // when the image does not list the uid — which the pack cannot read.
            if (!p.group) return `"${user}" sets no group, so it runs in the group the image's /etc/passwd gives the uid, or in group 0 (root) when it lists none, which cannot be verified`;
            if ("gid" in p.group && p.group.gid === 0) return `"${user}" runs in group 0 (root), which owns root-only files`;
            if ("name" in p.group) {
                return p.group.name === "root" ? `"${user}" runs in group root, which owns root-only files`
                    : `"${user}" names a group resolved in the image's /etc/group, which cannot be verified`;
            }
            return undefined;
    }
}

/** One `securityOpts` entry as Docker splits it: `key=value`, else the legacy `key:value`, else a bare key. */
export interface SecurityOpt {
    readonly key: string;
    readonly value: string | undefined;
}

export function parseSecurityOpt(raw: string): SecurityOpt {
    const s = raw.trim();
    const eq = s.indexOf("=");
    if (eq >= 0) return { key: s.slice(0, eq).trim().toLowerCase(), value: s.slice(eq + 1).trim() };
    const colon = s.indexOf(":");
    if (colon >= 0) return { key: s.slice(0, colon).trim().toLowerCase(), value: s.slice(colon + 1).trim() };
    return { key: s.toLowerCase(), value: undefined };
}

/** Syscalls Docker's default seccomp profile denies to an unprivileged container; a custom profile must deny them too. */
export const DENIED_SYSCALLS: readonly string[] = [
    "acct", "add_key", "bpf", "clock_adjtime", "clock_settime", "create_module", "delete_module", "finit_module", "fanotify_init",
    "get_kernel_syms", "get_mempolicy", "init_module", "ioperm", "iopl", "kcmp", "kexec_file_load", "kexec_load", "keyctl",
    "lookup_dcookie", "mbind", "mount", "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at", "perf_event_open",
    "personality", "pivot_root", "process_vm_readv", "process_vm_writev", "ptrace", "query_module", "quotactl", "reboot",
    "request_key", "set_mempolicy", "setns", "settimeofday", "stime", "swapoff", "swapon", "sysfs", "_sysctl", "umount", "umount2",
    "unshare", "uselib", "userfaultfd", "ustat", "vm86", "vm86old", "fsopen", "fsmount", "fsconfig", "move_mount", "open_tree",
];

/** Seccomp actions that let a call through. */
const PERMISSIVE_ACTIONS = ["SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_NOTIFY"];

/**
 * Why a seccomp option value weakens the sandbox, or `undefined`. Docker takes the profile inline as JSON (the
 * CLI reads `--security-opt seccomp=<file>` and sends its content); a profile is accepted when it denies by
 * default and allows none of {@link DENIED_SYSCALLS} (rules conditional on capabilities are ignored: those
 * capabilities are dropped). Anything else cannot be verified.
 */
export function seccompProblem(value: string | undefined): string | undefined {
    if (value === undefined || value === "") return "sets seccomp without a profile, which cannot be verified";
    if (value.toLowerCase() === "unconfined") return "disables the seccomp system-call filter";
    if (value === "builtin") return undefined;
    let profile: unknown;
    try { profile = JSON.parse(value); } catch {
        return "names a seccomp profile the pack cannot read (Docker takes the profile's JSON inline; a path is not read by the daemon)";
    }
    if (profile === null || typeof profile !== "object") return "is not a seccomp profile object";
    const p = profile as { defaultAction?: unknown; syscalls?: unknown };
    if (typeof p.defaultAction !== "string" || PERMISSIVE_ACTIONS.includes(p.defaultAction.toUpperCase())) {
        return `is an inline seccomp profile whose defaultAction ${JSON.stringify(p.defaultAction)} lets every system call through`;
    }
    const allowed = new Set<string>();
    for (const rule of Array.isArray(p.syscalls) ? p.syscalls as unknown[] : []) {
        const r = rule as { names?: unknown; name?: unknown; action?: unknown; includes?: { caps?: unknown } } | null;
        if (r === null || typeof r !== "object" || typeof r.action !== "string") continue;
        if (!PERMISSIVE_ACTIONS.includes(r.action.toUpperCase())) continue;
        if (Array.isArray(r.includes?.caps) && r.includes.caps.length > 0) continue;
        const names = Array.isArray(r.names) ? r.names : typeof r.name === "string" ? [r.name] : [];
        for (const n of names) if (typeof n === "string" && DENIED_SYSCALLS.includes(n)) allowed.add(n);
    }
    if (allowed.size > 0) return `is an inline seccomp profile that allows ${[...allowed].sort().join(", ")}, which Docker's default profile denies`;
    return undefined;
}

/** AppArmor profiles and SELinux types that are always acceptable (Docker's defaults). */
export const DEFAULT_CONFINEMENT_PROFILES: readonly string[] = ["docker-default", "container_t", "container_init_t"];

/**
 * Why a `securityOpts` entry weakens the sandbox, or `undefined`. `allowedProfiles` lists reviewed AppArmor profile
 * names and SELinux types beyond Docker's defaults. no-new-privileges is checked on its own.
 */
export function securityOptProblem(raw: string, allowedProfiles: readonly string[] = []): string | undefined {
    const o = parseSecurityOpt(raw);
    const allowed = (name: string) => DEFAULT_CONFINEMENT_PROFILES.includes(name) || allowedProfiles.includes(name);
    switch (o.key) {
        case "seccomp": return seccompProblem(o.value);
        case "apparmor": {
            if (o.value === undefined || o.value === "") return "sets apparmor without a profile";
            if (o.value.toLowerCase() === "unconfined") return "disables the AppArmor profile";
            return allowed(o.value) ? undefined
                : `names the AppArmor profile "${o.value}", which is not Docker's default nor in allowedSecurityProfiles (its rules cannot be verified)`;
        }
        case "label": {
            const v = (o.value ?? "").trim();
            if (v.toLowerCase() === "disable") return "disables SELinux labelling";
            if (v.toLowerCase().startsWith("type:")) {
                const type = v.slice(5);
                if (["spc_t", "unconfined_t"].includes(type)) return `runs under the unconfined SELinux type ${type}`;
                return allowed(type) ? undefined
                    : `sets the SELinux type "${type}", which is not Docker's default nor in allowedSecurityProfiles (its rules cannot be verified)`;
            }
            return undefined;
        }
        case "systempaths": return (o.value ?? "").toLowerCase() === "unconfined" ? "unmasks /proc and /sys paths (systempaths=unconfined)" : undefined;
        case "writable-cgroups": return /^(true|1)$/i.test(o.value ?? "") ? "makes the cgroup file system writable" : undefined;
        default: return undefined;
    }
}

/** Whether a tmpfs option string enables exec: Docker mounts tmpfs noexec unless a later `exec` overrides it. */
export function tmpfsAllowsExec(options: string | undefined): boolean {
    let exec = false;
    for (const o of (options ?? "").split(",").map((x) => x.trim().toLowerCase())) {
        if (o === "exec") exec = true;
        else if (o === "noexec") exec = false;
    }
    return exec;
}
