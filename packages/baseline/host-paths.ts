/**
 * Host paths no workload may bind-mount: container-runtime sockets (root on the host) wherever a runtime puts
 * them (Docker, containerd, CRI-O, Podman, BuildKit, rootless and Desktop paths), directories that hold one,
 * system directories, and credential stores (cloud CLIs, kubeconfig, SSH, the Docker client's registry
 * logins, the Hugging Face token cache).
 */
import * as path from "node:path";

/** File names of runtime sockets, wherever they are. */
export const RUNTIME_SOCKET_NAMES: readonly string[] = [
    "docker.sock", "containerd.sock", "crio.sock", "podman.sock", "cri-dockerd.sock", "buildkitd.sock", "dockershim.sock",
    "containerd-shim.sock", "kubelet.sock",
];

/** Where runtimes put their sockets (`*` is one path segment: a uid or a user name). */
export const RUNTIME_SOCKET_PATHS: readonly string[] = [
    "/var/run/docker.sock", "/run/docker.sock",
    "/run/containerd/containerd.sock", "/var/run/containerd/containerd.sock",
    "/run/docker/containerd/containerd.sock", "/var/run/docker/containerd/containerd.sock",
    "/run/k3s/containerd/containerd.sock", "/run/crio/crio.sock", "/var/run/crio/crio.sock",
    "/run/podman/podman.sock", "/var/run/podman/podman.sock", "/run/buildkit/buildkitd.sock", "/var/run/cri-dockerd.sock",
    "/run/user/*/docker.sock", "/run/user/*/podman/podman.sock", "/run/user/*/containerd/containerd.sock",
    "/home/*/.docker/run/docker.sock", "/root/.docker/run/docker.sock", "/var/snap/docker/*/run/docker.sock",
];

/** System directories: host configuration, kernel interfaces, binaries, other containers' data. */
export const SENSITIVE_HOST_PATHS: readonly string[] = [
    "/", "/boot", "/dev", "/etc", "/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin", "/proc", "/sys", "/usr", "/root", "/run", "/var/run", "/var/lib/docker", "/var/lib/containerd", "/var/lib/kubelet", "/var/lib/containers",
    "/var/log", "/var/snap",
];

/** Path segments that name a credential store (anywhere in a host path). */
export const CREDENTIAL_SEGMENTS: readonly string[] = [
    ".docker", ".aws", ".kube", ".ssh", ".gnupg", ".azure", ".pulumi", ".huggingface", ".netrc", ".git-credentials",
    ".terraform.d", ".config/gcloud", ".cache/huggingface", ".runpod",
];

/** Normalises an absolute host path (`//`, `.`, `..`, trailing `/`); others are returned as given. */
export function normalizeHostPath(p: string): string {
    if (!p.startsWith("/")) return p;
    const n = path.posix.normalize(p);
    return n.length > 1 && n.endsWith("/") ? n.slice(0, -1) : n;
}

const segments = (p: string): string[] => p.split("/").filter((s) => s.length > 0);

/** Whether `pattern` (segments, `*` = any one segment) matches the first segments of `target`. */
function prefixMatches(pattern: readonly string[], target: readonly string[]): boolean {
    return pattern.length <= target.length && pattern.every((s, i) => s === "*" || s === target[i]);
}

/**
 * Why bind-mounting host path `raw` is forbidden, or `undefined`: the phrase completes "… mounts <raw>, which …".
 * A relative path (a Windows drive, a volume name by mistake) is unverifiable and reported as such.
 */
export function sensitiveHostPathReason(raw: string): string | undefined {
    if (!raw.startsWith("/")) return "is not an absolute host path, so what it binds cannot be verified";
    const p = normalizeHostPath(raw);
    const segs = segments(p);
    const base = segs.at(-1) ?? "";
    if (RUNTIME_SOCKET_NAMES.includes(base)) return `is a container runtime socket (${base}), which grants root on the host`;
    // A whole home directory holds credential stores (and Docker Desktop's socket).
    if (segs[0] === "home" && segs.length <= 2) return "is a home directory, which holds credential stores (.ssh, .aws, .docker, …)";
    const holding = RUNTIME_SOCKET_PATHS.find((s) => {
        const ss = segments(s);
        return ss.length > segs.length && prefixMatches(ss.slice(0, segs.length), segs);
    });
    if (holding !== undefined) return `contains the container runtime socket ${holding}, which grants root on the host`;
    const joined = `/${segs.join("/")}/`;
    const cred = CREDENTIAL_SEGMENTS.find((c) => joined.includes(`/${c}/`));
    if (cred !== undefined) return `is or holds the credential store ${cred}`;
    const system = SENSITIVE_HOST_PATHS.find((s) => (s === "/" ? p === "/" : p === s || p.startsWith(`${s}/`)));
    if (system !== undefined) return system === p ? "is a sensitive host path" : `is under the sensitive host path ${system}`;
    return undefined;
}
