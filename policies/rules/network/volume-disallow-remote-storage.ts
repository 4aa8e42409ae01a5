import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { configSchemaFor, readConfig } from "../../lib/config";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

const NAME = "docker-volume-disallow-remote-storage";

/** Why a volume driver and its options may put data somewhere other than the host's disk, or undefined. */
export function remoteStorageProblem(field: string, driver: string | undefined, opts: Readonly<Record<string, unknown>>, allowedDrivers: readonly string[]): string | undefined {
    if (driver !== undefined && driver !== "" && !allowedDrivers.includes(driver)) {
        return `${field}driver "${driver}" is not a driver that keeps data on the host (${allowedDrivers.join(", ")}): a volume plugin ` +
            "can mount remote storage, a path out of the enclave — use the local driver.";
    }
    const keys = Object.keys(opts);
    if (keys.length === 0) return undefined;
    const type = String(opts["type"] ?? "");
    const o = String(opts["o"] ?? "");
    if (type === "tmpfs") return undefined;
    if (type === "none" && /(^|,)r?bind(,|$)/.test(o)) return undefined; // a host bind: docker-volume-disallow-host-bind checks it
    const what = /(^|,)addr=/.test(o) ? `o "${o}" names a remote address` : `type "${type || "unset"}" with ${[...keys].sort().join(", ")}`;
    return `${field}driverOpts ${what}, so the local driver mounts storage the pack cannot verify is on the host (NFS, CIFS, a block ` +
        "device, …): remove driverOpts for a plain named volume.";
}

/** Named volumes live on the host's disk: no volume plugin and no local-driver mount of remote storage. */
export const volumeDisallowRemoteStorage: AirlockResourcePolicy = {
    name: NAME,
    group: "network",
    resourceType: DOCKER_TYPES.volume,
    description: "Checks that a docker.Volume uses a driver from allowedVolumeDrivers (default: local) and that its driverOpts mount nothing but a tmpfs or a host bind (type nfs, cifs, addr=… and block devices are rejected).",
    rationale: "A volume is a path out of the enclave that no network rule sees: the local driver mounts NFS or CIFS shares with " +
        "driverOpts { type: nfs, o: addr=… }, and volume plugins (sshfs, S3 and cloud-disk drivers) write to remote storage. A " +
        "model server's writable volume on such storage exfiltrates whatever is written there.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Use a plain named volume (no driver, no driverOpts); stage remote data through the model-staging role instead.",
    configSchema: configSchemaFor("allowedVolumeDrivers"),
    validateResource: failClosed(validateResourceOfType(docker.Volume, (v, args, report) => {
        const { allowedVolumeDrivers } = readConfig(args, NAME, "allowedVolumeDrivers");
        const p = remoteStorageProblem("", v.driver, v.driverOpts ?? {}, allowedVolumeDrivers);
        if (p) report(p);
    })),
};
