/**
 * A live container (or network, volume) as the inputs of the `@pulumi/docker` resource that would create it, so
 * that the policy pack — which knows the provider's input shape — judges what runs with the same rules that
 * guard previews. Units follow the provider (memory in MiB, cpus as a decimal string).
 */
import type { ContainerInspect, NetworkInspect, VolumeInspect } from "./inspect";
import { nameOf } from "./inspect";

const MiB = 1024 * 1024;
const nonEmpty = <T>(xs: readonly T[] | null | undefined): T[] | undefined => (xs && xs.length > 0 ? [...xs] : undefined);

/** What the host itself decides for every container (from `docker info`). */
export interface HostFacts {
    /** cgroup v1 hosts run every container in the host's cgroup namespace: a daemon fact, not a container setting. */
    readonly cgroupVersion?: string;
}

/** `docker:index/container:Container` inputs of an inspected container. */
export function containerInputs(c: ContainerInspect, host: HostFacts = {}): Record<string, unknown> {
    const h = c.HostConfig;
    const networks = Object.keys(c.NetworkSettings?.Networks ?? {});
    const mode = h.NetworkMode ?? "default";
    // The engine reports the networks themselves: the first is networkMode's, the others networksAdvanced.
    const advanced = networks.filter((n) => n !== mode);
    const ports = Object.entries(h.PortBindings ?? {}).flatMap(([key, bindings]) => {
        const [port, protocol] = key.split("/");
        return (bindings ?? []).map((b) => ({ internal: Number(port), external: Number(b.HostPort || 0), ip: b.HostIp ?? "", protocol: protocol ?? "tcp" }));
    });
    const volumes = (c.Mounts ?? []).filter((m) => m.Type === "volume" || m.Type === "bind").map((m) => (m.Type === "volume"
        ? { volumeName: m.Name, containerPath: m.Destination, readOnly: !m.RW }
        : { hostPath: m.Source, containerPath: m.Destination, readOnly: !m.RW }));
    const out: Record<string, unknown> = {
        name: nameOf(c),
        image: c.Config.Image ?? "",
        networkMode: mode,
        networksAdvanced: advanced.length > 0 ? advanced.map((name) => ({ name })) : undefined,
        entrypoints: nonEmpty(c.Config.Entrypoint),
        command: nonEmpty(c.Config.Cmd),
        envs: nonEmpty(c.Config.Env),
        user: c.Config.User || undefined,
        labels: Object.entries(c.Config.Labels ?? {}).map(([label, value]) => ({ label, value })),
        ports: ports.length > 0 ? ports : undefined,
        publishAllPorts: h.PublishAllPorts === true,
        privileged: h.Privileged === true,
        readOnly: h.ReadonlyRootfs === true,
        capabilities: { drops: nonEmpty(h.CapDrop), adds: nonEmpty(h.CapAdd) },
        securityOpts: nonEmpty(h.SecurityOpt),
        memory: h.Memory ? Math.round(h.Memory / MiB) : undefined,
        memorySwap: h.MemorySwap && h.MemorySwap > 0 ? Math.round(h.MemorySwap / MiB) : undefined,
        cpus: h.NanoCpus ? String(h.NanoCpus / 1e9) : undefined,
        cpuQuota: h.CpuQuota || undefined,
        cpuShares: h.CpuShares || undefined,
        ulimits: nonEmpty(h.Ulimits?.map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard }))),
        tmpfs: h.Tmpfs && Object.keys(h.Tmpfs).length > 0 ? { ...h.Tmpfs } : undefined,
        volumes: volumes.length > 0 ? volumes : undefined,
        devices: nonEmpty(h.Devices?.map((d) => ({ hostPath: d.PathOnHost, containerPath: d.PathInContainer }))),
        deviceRequests: nonEmpty(h.DeviceRequests?.map((d) => ({ driver: d.Driver, count: d.Count, capabilities: (d.Capabilities ?? []).flat() }))),
        pidMode: h.PidMode || undefined,
        ipcMode: h.IpcMode && h.IpcMode !== "private" && h.IpcMode !== "shareable" ? h.IpcMode : undefined,
        usernsMode: h.UsernsMode || undefined,
        cgroupnsMode: h.CgroupnsMode && h.CgroupnsMode !== "private" && !(host.cgroupVersion === "1" && h.CgroupnsMode === "host") ? h.CgroupnsMode : undefined,
        runtime: h.Runtime && h.Runtime !== "runc" ? h.Runtime : undefined,
        sysctls: h.Sysctls && Object.keys(h.Sysctls).length > 0 ? { ...h.Sysctls } : undefined,
        logDriver: h.LogConfig?.Type || undefined,
        logOpts: h.LogConfig?.Config && Object.keys(h.LogConfig.Config).length > 0 ? { ...h.LogConfig.Config } : undefined,
        restart: h.RestartPolicy?.Name || "no",
        shmSize: h.ShmSize ? Math.round(h.ShmSize / MiB) : undefined,
    };
    return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

/** `docker:index/network:Network` inputs of an inspected network. */
export function networkInputs(n: NetworkInspect): Record<string, unknown> {
    return {
        name: n.Name, driver: n.Driver ?? "bridge", internal: n.Internal === true,
        labels: Object.entries(n.Labels ?? {}).map(([label, value]) => ({ label, value })),
    };
}

/** `docker:index/volume:Volume` inputs of an inspected volume. */
export function volumeInputs(v: VolumeInspect): Record<string, unknown> {
    const opts = v.Options ?? {};
    return {
        name: v.Name, driver: v.Driver ?? "local",
        ...(Object.keys(opts).length > 0 ? { driverOpts: { ...opts } } : {}),
        labels: Object.entries(v.Labels ?? {}).map(([label, value]) => ({ label, value })),
    };
}
