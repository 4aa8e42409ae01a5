/**
 * `npm run bench`: time and peak memory of `airlock plan` on synthetic stacks of 10, 100 and 1,000 inference
 * servers, with the full policy pack (prod config) and with --no-policy. Reports the policy overhead ratio and
 * the growth exponent, checks the targets, and with --write updates docs/performance.md.
 *
 * Each configuration runs `--runs` times (default 3) as a subprocess, like a user; the median is reported.
 * Peak memory is the largest sum of RSS over the plan process and its children (the policy pack), sampled
 * from /proc every 50 ms.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as os from "node:os";
import { parseArgs } from "node:util";
import { copyStandalonePack, removeStandalonePack } from "../scripts/standalone-pack";
import { writeSyntheticStack } from "./synthetic";

const ROOT = path.resolve(__dirname, "..");

interface Sample { readonly seconds: number; readonly peakMiB: number }

/** RSS (KiB) of `pid` and all its descendants, from /proc. */
function treeRssKiB(pid: number): number {
    let total = 0;
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            (children.get(ppid) ?? children.set(ppid, []).get(ppid)!).push(Number(entry));
        } catch { /* exited */ }
    }
    const visit = (p: number) => {
        try {
            const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"));
            total += m ? Number(m[1]) : 0;
        } catch { /* exited */ }
        for (const c of children.get(p) ?? []) visit(c);
    };
    visit(pid);
    return total;
}

