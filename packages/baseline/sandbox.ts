/**
 * The container sandbox baseline and the settings no Airlock workload may have. Components apply the
 * baseline; the policy pack rejects the forbidden settings on any resource, whoever wrote it.
 */

/** Capabilities dropped from every container. */
export const DROPPED_CAPABILITIES: readonly string[] = ["ALL"];

/** Docker security options set on every container. */
export const DOCKER_SECURITY_OPTS: readonly string[] = ["no-new-privileges:true"];

/** The unprivileged user workloads run as (images must own their writable mount points for it). */
export const WORKLOAD_USER = "1000:1000";
/**
 * A workload user the pack can verify: numeric `uid:gid`, both non-zero. A uid alone runs in the group the image's
 * /etc/passwd gives it, or in group 0 when the image does not list it (runc's GetExecUser).
 */
export const WORKLOAD_USER_PATTERN = /^[1-9][0-9]{0,9}:[1-9][0-9]{0,9}$/;

/** Docker network modes that put a workload on a network with a route out. */
export const FORBIDDEN_NETWORK_MODES: readonly string[] = ["host", "bridge", "default"];

/** Host namespaces a container must never join. */
export const HOST_NAMESPACE_MODE = "host";

/** The env var vLLM reads its API key from; the key always comes from a secret, never argv. */
export const VLLM_API_KEY_ENV = "VLLM_API_KEY";
