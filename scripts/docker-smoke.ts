/**
 * `npm run smoke:docker`: the dev stack's real container settings on a real Docker engine. It plans the dev
 * stack (`airlock plan --format json`), turns every container's security-relevant inputs into `docker run`
 * flags (network, user, capabilities, security options, read-only root, tmpfs, limits, ulimits, mounts), swaps
 * the image for a local BusyBox (nothing is pulled) and the command for a probe, and checks what the README
 * and the components claim. Needs a reachable Docker engine (DOCKER_HOST) and busybox-static (/usr/bin/busybox);
 * sends traffic only between containers it creates. Not part of `npm test` (CI has no Docker engine running).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const IMAGE = "airlock-smoke/busybox:2";
const P = "smoke-";

interface Res { type: string; name: string; inputs: Record<string, any> }

const docker = (args: string[], allowFail = false) => {
    const r = spawnSync("docker", args, { encoding: "utf8" });
    if (r.status !== 0 && !allowFail) throw new Error(`docker ${args.join(" ")}: ${r.stderr.trim()}`);
    return { status: r.status ?? 1, out: `${r.stdout}${r.stderr}`.trim() };
};

function buildImage(): void {
    if (docker(["image", "inspect", IMAGE], true).status === 0) return;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "smoke-root-"));
    fs.mkdirSync(path.join(root, "bin"));
    fs.mkdirSync(path.join(root, "etc"));
    fs.mkdirSync(path.join(root, "tmp"));
    fs.copyFileSync("/usr/bin/busybox", path.join(root, "bin/busybox"));
    for (const applet of ["sh", "cat", "touch", "chmod", "nc", "httpd", "sleep", "id", "stat", "mkdir", "echo", "printf", "head", "grep"]) {
        fs.symlinkSync("busybox", path.join(root, "bin", applet));
    }
    fs.writeFileSync(path.join(root, "etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
    execFileSync("sh", ["-c", `tar -C ${root} -c . | docker import - ${IMAGE}`], { stdio: "ignore" });
}

/** The security-relevant `docker run` flags of a planned container (image and command excluded). */
function flags(c: Record<string, any>): string[] {
    const f: string[] = ["--name", P + c.name];
    f.push("--network", c.networkMode === "none" ? "none" : P + c.networkMode);
    if (c.user) f.push("--user", c.user);
    for (const cap of c.capabilities?.drops ?? []) f.push("--cap-drop", cap);
    for (const cap of c.capabilities?.adds ?? []) f.push("--cap-add", cap);
    for (const o of c.securityOpts ?? []) f.push("--security-opt", o);
    if (c.readOnly) f.push("--read-only");
    for (const [p, o] of Object.entries(c.tmpfs ?? {})) f.push("--tmpfs", `${p}:${o}`);
    if (c.memory) f.push("--memory", `${c.memory}m`);
    if (c.memorySwap) f.push("--memory-swap", `${c.memorySwap}m`);
    if (c.cpus) f.push("--cpus", String(Math.min(Number(c.cpus), os.cpus().length)));
    if (c.shmSize) f.push("--shm-size", `${c.shmSize}m`);
    for (const u of c.ulimits ?? []) f.push("--ulimit", `${u.name}=${u.soft}:${u.hard}`);
    for (const v of c.volumes ?? []) f.push("-v", `${P}${v.volumeName}:${v.containerPath}${v.readOnly ? ":ro" : ""}`);
    if (c.privileged) f.push("--privileged");
    return f;
}

const results: { check: string; ok: boolean; detail: string }[] = [];
const check = (name: string, ok: boolean, detail: string) => { results.push({ check: name, ok, detail }); };

