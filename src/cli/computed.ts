/**
 * Provider-computed outputs the offline plan fills in, as the providers' Check step would at preview:
 * auto-names (the bridge appends a random suffix) and values known from inputs. Everything else a
 * provider computes stays unknown, exactly as in `pulumi preview`.
 */
import { createHash } from "node:crypto";

type Fill = (name: string, inputs: Record<string, unknown>, urn: string) => Record<string, unknown>;

/** A stable stand-in for the bridge's random suffix (7 hex, derived from the URN). */
export function autoName(name: string, urn: string): string {
    return `${name}-${createHash("sha256").update(urn).digest("hex").slice(0, 7)}`;
}

const named: Fill = (name, inputs, urn) => ({ name: inputs.name ?? autoName(name, urn) });

export const COMPUTED_AT_PREVIEW: Readonly<Record<string, Fill>> = {
    "docker:index/network:Network": (n, i, u) => ({ ...named(n, i, u), driver: i.driver ?? "bridge", internal: i.internal ?? false }),
    "docker:index/volume:Volume": (n, i, u) => ({ ...named(n, i, u), driver: i.driver ?? "local" }),
    "docker:index/container:Container": named,
    "docker:index/remoteImage:RemoteImage": () => ({}),
};
