/**
 * The static checks of `airlock verify`: each running container as the engine reports it (`docker inspect`), against
 * the baseline — never against what the program intended. Pure functions of the inspect documents; the role of a
 * container is decided as the policy pack decides it (a label is a claim the container must match).
 */
import {
    HUB_OFFLINE_SWITCHES, MODEL_ROOT, NO_NEW_PRIVILEGES_OPTS, TELEMETRY_OFF_SWITCHES, nonRootUserProblem, securityOptProblem,
    sensitiveHostPathReason,
} from "@airlock/baseline";
import type { ContainerProps } from "../../../policies/lib/container";
import { readEnv, switchProblem } from "../../../policies/lib/env";
import { classify, describeWorkload, mayHaveEgress, mayRunAsRoot, mayWriteModelStore, needsOfflineEnv, needsTelemetryOff, type Workload } from "../../../policies/lib/workload";
import { type ContainerInspect, type NetworkInspect, nameOf, networksOf } from "./inspect";
import { containerInputs } from "./to-inputs";

export interface CheckResult {
    readonly check: string;
    readonly expected: string;
    readonly seen: string;
    readonly pass: boolean;
    /** What to change when it fails. */
    readonly fix?: string;
}

export interface ContainerChecks {
    readonly name: string;
    readonly role: string;
    readonly workload: Workload;
    readonly checks: CheckResult[];
}

export interface StaticCheckOptions {
    /** Host IPs a published port may bind to. @default ["127.0.0.1"] */
    readonly allowedBindIps?: readonly string[];
}

const ok = (check: string, expected: string, seen: string, pass: boolean, fix?: string): CheckResult =>
    ({ check, expected, seen, pass, ...(pass || !fix ? {} : { fix }) });

