import { ALLOWED_SELINUX_TYPES, effectiveSecurityField } from "@airlock/baseline";
import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import { POD_POLICY_TYPES } from "../../lib/kubernetes-types";
import { containersOf, validatePodTemplates } from "../../lib/pod";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "kubernetes-pod-disallow-unconfined-profiles";
const APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

interface Profile { readonly type?: unknown; readonly localhostProfile?: unknown }
interface SeLinux { readonly type?: unknown; readonly user?: unknown; readonly role?: unknown }

/** Seccomp RuntimeDefault (or a reviewed Localhost profile), no unconfined AppArmor or SELinux, no unmasked /proc. */
export const podDisallowUnconfinedProfiles: AirlockResourcePolicy = {
    name: NAME,
    group: "kubernetes",
    ...POD_POLICY_TYPES,
    description: "Checks that every container runs under seccomp RuntimeDefault (set on the pod or the container; a Localhost profile only if allow-listed), with no Unconfined AppArmor profile, no SELinux type outside the container types nor a SELinux user or role, and no Unmasked procMount.",
    rationale: "Without a seccomp profile kubelet runs containers Unconfined (unless every node sets --seccomp-default): the whole " +
        "system-call surface, including the calls behind most container escapes, is open. AppArmor and SELinux confine what a " +
        "process may touch on the node; turning them off or choosing an unconfined type removes that layer, and an Unmasked " +
        "procMount exposes the node's kernel interfaces. A Localhost profile is a file on the node the pack cannot read.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set securityContext.seccompProfile: { type: RuntimeDefault } on the pod (or every container); remove Unconfined " +
        "AppArmor profiles and annotations, custom SELinux users, roles and types, and procMount: Unmasked.",
    configSchema: configSchemaFor("allowedSecurityProfiles"),
    validateResource: failClosed(validatePodTemplates((t, args, report) => {
        const { allowedSecurityProfiles } = readConfig(args, NAME, "allowedSecurityProfiles");
        const podSc = t.spec.securityContext as Record<string, unknown> | undefined;
        const annotations = t.annotations();
        const where = (ref: { field: string }, level: "container" | "pod") => (level === "pod" ? `${t.specField}.securityContext` : `${ref.field}.securityContext`);
        for (const ref of containersOf(t)) {
            const sc = ref.c.securityContext as Record<string, unknown> | undefined;
            const seccomp = effectiveSecurityField<Profile>(podSc, sc, "seccompProfile");
            const seccompType = seccomp?.value.type;
            if (seccomp === undefined) {
                report(`${ref.field}.securityContext.seccompProfile and ${t.specField}.securityContext.seccompProfile are unset, so ${ref.label} runs ` +
                    "Unconfined (kubelet's default): set seccompProfile: { type: RuntimeDefault } on the pod.");
            } else if (seccompType === "Localhost") {
                const p = String(seccomp.value.localhostProfile ?? "");
                if (!allowedSecurityProfiles.includes(p)) {
                    report(`${where(ref, seccomp.level)}.seccompProfile is the Localhost profile "${p}", a file on the node the pack cannot read and not in ` +
                        "allowedSecurityProfiles: use RuntimeDefault, or allow-list the reviewed profile.");
                }
            } else if (seccompType !== "RuntimeDefault") {
                report(`${where(ref, seccomp.level)}.seccompProfile.type is ${JSON.stringify(seccompType)}, which lets ${ref.label} make every system call: ` +
                    "use RuntimeDefault.");
            }
            const apparmor = effectiveSecurityField<Profile>(podSc, sc, "appArmorProfile");
            if (apparmor !== undefined) {
                const type = apparmor.value.type;
                const p = String(apparmor.value.localhostProfile ?? "");
                if (type === "Unconfined") report(`${where(ref, apparmor.level)}.appArmorProfile.type is Unconfined, which disables AppArmor for ${ref.label}: use RuntimeDefault.`);
                else if (type === "Localhost" && !allowedSecurityProfiles.includes(p)) {
                    report(`${where(ref, apparmor.level)}.appArmorProfile names the Localhost profile "${p}", which is not in allowedSecurityProfiles: use RuntimeDefault, or allow-list the reviewed profile.`);
                }
            }
            const legacy = annotations[`${APPARMOR_ANNOTATION}${String(ref.c.name ?? "")}`];
            if (legacy !== undefined) {
                const p = legacy.startsWith("localhost/") ? legacy.slice("localhost/".length) : undefined;
                if (legacy === "unconfined") report(`the pod annotation ${APPARMOR_ANNOTATION}${String(ref.c.name)} is "unconfined", which disables AppArmor for ${ref.label}: remove it.`);
                else if (p !== undefined && !allowedSecurityProfiles.includes(p)) {
                    report(`the pod annotation ${APPARMOR_ANNOTATION}${String(ref.c.name)} names the profile "${p}", which is not in allowedSecurityProfiles: remove it, or allow-list the reviewed profile.`);
                }
            }
            const selinux = effectiveSecurityField<SeLinux>(podSc, sc, "seLinuxOptions");
            if (selinux !== undefined) {
                const { type, user, role } = selinux.value;
                if (type !== undefined && type !== "" && !ALLOWED_SELINUX_TYPES.includes(String(type))) {
                    report(`${where(ref, selinux.level)}.seLinuxOptions.type is "${String(type)}", which is not a container type (${ALLOWED_SELINUX_TYPES.join(", ")}): remove it.`);
                }
                if ((user !== undefined && user !== "") || (role !== undefined && role !== "")) {
                    report(`${where(ref, selinux.level)}.seLinuxOptions sets a SELinux ${user !== undefined && user !== "" ? "user" : "role"}, which the restricted Pod Security Standard forbids: remove it.`);
                }
            }
            if (sc?.procMount === "Unmasked") report(`${ref.field}.securityContext.procMount is Unmasked, which exposes the node's /proc to ${ref.label}: remove it.`);
        }
    })),
};
