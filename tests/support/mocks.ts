/**
 * The in-process mock runtime for component and program tests (STYLE.md, "Tests: arrangement").
 * `installMocks` must run before the module under test is imported (dynamic import in `beforeAll`).
 */
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { isSecretValue } from "../../src/cli/encoding";

export interface Recorded {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly provider?: string;
    readonly custom?: boolean;
}

export const registrations: Recorded[] = [];
export const invokes = new Map<string, (inputs: any) => Record<string, any>>();
/** Exit codes of attached (run-to-completion) containers by Docker name; 0 when unlisted. */
export const exitCodes = new Map<string, number>();

/** Provider-computed outputs per type, so tests that read them see realistic values. */
const computed: Record<string, (name: string, inputs: Record<string, any>) => Record<string, any>> = {
    "docker:index/network:Network": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, driver: i.driver ?? "bridge" }),
    "docker:index/volume:Volume": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, mountpoint: `/var/lib/docker/volumes/${i.name ?? name}/_data` }),
    "docker:index/container:Container": (name, i) => ({ name: i.name ?? `${name}-0a1b2c3`, exitCode: i.attach ? (exitCodes.get(i.name) ?? 0) : undefined }),
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

/** The SDK's queue of outstanding resource RPCs (internal: not in the typings, present at runtime). */
const waitForRPCs = (settings as unknown as { waitForRPCs: () => Promise<void> }).waitForRPCs;

/**
 * Registration barrier: wait for the URNs of `rs` and then for every outstanding registration (components
 * register their children asynchronously) before inspecting `registrations`.
 */
export async function settle(...rs: pulumi.Resource[]): Promise<string[]> {
    const urns = await Promise.all(rs.map((r) => unwrap(r.urn)));
    await waitForRPCs();
    return urns;
}

/** Waits until every registration started so far has reached the mock monitor (nothing can still arrive later). */
export const drain = (): Promise<void> => waitForRPCs();

/** The rejection of an output (for outputs expected to fail). */
export const failureOf = (o: pulumi.Output<unknown>): Promise<Error> =>
    (o as unknown as { promise(): Promise<unknown> }).promise().then(() => { throw new Error("expected the output to fail"); }, (e: Error) => e);

export const only = (type: string): Recorded[] => registrations.filter((r) => r.type === type);

/** Whether a recorded input value is a Pulumi secret (mocks wrap the whole property). */
export const isSecretInput = isSecretValue;

/** A recorded input with secret wrappers removed. */
export function unsecret<T = any>(v: unknown): T {
    if (isSecretInput(v)) return unsecret((v as { value: unknown }).value);
    if (Array.isArray(v)) return v.map(unsecret) as T;
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsecret(x)])) as T;
    return v as T;
}

/** Docker `envs` (`KEY=VALUE` strings, possibly secret-wrapped) as a map. */
export function envMap(envs: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of unsecret<string[] | undefined>(envs) ?? []) {
        const i = e.indexOf("=");
        out[i < 0 ? e : e.slice(0, i)] = i < 0 ? "" : e.slice(i + 1);
    }
    return out;
}
