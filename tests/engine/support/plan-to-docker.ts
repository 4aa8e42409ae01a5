/**
 * `docker run` arguments for a planned `docker:index/container:Container` (its inputs from `airlock plan --format
 * json`): the settings the Docker provider would send the engine, spelled as docker CLI flags. Used to run the dev
 * stack's containers with the STAND-IN images where no Docker resource provider is available. Secret env entries
 * (printed as "[secret]" by the plan) are left out; GPU device requests are refused (there is no GPU here: use a
 * stack with `gpus: 0`).
 */
import * as os from "node:os";

export function dockerRunArgs(c: Record<string, any>, o: { detach?: boolean } = {}): string[] {
    if ((c.deviceRequests ?? []).length > 0) throw new Error(`${c.name}: GPU device requests cannot be met here; plan a stack with gpus: 0`);
    const a: string[] = ["run", ...(o.detach ? ["-d"] : []), "--name", c.name];
    a.push("--network", c.networkMode ?? "bridge");
    if (c.user) a.push("--user", c.user);
    for (const cap of c.capabilities?.drops ?? []) a.push("--cap-drop", cap);
    for (const cap of c.capabilities?.adds ?? []) a.push("--cap-add", cap);
    for (const opt of c.securityOpts ?? []) a.push("--security-opt", opt);
    if (c.readOnly) a.push("--read-only");
    if (c.privileged) a.push("--privileged");
    for (const [p, opts] of Object.entries(c.tmpfs ?? {})) a.push("--tmpfs", `${p}:${String(opts)}`);
    if (c.memory) a.push("--memory", `${c.memory}m`);
    if (c.memorySwap) a.push("--memory-swap", `${c.memorySwap}m`);
    if (c.cpus) a.push("--cpus", String(Math.min(Number(c.cpus), os.cpus().length)));
    if (c.shmSize) a.push("--shm-size", `${c.shmSize}m`);
    for (const u of c.ulimits ?? []) a.push("--ulimit", `${u.name}=${u.soft}:${u.hard}`);
    for (const v of c.volumes ?? []) a.push("-v", `${v.volumeName}:${v.containerPath}${v.readOnly ? ":ro" : ""}`);
    for (const m of c.mounts ?? []) {
        a.push("--mount", [`type=${m.type}`, `src=${m.source}`, `dst=${m.target}`, ...(m.readOnly ? ["readonly"] : []),
            ...(m.volumeOptions?.noCopy ? ["volume-nocopy"] : [])].join(","));
    }
    for (const e of (c.envs ?? []) as string[]) if (e !== "[secret]") a.push("--env", e);
    for (const l of c.labels ?? []) a.push("--label", `${l.label}=${l.value}`);
    if (c.hostname && c.hostname !== "[unknown]") a.push("--hostname", c.hostname);
    const [entry, ...entryRest] = (c.entrypoints ?? []) as string[];
    if (entry) a.push("--entrypoint", entry);
    a.push(c.image, ...entryRest, ...((c.command ?? []) as string[]));
    return a;
}

/** The value of a label of a planned container. */
export const labelOf = (c: Record<string, any>, label: string): string | undefined =>
    ((c.labels ?? []) as { label: string; value: string }[]).find((l) => l.label === label)?.value;
