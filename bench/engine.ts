/**
 * `npm run bench:engine`: the real engine's `pulumi preview` with and without `--policy-pack policies`, median of
 * `--runs` (default 5) runs each, and the ratio. Times the CLI operation itself (the Automation API's `preview`,
 * from starting the CLI to its end), not the wrapper process. Needs the engine (`npm run engine:build` or
 * AIRLOCK_PULUMI).
 *
 * Rows:
 *  - the dev stack (stand-in images, private Docker host; pulumi-resource-docker from scripts/engine/build.sh
 *    docker-provider), with `airlock plan` of the same stack file beside it;
 *  - tests/fixtures/programs/components-only (no provider plugin): the pack's start-up and Analyze cost under the
 *    real engine, with `airlock plan` of the same program beside it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startDockerHost, standInStackFile } from "../tests/engine/support/docker-host";
import { engineSession, hasPlugin, runEngine } from "../tests/engine/support/engine";
import { projectDir } from "../tests/engine/support/differential";

const ROOT = path.resolve(__dirname, "..");
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Math.max(3, Number(values.runs));
const PACK = path.join(ROOT, "policies");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

interface Row { name: string; without: number[]; withPack: number[] }

function measureEngine(name: string, o: { workDir: string; stack: string; program: string; config: string; secrets?: Record<string, string> }): Row {
    const session = engineSession();
    const row: Row = { name, without: [], withPack: [] };
    try {
        // One warm-up of each (the first run creates the stack and warms the OS caches), then alternate.
        for (let i = -1; i < RUNS; i++) {
            for (const withPack of [false, true]) {
                const r = runEngine(session, { op: "preview", workDir: o.workDir, stack: o.stack, program: o.program, secrets: o.secrets,
                    ...(withPack ? { policyPacks: [PACK], policyPackConfigs: [o.config] } : {}) });
                if (!r.ok) throw new Error(`${name}: preview ${withPack ? "with" : "without"} the pack failed:\n${r.error}`);
                if (i >= 0) (withPack ? row.withPack : row.without).push(r.opMs!);
            }
        }
    } finally {
        session.dispose();
    }
    return row;
}

function measurePlan(name: string, dir: string, stack: string, config: string): Row {
    const row: Row = { name, without: [], withPack: [] };
    for (let i = -1; i < RUNS; i++) {
        for (const withPack of [false, true]) {
            const t0 = Date.now();
            const r = spawnSync(process.execPath, [path.join(ROOT, "bin/airlock.js"), "plan", "--program", dir, "--stack", stack, "--format", "json",
                ...(withPack ? ["--policy-config", config] : ["--no-policy"])], { cwd: ROOT, encoding: "utf8" });
            if (r.status !== 0) throw new Error(`${name}: airlock plan exited ${r.status}:\n${r.stderr}`);
            if (i >= 0) (withPack ? row.withPack : row.without).push(Date.now() - t0);
        }
    }
    return row;
}

function print(rows: Row[]): void {
    process.stdout.write(`\n| what | without the pack (median of ${RUNS}) | with --policy-pack policies | ratio |\n|---|---|---|---|\n`);
    for (const r of rows) {
        const a = median(r.without);
        const b = median(r.withPack);
        process.stdout.write(`| ${r.name} | ${fmt(a)} | ${fmt(b)} | ${(b / a).toFixed(2)}x |\n`);
    }
}

async function main(): Promise<void> {
    const rows: Row[] = [];
    const probe = engineSession();
    const cliVersion = probe.pulumi(["version"]).stdout.trim();
    probe.dispose();
    process.stdout.write(`Pulumi CLI ${cliVersion}; ${RUNS} runs each\n`);
    if (hasPlugin("pulumi-resource-docker")) {
        const host = await startDockerHost();
        try {
            const dir = projectDir({ name: "airlock", program: path.join(ROOT, "src/index.ts"), stack: "engine", stackYaml: standInStackFile(host) });
            rows.push(measureEngine("engine: pulumi preview, dev stack (stand-ins, 31 resources)", {
                workDir: dir, stack: "engine", program: path.join(ROOT, "src/index.ts"), config: path.join(ROOT, "policies/config/dev.json"),
                secrets: { "airlock:qwenApiKey": "bench-key-qwen-0123456789abcdef", "airlock:ocrApiKey": "bench-key-ocr-0123456789abcdef" },
            }));
            rows.push(measurePlan("airlock plan (whole process), dev stack (same stack file)", dir, "engine", path.join(ROOT, "policies/config/dev.json")));
            fs.rmSync(dir, { recursive: true, force: true });
        } finally {
            host.stop();
        }
    } else {
        throw new Error("no pulumi-resource-docker next to the Pulumi CLI: run `bash scripts/engine/build.sh docker-provider` first");
    }
    const program = path.join(ROOT, "tests/fixtures/programs/components-only");
    const dir = projectDir({ name: "fixture", program, stack: "dev", stackYaml: "config: {}\n" });
    rows.push(measureEngine("engine: pulumi preview, components-only program (7 resources, no provider)", { workDir: dir, stack: "dev", program, config: path.join(ROOT, "policies/config/dev.json") }));
    rows.push(measurePlan("airlock plan (whole process), components-only program", dir, "dev", path.join(ROOT, "policies/config/dev.json")));
    fs.rmSync(dir, { recursive: true, force: true });
    print(rows);
}

main().catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
