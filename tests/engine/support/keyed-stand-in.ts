/**
 * A STAND-IN vLLM image whose server checks the API key as vLLM does (tests/engine/support/keyed-vllm/main.go, a
 * static Go binary), on the BusyBox stand-in root file system (`hf` for staging, `sh`, `nc`, `wget` for probes).
 * Built locally and pushed to the test registry; nothing is pulled. For `airlock verify`'s live checks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { DockerHost } from "./docker-host";
import { STAND_IN_LABEL, writeStandInRootfs } from "./stand-in-rootfs";

/** Builds, imports and pushes the keyed stand-in; returns its digest-pinned reference. */
export function keyedVllmStandIn(host: DockerHost): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-keyed-vllm-"));
    try {
        const rootfs = path.join(dir, "rootfs");
        writeStandInRootfs(rootfs, "vllm");
        const binary = path.join(rootfs, "usr/local/bin/vllm");
        fs.rmSync(binary);
        const build = spawnSync("go", ["build", "-o", binary, path.join(__dirname, "keyed-vllm", "main.go")], {
            cwd: dir, encoding: "utf8", env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=mod" }, timeout: 300_000,
        });
        if (build.status !== 0) throw new Error(`building the keyed vLLM stand-in failed: ${build.stderr}`);
        const tar = execFileSync("tar", ["--numeric-owner", "--owner=0", "--group=0", "-C", rootfs, "-c", "."], { maxBuffer: 128 << 20 });
        const repository = `${host.registry}/mirror/vllm/vllm-openai`;
        const local = `${repository}:keyed-stand-in`;
        const imported = spawnSync("docker", ["import", "--change", "ENV PATH=/usr/local/bin:/bin", "--change", `LABEL ${STAND_IN_LABEL}=true`,
            "--change", 'CMD ["sh"]', "-", local], { input: tar, env: { ...process.env, DOCKER_HOST: host.dockerHost }, encoding: "utf8" });
        if (imported.status !== 0) throw new Error(`docker import of the keyed stand-in failed: ${imported.stderr}`);
        const pushed = host.docker(["push", local], { timeoutMs: 120_000 }).stdout;
        const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1];
        if (!digest) throw new Error(`no digest in the output of docker push ${local}:\n${pushed}`);
        return `${local}@${digest}`;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
