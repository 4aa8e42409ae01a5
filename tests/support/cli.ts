/** Runs `airlock` as a subprocess, as a user or CI would. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");

export interface CliRun { status: number | null; stdout: string; stderr: string }

export function airlock(args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): CliRun {
    const r = spawnSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), ...args], {
        cwd: opts.cwd ?? ROOT, encoding: "utf8", timeout: opts.timeoutMs ?? 120_000, env: { ...process.env, NO_COLOR: "1" },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary Pulumi project directory with the given files. */
export function tempProject(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-test-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return dir;
}

/** Pulumi.yaml of a project that runs Airlock's own program (for stack files written by tests). */
export const AIRLOCK_PROJECT_YAML = `name: airlock\nruntime: nodejs\nmain: ${path.join(ROOT, "src/index.ts")}\n`;
