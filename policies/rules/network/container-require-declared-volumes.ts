import * as docker from "@pulumi/docker";
import type { PolicyResource } from "@pulumi/policy";
import { attachments, type ContainerProps, type VolumeProps } from "../../lib/container";
import { configSchemaFor, readConfig } from "../../lib/config";
import { analyzedProps, recordAnalyzed } from "../../lib/analyzed";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { checkEach, failClosedStack } from "../../lib/fail-closed";
import { isUnknownValueError } from "../../lib/sdk";
import type { AirlockStackPolicy } from "../../lib/types";
import { dockerHostOf } from "./container-require-internal-network";
import { remoteStorageProblem } from "./volume-disallow-remote-storage";

const NAME = "docker-container-require-declared-volumes";

/** Host key → the names of the docker.Volume resources the stack declares there (undefined: a name unknown at preview). */
function indexVolumes(resources: readonly PolicyResource[]): { byHost: Map<string, Set<string>>; unnamed: string[] } {
    const byHost = new Map<string, Set<string>>();
    const unnamed: string[] = [];
    for (const r of resources.filter((x) => x.isType(docker.Volume))) {
        let name: string | undefined;
        // As Analyze saw it: see lib/analyzed.ts.
        try { name = analyzedProps<VolumeProps>(r).name; } catch (e) {
            if (!isUnknownValueError(e)) throw e;
        }
        if (name === undefined) { unnamed.push(r.name); continue; }
        const host = dockerHostOf(r);
        if (!byHost.has(host)) byHost.set(host, new Set());
        byHost.get(host)!.add(name);
    }
    return { byHost, unnamed };
}

/** What a container writes to is declared in the stack, on the same Docker host, and on the host's disk. */
export const containerRequireDeclaredVolumes: AirlockStackPolicy = {
    name: NAME,
    group: "network",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every named volume a container mounts writable is a docker.Volume of the same stack and Docker host, that no container mounts another container's volumes (fromContainer), and that no mounts[] entry creates a volume with a remote driver or driver options inline.",
    rationale: "A volume the stack does not declare may have been created with any driver — an NFS share or a cloud disk — so a " +
        "model server writing to it writes out of the enclave, unseen by docker-volume-disallow-remote-storage. Another " +
        "container's volumes (volumes_from) bring whatever it mounts, writable model stores and sockets included. A mounts[] " +
        "entry of type volume can create its volume inline with a driver and options that bypass the Volume rules. A " +
        "read-only mount of an existing volume (e.g. prepared training data) cannot carry data out and is allowed.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Declare every written volume as a docker.Volume in the program (same provider as the container), mount " +
        "existing volumes read-only, list mounts explicitly instead of fromContainer, and move driver options to a declared Volume.",
    configSchema: configSchemaFor("allowedVolumeDrivers"),
    // Records what Analyze saw for every resource (networks and volumes too): validateStack reads those (lib/analyzed.ts).
    validateResource: recordAnalyzed,
    validateStack: failClosedStack((args, reportViolation) => {
        const { allowedVolumeDrivers } = readConfig(args, NAME, "allowedVolumeDrivers");
        const vols = indexVolumes(args.resources);
        const containers = args.resources.filter((r) => r.isType(docker.Container));
        checkEach(containers, reportViolation, (r, report) => {
            // The container as Analyze saw it (its checked inputs): see lib/analyzed.ts.
            const c = analyzedProps<ContainerProps>(r);
            const declared = vols.byHost.get(dockerHostOf(r)) ?? new Set<string>();
            for (const a of attachments(c)) {
                if (a.kind === "from-container") {
                    report(`${a.field}.fromContainer mounts every volume of another container, which cannot be verified: mount the volumes it needs explicitly.`);
                    continue;
                }
                if (a.kind !== "volume") continue;
                const name = a.volumeName;
                if (name !== undefined && name !== "" && !a.readOnly && !declared.has(name)) {
                    const unknownNames = vols.unnamed.length > 0 ? ` (the name of docker.Volume ${vols.unnamed.map((n) => `"${n}"`).join(", ")} is unknown at preview — make volume names plain values)` : "";
                    report(`${a.field} mounts volume "${name}" writable, but no docker.Volume of that name is declared in this stack on the same ` +
                        `Docker host${unknownNames}, so where its data goes cannot be verified: declare it, or mount it read-only.`);
                }
            }
            (c.mounts ?? []).forEach((m, i) => {
                if (m.type !== "volume" || m.volumeOptions === undefined) return;
                const p = remoteStorageProblem(`mounts[${i}].volumeOptions.`, m.volumeOptions.driverName, m.volumeOptions.driverOptions ?? {}, allowedVolumeDrivers);
                if (p) report(p);
            });
        });
    }),
};