function runPlan(args: string[]): Promise<Sample> {
    return new Promise((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(process.execPath, [path.join(ROOT, "bin/airlock.js"), ...args], { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
        let peak = 0;
        const sampler = setInterval(() => { peak = Math.max(peak, treeRssKiB(child.pid!)); }, 50);
        child.on("exit", (code) => {
            clearInterval(sampler);
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            if (code !== 0) reject(new Error(`airlock ${args.join(" ")} exited ${code}:\n${stderr}`));
            else resolve({ seconds, peakMiB: peak / 1024 });
        });
    });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

async function measure(dir: string, policy: boolean, runs: number, packDir?: string): Promise<Sample> {
    const args = ["plan", "--program", dir, "--stack", "bench", "--format", "json",
        ...(policy ? ["--policy-config", path.join(ROOT, "policies/config/prod.json")] : ["--no-policy"]),
        ...(packDir ? ["--policy-pack", packDir] : [])];
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await runPlan(args));
    return { seconds: median(samples.map((s) => s.seconds)), peakMiB: median(samples.map((s) => s.peakMiB)) };
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: {
        runs: { type: "string", default: "3" }, write: { type: "boolean", default: false }, sizes: { type: "string", default: "10,100,1000" },
        "shared-props": { type: "boolean", default: false },
    } });
    if (values["shared-props"]) return sharedProps(Number(values.runs), Number(values.sizes!.split(",").pop()));
    const runs = Number(values.runs);
    const sizes = values.sizes!.split(",").map(Number);
    const rows: { n: number; resources: number; plain: Sample; policy: Sample }[] = [];
    for (const n of sizes) {
        const dir = writeSyntheticStack(n);
        // The resource count of the stack (servers + stores + images + components).
        const resources = n * 2 + Math.min(n, 10) * 3 + 6;
        const plain = await measure(dir, false, runs);
        const policy = await measure(dir, true, runs);
        rows.push({ n, resources, plain, policy });
        process.stderr.write(`n=${n}: --no-policy ${plain.seconds.toFixed(2)} s / ${plain.peakMiB.toFixed(0)} MiB; with pack ${policy.seconds.toFixed(2)} s / ${policy.peakMiB.toFixed(0)} MiB\n`);
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const exponent = (a: number, b: number, ta: number, tb: number) => Math.log(tb / ta) / Math.log(b / a);
    const lines = [
        `| servers | resources | --no-policy (s) | with pack (s) | overhead | peak memory --no-policy (MiB) | peak memory with pack (MiB) |`,
        `|---:|---:|---:|---:|---:|---:|---:|`,
        ...rows.map((r) => `| ${r.n} | ${r.resources} | ${r.plain.seconds.toFixed(2)} | ${r.policy.seconds.toFixed(2)} | ${(r.policy.seconds / r.plain.seconds).toFixed(2)}× | ${r.plain.peakMiB.toFixed(0)} | ${r.policy.peakMiB.toFixed(0)} |`),
    ];
    const growth: string[] = [];
    for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!, b = rows[i]!;
        growth.push(`- growth exponent ${a.n} → ${b.n} servers: ${exponent(a.n, b.n, a.plain.seconds, b.plain.seconds).toFixed(2)} (--no-policy), ` +
            `${exponent(a.n, b.n, a.policy.seconds, b.policy.seconds).toFixed(2)} (with pack)`);
    }
    const last = rows.find((r) => r.n === 1000);
    const lastPair = rows.length >= 2 ? [rows[rows.length - 2]!, rows[rows.length - 1]!] as const : undefined;
    const targets = last && lastPair ? [
        `- overhead at 1,000 servers ≤ 1.5×: ${(last.policy.seconds / last.plain.seconds).toFixed(2)}× — ${last.policy.seconds / last.plain.seconds <= 1.5 ? "met" : "NOT met"}`,
        `- growth exponent ≤ 1.1 (${lastPair[0].n} → ${lastPair[1].n}, with pack): ${exponent(lastPair[0].n, lastPair[1].n, lastPair[0].policy.seconds, lastPair[1].policy.seconds).toFixed(2)} — ${exponent(lastPair[0].n, lastPair[1].n, lastPair[0].policy.seconds, lastPair[1].policy.seconds) <= 1.1 ? "met" : "NOT met"}`,
        `- 1,000 servers planned in < 60 s (with pack): ${last.policy.seconds.toFixed(1)} s — ${last.policy.seconds < 60 ? "met" : "NOT met"}`,
    ] : [];
    const report = [...lines, "", ...growth, "", ...targets].join("\n");
    process.stdout.write(`${report}\n`);
    if (values.write) {
        const doc = path.join(ROOT, "docs/performance.md");
        const text = fs.readFileSync(doc, "utf8");
        const start = "<!-- bench:start -->", end = "<!-- bench:end -->";
        const stamp = `Measured ${new Date().toISOString().slice(0, 10)}, median of ${runs} runs, Node ${process.version}, ${os.cpus().length} cores.`;
        fs.writeFileSync(doc, `${text.slice(0, text.indexOf(start) + start.length)}\n${stamp}\n\n${report}\n${text.slice(text.indexOf(end))}`);
    }
}

/**
 * The speed-up of the pack's shared deserialized properties alone (policies/lib/memoize-deserialize.ts): the same
 * plan with the pack as it is and with a copy whose index.ts does not install the sharing (both compiled).
 */
async function sharedProps(runs: number, n: number): Promise<void> {
    const dir = writeSyntheticStack(n);
    const plain = copyStandalonePack({
        edit: (pack) => {
            const index = path.join(pack, "index.ts");
            const src = fs.readFileSync(index, "utf8");
            if (!src.includes("\nmemoizeDeserialization();\n")) throw new Error("policies/index.ts no longer installs memoizeDeserialization()");
            fs.writeFileSync(index, src.replace("\nmemoizeDeserialization();\n", "\n"));
        },
    });
    try {
        const shared = await measure(dir, true, runs);
        const perPolicy = await measure(dir, true, runs, plain);
        process.stdout.write(`| servers | shared props (s) | per-policy deserialization (s) | speed-up |\n|---:|---:|---:|---:|\n` +
            `| ${n} | ${shared.seconds.toFixed(2)} | ${perPolicy.seconds.toFixed(2)} | ${(perPolicy.seconds / shared.seconds).toFixed(2)}× |\n`);
    } finally {
        removeStandalonePack(plain);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(1); });
