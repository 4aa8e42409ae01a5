/**
 * Airlock's policy shapes: the SDK's policy types plus the two fields the generated reference needs
 * (`group` and `rationale`). Extra fields are ignored by the SDK (`protoutil.makeAnalyzerInfo` copies the
 * fields it knows), so these objects go into the PolicyPack unchanged.
 */
import type { ResourceValidation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/** The vendor prefix of every policy name (`<vendor>-<resource>-<check>`); the rule file drops it. */
export const POLICY_VENDORS = ["docker", "kubernetes", "runpod", "aws"] as const;
export type PolicyVendor = (typeof POLICY_VENDORS)[number];

/** Rule groups; one folder per group under `policies/rules/`. */
export const POLICY_GROUPS = ["network", "offline", "secrets", "images", "sandbox", "kubernetes", "runpod", "aws"] as const;
export type PolicyGroup = (typeof POLICY_GROUPS)[number];

interface AirlockPolicyMeta {
    /** The rule group (and folder) of the policy. */
    readonly group: PolicyGroup;
    /** Why the rule exists: the leak or escape it prevents (rendered as "Why" in docs/policies.md). */
    readonly rationale: string;
    /** The resource type token the policy checks (for the docs; derived from the SDK class). */
    readonly resourceType: string;
    /**
     * Every type token a policy checks when it checks more than one (e.g. every kind that runs pods); `resourceType`
     * is then the first. Such a policy's validation carries no type tag and reports other types not applicable.
     */
    readonly resourceTypes?: readonly string[];
}

/** Every Airlock policy sets these explicitly (STYLE.md: enforcement level, severity, remediation steps). */
interface ExplicitMetadata {
    enforcementLevel: NonNullable<ResourceValidationPolicy["enforcementLevel"]>;
    severity: NonNullable<ResourceValidationPolicy["severity"]>;
    remediationSteps: string;
}

export type AirlockResourcePolicy = ResourceValidationPolicy & ExplicitMetadata & AirlockPolicyMeta
    & { validateResource: NonNullable<ResourceValidationPolicy["validateResource"]> };
export type AirlockStackPolicy = StackValidationPolicy & ExplicitMetadata & AirlockPolicyMeta & {
    /** Only `recordAnalyzed` (lib/analyzed.ts): what Analyze saw, for the stack policy to read; it never reports. */
    readonly validateResource?: ResourceValidation;
};
export type AirlockPolicy = AirlockResourcePolicy | AirlockStackPolicy;

/** Whether `p` is a stack policy (the SDK's own test: it has `validateStack`). */
export function isStackPolicy(p: AirlockPolicy): p is AirlockStackPolicy {
    return "validateStack" in p && typeof p.validateStack === "function";
}

/** The rule's file under `policies/rules/`: `<group>/<name without the vendor prefix>.ts`. */
export function ruleFileOf(p: Pick<AirlockPolicy, "name" | "group">): string {
    const vendor = POLICY_VENDORS.find((v) => p.name.startsWith(`${v}-`));
    if (vendor === undefined) throw new Error(`policy ${p.name} does not start with a vendor prefix (${POLICY_VENDORS.join(", ")})`);
    return `${p.group}/${p.name.slice(vendor.length + 1)}.ts`;
}
