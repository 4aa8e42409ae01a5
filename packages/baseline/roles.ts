/**
 * Every container or pod Airlock creates carries `airlock.dev/role`, so policies can tell workloads apart. A role
 * is a claim the policies check, never a pass: a container is sealed (no route out, offline, non-root) unless it
 * claims a role that needs more and looks like that role.
 */
export const ROLE_LABEL = "airlock.dev/role";

export const ROLES = ["inference", "training", "model-staging", "volume-init", "gateway"] as const;
export type Role = (typeof ROLES)[number];

/** What each role may do beyond the sealed baseline (the policy pack verifies the claim first). */
export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
    "inference": "serves a staged model: sealed",
    "training": "trains on staged models and data: sealed, no network at all",
    "model-staging": "a one-shot `hf download <hub id> --revision <sha>` into model volumes: the only role with egress; runs as root without capabilities",
    "volume-init": "a one-shot chmod/chown of a fresh output volume, without network: runs as root without capabilities",
    "gateway": "a reverse proxy from a known proxy image, without GPU or volumes, holding only its own credentials: the one way into the serving network, through one routed network of its own",
};

/**
 * Reverse-proxy images a gateway may run, matched against the end of the image's repository path (a mirror adds
 * its own prefix: `<registry>/mirror/library/nginx`). The digest pin and the registry are checked by the image rules.
 */
export const GATEWAY_IMAGE_REPOSITORIES: readonly string[] = [
    "nginx", "nginxinc/nginx-unprivileged", "envoyproxy/envoy", "caddy", "haproxy", "traefik",
];

/** Env names a gateway may hold credentials in (its own keys and TLS material, never a model token). */
export const GATEWAY_CREDENTIAL_ENV_PREFIX = "AIRLOCK_GATEWAY_";

/** Further labels Airlock sets (informational; policies never trust labels to relax a rule). */
export const MODEL_LABEL = "airlock.dev/model";
export const STACK_LABEL = "airlock.dev/stack";