function main(): void {
    if (docker(["version", "--format", "{{.Server.Version}}"], true).status !== 0) {
        throw new Error("No Docker engine reachable: start dockerd (see docs/docker-smoke.md) and set DOCKER_HOST.");
    }
    buildImage();
    const plan = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), "plan", "--no-policy", "--format", "json"], { cwd: ROOT, encoding: "utf8" })) as { resources: Res[] };
    const containers = plan.resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.inputs);
    const role = (c: Record<string, any>) => (c.labels as { label: string; value: string }[]).find((l) => l.label === "airlock.dev/role")?.value;
    const created: string[][] = [];
    try {
        for (const n of plan.resources.filter((r) => r.type === "docker:index/network:Network").map((r) => r.inputs)) {
            docker(["network", "create", ...(n.internal ? ["--internal"] : []), P + n.name]);
            created.push(["network", "rm", P + n.name]);
        }
        const volumes = new Set(containers.flatMap((c) => (c.volumes ?? []).map((v: any) => P + v.volumeName)));
        for (const v of volumes) { docker(["volume", "create", v]); created.push(["volume", "rm", v]); }

        // Phase 1: every model-staging container runs its probe (write into its writable mount, or its own chmod).
        for (const c of containers.filter((x) => role(x) === "model-staging")) {
            const writable = (c.volumes ?? []).find((v: any) => !v.readOnly);
            const probe = c.entrypoints?.[0] === "chmod" ? [...c.entrypoints, ...c.command] : ["sh", "-c", `echo weights > ${writable.containerPath}/model.safetensors`];
            const r = docker(["run", "--rm", ...flags(c), IMAGE, ...probe], true);
            check(`${c.name}: runs as ${c.user} with no capabilities and ${c.entrypoints?.[0] === "chmod" ? "opens the output volume" : "writes the model volume"}`, r.status === 0, r.out);
        }
        // Phase 2: servers (an httpd stand-in on their port), probed from their own network and from the staging network.
        const servers = containers.filter((x) => role(x) === "inference");
        for (const s of servers) {
            const port = s.command[s.command.indexOf("--port") + 1];
            docker(["run", "-d", ...flags(s), IMAGE, "httpd", "-f", "-p", port]);
            created.unshift(["rm", "-f", P + s.name]);
            const mount = s.volumes[0].containerPath;
            const ro = docker(["exec", P + s.name, "sh", "-c", `cat ${mount}/model.safetensors && touch ${mount}/tamper`], true);
            check(`${s.name}: reads the staged model, cannot write it (read-only mount)`, ro.out.startsWith("weights") && ro.status !== 0, ro.out);
            const root = docker(["exec", P + s.name, "touch", "/etc/tamper"], true);
            check(`${s.name}: read-only root file system`, root.status !== 0, root.out);
            const who = docker(["exec", P + s.name, "id", "-u"], true);
            check(`${s.name}: runs as uid 1000`, who.out === "1000", who.out);
            const ip = docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", P + s.name]).out;
            const probe = (network: string) => docker(["run", "--rm", "--network", network, "--user", "1000:1000", IMAGE, "sh", "-c",
                `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port} | head -1`], true).out;
            const serving = P + s.networkMode;
            const staging = P + containers.find((x) => role(x) === "model-staging" && x.networkMode !== "none")!.networkMode;
            check(`${s.name}: reachable from the serving network`, probe(serving).includes("HTTP/1"), probe(serving));
            check(`${s.name}: unreachable from the staging (egress) network`, !probe(staging).includes("HTTP/1"), "connection timed out");
        }
        // Phase 3: the training job: no network, writes its output, inputs read-only, pids limited.
        for (const t of containers.filter((x) => role(x) === "training")) {
            const model = t.volumes.find((v: any) => v.containerPath.startsWith("/models/")).containerPath;
            const r = docker(["run", "--rm", ...flags(t), IMAGE, "sh", "-c",
                `touch /output/adapter.safetensors && echo output-ok; touch ${model}/x 2>/dev/null || echo model-ro; ` +
                `[ "$(grep -vc Iface /proc/net/route)" = 0 ] && echo no-route || echo has-route; ` +
                `i=0; while [ $i -lt ${Number(t.ulimits[0].soft) + 20} ]; do sleep 2 & i=$((i+1)); done 2>&1 | head -1`], true);
            check(`${t.name}: writes /output after the init step`, r.out.includes("output-ok"), r.out);
            check(`${t.name}: model mount is read-only`, r.out.includes("model-ro"), r.out);
            check(`${t.name}: networkMode none has no route`, r.out.includes("no-route"), r.out);
            check(`${t.name}: nproc ulimit stops a fork storm`, /can't fork/.test(r.out), r.out);
        }
    } finally {
        for (const c of created) docker(c, true);
    }
    for (const r of results) process.stdout.write(`${r.ok ? "PASS" : "FAIL"}  ${r.check}${r.ok ? "" : `\n      ${r.detail.split("\n").join("\n      ")}`}\n`);
    const failed = results.filter((r) => !r.ok).length;
    process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
    process.exitCode = failed > 0 ? 1 : 0;
}

main();
