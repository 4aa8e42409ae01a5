/**
 * The in-process mock runtime for component and program tests (STYLE.md, "Tests: arrangement").
 * `installMocks` must run before the module under test is imported (dynamic import in `beforeAll`).
 */
import * as pulumi from "@pulumi/pulumi";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider?: string;
    readonly custom?: boolean;
}

export const registrations: Recorded[] = [];
export const invokes = new Map<string, (inputs: any) => Record<string, any>>();

/** Provider-computed outputs per type, so tests that read them see realistic values. */
const computed: Record<string, (name: string, inputs: Record<string, any>) => Record<string, any>> = {
    "docker:index/network:Network": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, driver: i.driver ?? "bridge" }),
    "docker:index/volume:Volume": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, mountpoint: `/var/lib/docker/volumes/${i.name ?? name}/_data` }),
    "docker:index/container:Container": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, exitCode: i.attach ? 0 : undefined }),
    "docker:index/remoteImage:RemoteImage": (_n, i) => ({ repoDigest: i.name, imageId: "sha256:" + "c".repeat(64) }),
};

export async function installMocks(opts: { preview?: boolean; project?: string; stack?: string } = {}): Promise<void> {
    await pulumi.runtime.setMocks({
        newResource: (a) => {
            registrations.push({ type: a.type, name: a.name, inputs: a.inputs, provider: a.provider, custom: a.custom });
            const extra = computed[a.type]?.(a.name, a.inputs) ?? {};
            return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
        },
        call: (a) => {
            const fn = invokes.get(a.token);
            if (!fn) throw new Error(`Mock not implemented for invoke ${a.token}`);
            return fn(a.inputs);
        },
    }, opts.project ?? "airlock", opts.stack ?? "test", opts.preview ?? false);
}

export const unwrap = <T>(o: pulumi.Input<T>): Promise<T> =>
    new Promise((resolve) => pulumi.output(o).apply((v) => { resolve(v as T); return v; }));

/** Registration barrier: wait for URNs before inspecting `registrations`. */
export const settle = (...rs: pulumi.Resource[]): Promise<string[]> => Promise.all(rs.map((r) => unwrap(r.urn)));

export const only = (type: string): Recorded[] => registrations.filter((r) => r.type === type);

/** Docker `envs` (`KEY=VALUE` strings) as a map. */
export function envMap(envs: readonly string[] | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of envs ?? []) {
        const i = e.indexOf("=");
        out[i < 0 ? e : e.slice(0, i)] = i < 0 ? "" : e.slice(i + 1);
    }
    return out;
}
