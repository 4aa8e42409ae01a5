import { failClosed } from "../../lib/fail-closed";
import { type ObjectMetaProps, PATCH_KINDS, PATCH_TYPES } from "../../lib/kubernetes-types";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A Patch (server-side apply of a partial object) onto a kind the pack checks: the merged object never reaches the pack. */
export const patchDisallowCheckedKinds: AirlockResourcePolicy = {
    name: "kubernetes-patch-disallow-checked-kinds",
    group: "kubernetes",
    resourceType: PATCH_TYPES[0]!,
    resourceTypes: PATCH_TYPES,
    description: "Flags every *Patch resource (DeploymentPatch, JobPatch, PodPatch, NamespacePatch, NetworkPolicyPatch, ServicePatch, " +
        "IngressPatch, ServiceAccountPatch, SecretPatch, … every API version) of a kind the pack checks.",
    rationale: "A Patch server-side-applies a partial object onto one that already lives in the cluster: the fields it leaves out come " +
        "from the live object, which the pack never sees, so none of the rules for that kind can tell what the result runs or " +
        "exposes (a patched pod template, a Namespace's pod-security label, a Service's type, a NetworkPolicy's rules). The pack " +
        "fails closed. Advisory in dev; staging and prod make every rule mandatory, so a Patch blocks there.",
    enforcementLevel: "advisory",
    severity: "high",
    remediationSteps: "Manage the object itself in the stack (the full Deployment, Namespace, Service, …; adopt an existing one with the " +
        "import resource option) instead of patching it, so every rule checks the whole object.",
    validateResource: failClosed((args, report) => {
        const kind = PATCH_KINDS.get(args.type);
        if (kind === undefined) {
            args.notApplicable(`Policy only applies to Patch resources of the kinds the pack checks (${PATCH_TYPES.slice(0, 6).join(", ")}, …)`);
            return;
        }
        const meta = (args.props as { metadata?: ObjectMetaProps }).metadata;
        const name = meta?.name;
        const ns = meta?.namespace;
        const target = name === undefined ? `an existing ${kind}` : `the live ${kind} "${ns !== undefined ? `${String(ns)}/` : ""}${String(name)}"`;
        report(`this ${kind}Patch server-side-applies a partial object onto ${target}, so the pack cannot see the merged object and none of its ${kind} rules can hold: ` +
            `manage the ${kind} itself in this stack (adopt it with the import resource option) instead of patching it.`);
    }),
};