/** The checks of one container. `networks` are the inspected networks of the host, by name. */
export function staticChecks(c: ContainerInspect, networks: ReadonlyMap<string, NetworkInspect>, o: StaticCheckOptions = {}): ContainerChecks {
    const inputs = containerInputs(c) as ContainerProps;
    const w = classify(inputs);
    const h = c.HostConfig;
    const out: CheckResult[] = [];

    // Networks: internal (or none), except a verified one-shot download; a verified gateway may have one routed network.
    const attached = networksOf(c);
    const routed = attached.filter((n) => networks.get(n)?.Internal !== true);
    if (!mayHaveEgress(w)) {
        const allowed = w.role === "gateway" ? 1 : 0;
        out.push(ok("networks", allowed ? "internal networks, plus one routed network of its own" : "internal networks only (or none)",
            attached.length === 0 ? "none" : attached.map((n) => `${n}${networks.get(n)?.Internal === true ? " (internal)" : " (routed)"}`).join(", "),
            routed.length <= allowed,
            `disconnect it from ${routed.join(", ")} (docker network disconnect) and fix the program: only internal networks`));
    }

    // Offline and telemetry switches, as their consumers read them.
    const env = readEnv(c.Config.Env ?? []);
    const switches = [...(needsOfflineEnv(w) ? HUB_OFFLINE_SWITCHES : []), ...(needsTelemetryOff(w) ? TELEMETRY_OFF_SWITCHES : [])];
    for (const sw of switches) {
        const p = switchProblem(env, sw);
        out.push(ok(`env ${sw.name}`, `${sw.secure} (as its consumers read it)`, p ?? `${sw.name} is on`, p === undefined, `set ${sw.name}=${sw.secure}`));
    }

    // Published ports.
    const allowedIps = o.allowedBindIps ?? ["127.0.0.1"];
    const bindings = Object.entries(h.PortBindings ?? {}).flatMap(([port, bs]) => (bs ?? []).map((b) => ({ port, ip: b.HostIp || "0.0.0.0" })));
    out.push(ok("published ports", `none, or only on ${allowedIps.join(", ")}`,
        bindings.length === 0 && !h.PublishAllPorts ? "none" : [...bindings.map((b) => `${b.ip} → ${b.port}`), ...(h.PublishAllPorts ? ["publish all"] : [])].join(", "),
        !h.PublishAllPorts && bindings.every((b) => allowedIps.includes(b.ip)), "publish only on 127.0.0.1 (ports[].ip) or not at all"));

    // The sandbox.
    out.push(ok("privileged", "false", String(h.Privileged === true), h.Privileged !== true, "remove privileged"));
    const drops = (h.CapDrop ?? []).map((x) => x.toUpperCase().replace(/^CAP_/, ""));
    out.push(ok("capabilities", "drop ALL, add none", `drop [${(h.CapDrop ?? []).join(", ")}], add [${(h.CapAdd ?? []).join(", ")}]`,
        drops.includes("ALL") && (h.CapAdd ?? []).length === 0, "capabilities: { drops: [\"ALL\"] } and no adds"));
    const opts = (h.SecurityOpt ?? []).map((x) => x.trim());
    out.push(ok("no-new-privileges", "set", opts.join(", ") || "none",
        opts.some((x) => NO_NEW_PRIVILEGES_OPTS.includes(x.toLowerCase().replace(/\s+/g, ""))), "securityOpts: [\"no-new-privileges:true\"]"));
    const weakened = opts.map((x) => securityOptProblem(x)).filter((x): x is string => x !== undefined);
    const apparmor = c.AppArmorProfile === "unconfined" ? ["AppArmor is unconfined"] : [];
    out.push(ok("seccomp and LSM profiles", "Docker's defaults (or reviewed profiles)", [...weakened, ...apparmor].join("; ") || "defaults",
        weakened.length === 0 && apparmor.length === 0, "remove the security option that disables the profile"));
    out.push(ok("read-only root", "true", String(h.ReadonlyRootfs === true), h.ReadonlyRootfs === true, "readOnly: true, writable paths on tmpfs"));
    const cpu = (h.NanoCpus ?? 0) > 0 || (h.CpuQuota ?? 0) > 0 || (h.CpuShares ?? 0) > 0;
    out.push(ok("memory and cpu limits", "both set", `memory ${h.Memory ? `${Math.round(h.Memory / 1024 / 1024)} MiB` : "unlimited"}, cpus ${h.NanoCpus ? h.NanoCpus / 1e9 : cpu ? "limited" : "unlimited"}`,
        (h.Memory ?? 0) > 0 && cpu, "set memory and cpus"));
    if (w.role === "training") {
        const nproc = (h.Ulimits ?? []).find((u) => u.Name === "nproc");
        const pids = (h.PidsLimit ?? 0) > 0;
        out.push(ok("process limit", "pids limit or nproc ulimit", pids ? `pids ${h.PidsLimit}` : nproc ? `nproc ${nproc.Soft}/${nproc.Hard}` : "none",
            pids || (nproc !== undefined && nproc.Soft > 0 && nproc.Hard > 0), "ulimits: [{ name: \"nproc\", soft: 512, hard: 512 }]"));
    }
    if (!mayRunAsRoot(w)) {
        const p = nonRootUserProblem(c.Config.User || undefined);
        out.push(ok("user", "a numeric non-root uid:gid", c.Config.User || "image default", p === undefined, "user: \"1000:1000\""));
    }

    // Mounts: model volumes read-only (but for the download), no runtime socket, credential store or system path.
    for (const m of c.Mounts ?? []) {
        if (m.Destination.startsWith(`${MODEL_ROOT}/`) || m.Destination === MODEL_ROOT) {
            const writable = m.RW && !mayWriteModelStore(w);
            out.push(ok(`mount ${m.Destination}`, "read-only", m.RW ? "read-write" : "read-only", !writable, "readOnly: true on the model volume"));
        }
        if (m.Type === "bind" && m.Source) {
            const reason = sensitiveHostPathReason(m.Source);
            out.push(ok(`bind ${m.Source}`, "no sensitive host path", reason ?? "not sensitive", reason === undefined, "remove the bind mount"));
        }
    }
    return { name: nameOf(c), role: describeWorkload(w), workload: w, checks: out };
}
