/**
 * The Docker Engine API, through dockerode: connect to the stack's host, list and inspect what runs, and run a
 * bounded command inside a container (`docker exec`). Every call has a timeout; no secret is ever put in argv (an
 * exec's secrets travel in its environment).
 */
import type Docker from "dockerode";
import { PassThrough } from "node:stream";
import type { ContainerInspect, NetworkInspect, VolumeInspect } from "./inspect";

/** The host could not be reached (exit 2). */
export class DockerHostError extends Error {
    constructor(message: string) { super(message); this.name = "DockerHostError"; }
}

/** Connection options for a `DOCKER_HOST`-style address: `unix:///path`, `tcp://host:port`, `ssh://user@host`. */
export function connectionOf(dockerHost: string): Docker.DockerOptions {
    if (dockerHost.startsWith("unix://")) return { socketPath: dockerHost.slice("unix://".length) };
    const url = new URL(dockerHost);
    if (url.protocol === "tcp:" || url.protocol === "http:") return { host: url.hostname, port: Number(url.port || 2375), protocol: "http" };
    if (url.protocol === "https:") return { host: url.hostname, port: Number(url.port || 2376), protocol: "https" };
    if (url.protocol === "ssh:") {
        return { host: url.hostname, port: Number(url.port || 22), protocol: "ssh", username: url.username || undefined } as Docker.DockerOptions;
    }
    throw new DockerHostError(`unsupported Docker host address ${JSON.stringify(dockerHost)}: use unix://, tcp://, https:// or ssh://`);
}

const within = <T>(ms: number, what: string, p: Promise<T>): Promise<T> => new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
    p.then((v) => { clearTimeout(t); resolve(v); }, (e: unknown) => { clearTimeout(t); reject(e); });
});

export interface ExecResult { readonly exitCode: number | null; readonly stdout: string; readonly stderr: string; readonly timedOut: boolean }

export class Engine {
    private constructor(private readonly docker: Docker, readonly address: string) {}

    /** Connects and pings the host; throws {@link DockerHostError} naming the address when it cannot. */
    static async connect(address: string, timeoutMs = 10_000): Promise<Engine> {
        // Loaded on demand: `airlock plan` never needs the Docker client.
        const { default: DockerClient } = await import("dockerode");
        const docker = new DockerClient(connectionOf(address));
        try {
            await within(timeoutMs, `the Docker host ${address}`, docker.ping());
        } catch (e) {
            throw new DockerHostError(`cannot reach the Docker host ${address}: ${(e as Error).message}`);
        }
        return new Engine(docker, address);
    }

    /** The host's cgroup version (`docker info`). */
    async cgroupVersion(): Promise<string | undefined> {
        const info = await within(30_000, "docker info", this.docker.info() as Promise<{ CgroupVersion?: string }>);
        return info.CgroupVersion;
    }

    async containers(filters: Record<string, string[]> = {}): Promise<ContainerInspect[]> {
        const list = await within(30_000, "listing containers", this.docker.listContainers({ all: true, filters }));
        return Promise.all(list.map((c) => this.inspect(c.Id)));
    }

    inspect(id: string): Promise<ContainerInspect> {
        return within(30_000, `inspecting ${id}`, this.docker.getContainer(id).inspect() as unknown as Promise<ContainerInspect>);
    }

    async networks(): Promise<Map<string, NetworkInspect>> {
        const list = await within(30_000, "listing networks", this.docker.listNetworks());
        const all = await Promise.all(list.map((n) => within(30_000, `inspecting network ${n.Name}`,
            this.docker.getNetwork(n.Id).inspect() as Promise<NetworkInspect>)));
        return new Map(all.map((n) => [n.Name, n]));
    }

    async volume(name: string): Promise<VolumeInspect | undefined> {
        try {
            return await within(30_000, `inspecting volume ${name}`, this.docker.getVolume(name).inspect() as Promise<VolumeInspect>);
        } catch {
            return undefined;
        }
    }

    /**
     * Runs `cmd` in the container with `env` (never argv for secrets), bounded by `timeoutMs`; a timed-out exec is
     * reported as such (its process is left to the container's own `timeout` calls, which every probe uses).
     */
    async exec(containerId: string, cmd: string[], o: { env?: Record<string, string>; timeoutMs?: number; user?: string } = {}): Promise<ExecResult> {
        const container = this.docker.getContainer(containerId);
        const exec = await container.exec({
            Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false,
            Env: Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${v}`), ...(o.user ? { User: o.user } : {}),
        });
        const stream = await exec.start({ hijack: true, stdin: false });
        const out = new PassThrough();
        const err = new PassThrough();
        let stdout = "";
        let stderr = "";
        out.on("data", (d: Buffer) => { stdout += d.toString(); });
        err.on("data", (d: Buffer) => { stderr += d.toString(); });
        this.docker.modem.demuxStream(stream, out, err);
        const ended = new Promise<void>((resolve) => { stream.on("end", resolve); stream.on("close", resolve); stream.on("error", () => resolve()); });
        const limit = o.timeoutMs ?? 15_000;
        const timedOut = await Promise.race([ended.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), limit).unref())]);
        if (timedOut) stream.destroy();
        const info = timedOut ? { ExitCode: null } : await exec.inspect();
        return { exitCode: info.ExitCode ?? null, stdout, stderr, timedOut };
    }
}
