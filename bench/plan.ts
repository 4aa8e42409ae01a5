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
import { execFileSync } from "node:child_process";
import { copyStandalonePack, removeStandalonePack } from "../scripts/standalone-pack";
import { writeSyntheticAwsStack, writeSyntheticStack } from "./synthetic";

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
            // Exit 1 is a completed plan with mandatory violations (awsguard reports some on the staging stack).
            if (code !== 0 && code !== 1) reject(new Error(`airlock ${args.join(" ")} exited ${code}:\n${stderr}`));
            else resolve({ seconds, peakMiB: peak / 1024 });
        });
    });
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

/** With our pack (prod config), another pack directory (with a config file, or its own defaults), or none. */
type PackChoice = boolean | { readonly pack: string; readonly config?: string };

async function measure(dir: string, policy: PackChoice, runs: number): Promise<Sample> {
    const args = ["plan", "--program", dir, "--stack", "bench", "--format", "json",
        ...(policy === true ? ["--policy-config", path.join(ROOT, "policies/config/prod.json")] : policy === false ? ["--no-policy"]
            : ["--policy-pack", policy.pack, ...(policy.config ? ["--policy-config", policy.config] : [])])];
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) samples.push(await runPlan(args));
    return { seconds: median(samples.map((s) => s.seconds)), peakMiB: median(samples.map((s) => s.peakMiB)) };
}

/** The awsguard pack directory, installed on first use (the only step that needs the network). */
function awsguardPack(): string {
    const dir = path.join(ROOT, "bench/awsguard");
    if (!fs.existsSync(path.join(dir, "node_modules/@pulumi/awsguard"))) {
        process.stderr.write("installing @pulumi/awsguard into bench/awsguard (npm ci)\n");
        execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
    }
    return dir;
}

/**
 * The AWS row: the staging stack scaled to `sizes` GPU instances, planned without policies, with Airlock's pack (prod
 * config) and with @pulumi/awsguard (all mandatory), each through `airlock plan`.
 */
async function awsRows(sizes: number[], runs: number): Promise<string> {
    const guard = awsguardPack();
    const rows: { n: number; plain: Sample; ours: Sample; guard: Sample }[] = [];
    for (const n of sizes) {
        const dir = writeSyntheticAwsStack(n);
        // Interleaved (no policy, Airlock, awsguard; repeated), so a change in the machine's load affects all three alike.
        const samples: Sample[][] = [[], [], []];
        for (let i = 0; i < runs; i++) {
            samples[0]!.push(await measure(dir, false, 1));
            samples[1]!.push(await measure(dir, true, 1));
            samples[2]!.push(await measure(dir, { pack: guard }, 1));
        }
        const med = (xs: Sample[]): Sample => ({ seconds: median(xs.map((x) => x.seconds)), peakMiB: median(xs.map((x) => x.peakMiB)) });
        const [plain, ours, theirs] = samples.map(med) as [Sample, Sample, Sample];
        rows.push({ n, plain, ours, guard: theirs });
        process.stderr.write(`aws n=${n}: --no-policy ${plain.seconds.toFixed(2)} s; airlock ${ours.seconds.toFixed(2)} s; awsguard ${theirs.seconds.toFixed(2)} s\n`);
        fs.rmSync(dir, { recursive: true, force: true });
    }
    const r = (a: Sample, b: Sample) => a.seconds / b.seconds;
    const lines = [
        "| GPU instances | --no-policy (s) | airlock pack (s) | overhead | awsguard (s) | overhead | peak memory airlock / awsguard (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        ...rows.map((x) => `| ${x.n} | ${x.plain.seconds.toFixed(2)} | ${x.ours.seconds.toFixed(2)} | ${r(x.ours, x.plain).toFixed(2)}× | ${x.guard.seconds.toFixed(2)} | ` +
            `${r(x.guard, x.plain).toFixed(2)}× | ${x.ours.peakMiB.toFixed(0)} / ${x.guard.peakMiB.toFixed(0)} |`),
    ];
    const last = rows.find((x) => x.n === 1000);
    if (last) {
        const ok = r(last.ours, last.plain) <= r(last.guard, last.plain);
        lines.push("", `- overhead at 1,000 instances no higher than awsguard's: ${r(last.ours, last.plain).toFixed(2)}× vs ${r(last.guard, last.plain).toFixed(2)}× — ${ok ? "met" : "NOT met"}`);
    }
    return lines.join("\n");
}

async function main(): Promise<void> {
    const { values } = parseArgs({ options: {
        runs: { type: "string", default: "3" }, write: { type: "boolean", default: false }, sizes: { type: "string", default: "10,100,1000" },
        "aws-sizes": { type: "string", default: "100,1000" }, only: { type: "string", default: "all" },
        "shared-props": { type: "boolean", default: false },
    } });
    if (values["shared-props"]) return sharedProps(Number(values.runs), Number(values.sizes!.split(",").pop()));
    const runs = Number(values.runs);
    if (!["all", "docker", "aws"].includes(values.only!)) throw new Error("--only must be all, docker or aws");
    if (values.only !== "docker") {
        const aws = await awsRows(values["aws-sizes"]!.split(",").map(Number), runs);
        process.stdout.write(`${aws}\n`);
        if (values.write) {
            const doc = path.join(ROOT, "docs/performance.md");
            const text = fs.readFileSync(doc, "utf8");
            const start = "<!-- bench-aws:start -->", end = "<!-- bench-aws:end -->";
            const stamp = `Measured ${new Date().toISOString().slice(0, 10)}, median of ${runs} runs, Node ${process.version}, ${os.cpus().length} cores.`;
            fs.writeFileSync(doc, `${text.slice(0, text.indexOf(start) + start.length)}\n${stamp}\n\n${aws}\n${text.slice(text.indexOf(end))}`);
        }
        if (values.only === "aws") return;
    }
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
        const perPolicy = await measure(dir, { pack: plain, config: path.join(ROOT, "policies/config/prod.json") }, runs);
        process.stdout.write(`| servers | shared props (s) | per-policy deserialization (s) | speed-up |\n|---:|---:|---:|---:|\n` +
            `| ${n} | ${shared.seconds.toFixed(2)} | ${perPolicy.seconds.toFixed(2)} | ${(perPolicy.seconds / shared.seconds).toFixed(2)}× |\n`);
    } finally {
        removeStandalonePack(plain);
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().catch((e) => { process.stderr.write(`${(e as Error).message}\n`); process.exit(1); });
