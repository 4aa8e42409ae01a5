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

/** Docker network modes that put a workload on a network with a route out. */
export const FORBIDDEN_NETWORK_MODES: readonly string[] = ["host", "bridge", "default"];

/** Host namespaces a container must never join. */
export const HOST_NAMESPACE_MODE = "host";

/** Host paths that must never be bind-mounted into a workload. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
    "/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/sys", "/usr", "/var/lib/docker", "/root",
];

/** Container-runtime sockets: mounting one hands out root on the host. */
export const RUNTIME_SOCKETS: readonly string[] = [
    "/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock", "/var/run/crio/crio.sock",
];

/** vLLM environment switches that open a remote-code or weight-swap path when truthy (vLLM security guide). */
export const VLLM_FORBIDDEN_TRUTHY_ENV: readonly string[] = ["VLLM_SERVER_DEV_MODE", "VLLM_ALLOW_RUNTIME_LORA_UPDATING"];

/** vLLM flags that expose debugging or internals endpoints (vLLM security guide). */
export const VLLM_FORBIDDEN_FLAGS: readonly string[] = ["--enable-tokenizer-info-endpoint", "--profiler-config"];

/** The env var vLLM reads its API key from; the key always comes from a secret, never argv. */
export const VLLM_API_KEY_ENV = "VLLM_API_KEY";
