/** Every container or pod Airlock creates carries `airlock.dev/role`, so policies can tell workloads apart. */
export const ROLE_LABEL = "airlock.dev/role";

export const ROLES = ["inference", "training", "model-staging"] as const;
export type Role = (typeof ROLES)[number];

/** Further labels Airlock sets (informational; policies never trust labels to relax a rule). */
export const MODEL_LABEL = "airlock.dev/model";
export const STACK_LABEL = "airlock.dev/stack";
