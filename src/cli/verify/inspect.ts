/**
 * What `airlock verify` reads from a Docker host: the containers and networks as the Engine API reports them
 * (`docker inspect`), in the few shapes the checks need. Kept as plain data so the checks are pure functions,
 * tested on recorded inspect documents without an engine.
 */

/** The part of `GET /containers/{id}/json` the checks read. */
export interface ContainerInspect {
    readonly Id: string;
    readonly Name: string;
    readonly State?: { readonly Running?: boolean; readonly Status?: string; readonly ExitCode?: number };
    readonly AppArmorProfile?: string;
    readonly Config: {
        readonly Image?: string;
        readonly User?: string;
        readonly Env?: string[] | null;
        readonly Entrypoint?: string[] | null;
        readonly Cmd?: string[] | null;
        readonly Labels?: Record<string, string> | null;
    };
    readonly HostConfig: {
        readonly NetworkMode?: string;
        readonly Privileged?: boolean;
        readonly ReadonlyRootfs?: boolean;
        readonly CapAdd?: string[] | null;
        readonly CapDrop?: string[] | null;
        readonly SecurityOpt?: string[] | null;
        readonly Memory?: number;
        readonly MemorySwap?: number;
        readonly NanoCpus?: number;
        readonly CpuQuota?: number;
        readonly CpuShares?: number;
        readonly PidsLimit?: number | null;
        readonly Ulimits?: { Name: string; Soft: number; Hard: number }[] | null;
        readonly PortBindings?: Record<string, { HostIp?: string; HostPort?: string }[] | null> | null;
        readonly PublishAllPorts?: boolean;
        readonly Tmpfs?: Record<string, string> | null;
        readonly Devices?: { PathOnHost: string; PathInContainer: string }[] | null;
        readonly DeviceRequests?: { Driver?: string; Count?: number; Capabilities?: string[][] }[] | null;
        readonly PidMode?: string;
        readonly IpcMode?: string;
        readonly UsernsMode?: string;
        readonly CgroupnsMode?: string;
        readonly Runtime?: string;
        readonly Sysctls?: Record<string, string> | null;
        readonly LogConfig?: { Type?: string; Config?: Record<string, string> };
        readonly RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
        readonly ShmSize?: number;
    };
    readonly Mounts?: { Type: string; Name?: string; Source?: string; Destination: string; RW: boolean; Driver?: string }[];
    readonly NetworkSettings?: { readonly Networks?: Record<string, { NetworkID?: string; IPAddress?: string; Gateway?: string }> | null };
}

/** The part of `GET /networks/{id}` the checks read. */
export interface NetworkInspect {
    readonly Id: string;
    readonly Name: string;
    readonly Driver?: string;
    readonly Internal?: boolean;
    readonly IPAM?: { readonly Config?: { Subnet?: string; Gateway?: string }[] | null };
    readonly Labels?: Record<string, string> | null;
}

/** The part of `GET /volumes/{name}` the checks read. */
export interface VolumeInspect {
    readonly Name: string;
    readonly Driver?: string;
    readonly Options?: Record<string, string> | null;
    readonly Labels?: Record<string, string> | null;
}

/** A container's name without Docker's leading `/`. */
export const nameOf = (c: Pick<ContainerInspect, "Name">): string => c.Name.replace(/^\//, "");

/** The networks a container is attached to, as the engine reports them (empty for networkMode none). */
export function networksOf(c: ContainerInspect): string[] {
    return Object.keys(c.NetworkSettings?.Networks ?? {}).filter((n) => n !== "none");
}
