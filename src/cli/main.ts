/**
 * `airlock plan`: the offline `pulumi preview --policy-pack` (ARCHITECTURE.md, "The offline plan").
 * Exit 0 clean, 1 on a mandatory policy violation, 2 on a config, program or policy-pack error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ensurePackBuilt } from "../../policies/build";
import { type AnalyzerSession, PolicyPackError, startAnalyzer } from "./analyzer";
import { type InvokeFixtures, invokeFixturesProblem } from "./invokes";
import { PlanInputError, readProjectFile, readStackConfig } from "./project";
import { type PlanResult, toJson, toText } from "./render";
import type { RecordedResource } from "./run-program";
import { ProgramError } from "./program-error";
import { runProgramInWorker } from "./program-thread";
import { verifyMain } from "./verify/cli";

/** The Airlock repository root (where its Pulumi.yaml, policies/ and node_modules live). */
export const AIRLOCK_ROOT = path.resolve(__dirname, "..", "..");

const USAGE = `Usage: airlock plan [options]

Offline preview of a Pulumi TypeScript program with the policy pack: no Pulumi CLI, no cloud credentials.
(\`airlock verify --help\`: prove a live Docker deployment is sealed.)

Options:
  -s, --stack NAME          stack to plan (reads Pulumi.NAME.yaml)            [default: dev]
      --program PATH        plan another Pulumi TypeScript program (file or directory) instead of Airlock
      --format text|json    output format; json prints exactly one JSON document on stdout   [default: text]
      --policy-pack DIR     CrossGuard policy pack to run                       [default: policies/]
      --policy-config FILE  policy config (--policy-pack-config format)   [default: policies/config/STACK.json]
      --no-policy           do not run any policy pack
      --invoke-fixtures FILE  results of data-source invokes the plan cannot answer offline (JSON: token -> result)
  -h, --help                show this help

Exit codes: 0 clean, 1 mandatory policy violation, 2 configuration, program or policy-pack error.`;

export interface PlanOptions {
    readonly stack: string;
    readonly program?: string;
    readonly format: "text" | "json";
    readonly policyPack?: string;
    readonly policyConfig?: string;
    readonly noPolicy: boolean;
    readonly invokeFixtures?: string;
}

export function parsePlanArgs(argv: string[]): PlanOptions | "help" {
    const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
            "stack": { type: "string", short: "s", default: "dev" },
            "program": { type: "string" },
            "format": { type: "string", default: "text" },
            "policy-pack": { type: "string" },
            "policy-config": { type: "string" },
            "no-policy": { type: "boolean", default: false },
            "invoke-fixtures": { type: "string" },
            "help": { type: "boolean", short: "h", default: false },
        },
    });
    if (values.help) return "help";
    if (positionals.length !== 1 || positionals[0] !== "plan") {
        throw new PlanInputError(`Unknown command ${JSON.stringify(positionals.join(" "))}; the command is \`airlock plan\`.\n\n${USAGE}`);
    }
    if (values.format !== "text" && values.format !== "json") throw new PlanInputError(`--format must be text or json, got ${JSON.stringify(values.format)}.`);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(values.stack!)) throw new PlanInputError(`--stack must be a stack name (letters, digits, '.', '_', '-'), got ${JSON.stringify(values.stack)}.`);
    if (values["no-policy"] && (values["policy-pack"] || values["policy-config"])) {
        throw new PlanInputError("--no-policy cannot be combined with --policy-pack or --policy-config.");
    }
    return {
        stack: values.stack!, program: values.program, format: values.format, noPolicy: values["no-policy"]!,
        policyPack: values["policy-pack"], policyConfig: values["policy-config"],
        ...(values["invoke-fixtures"] !== undefined ? { invokeFixtures: values["invoke-fixtures"] } : {}),
    };
}

/** Runs a plan; throws PlanInputError / ProgramError / PolicyPackError for exit 2. */
export async function plan(o: PlanOptions, cwd = process.cwd()): Promise<PlanResult> {
    const started = Date.now();
    let entry: string;
    let project = readProjectFile(AIRLOCK_ROOT);
    if (o.program) {
        const target = path.resolve(cwd, o.program);
        if (!fs.existsSync(target)) throw new PlanInputError(`--program ${o.program}: no such file or directory (${target}).`);
        const projectDir = fs.statSync(target).isDirectory() ? target : path.dirname(target);
        project = readProjectFile(projectDir) ?? { name: path.basename(projectDir).replace(/[^A-Za-z0-9_.-]/g, "-") || "program", main: target, dir: projectDir };
        entry = fs.statSync(target).isDirectory() ? project.main : target;
        // A directory entry means that directory (index / package.json main), never a sibling file `<dir>.js(on)`.
        if (fs.existsSync(entry) && fs.statSync(entry).isDirectory()) entry = `${entry}${path.sep}`;
    } else {
        if (!project) throw new PlanInputError(`No Pulumi.yaml in ${AIRLOCK_ROOT}.`);
        entry = project.main;
    }
    const stackFile = readStackConfig(project!, o.stack, o.program !== undefined);
    const invokeFixtures = o.invokeFixtures === undefined ? undefined : readInvokeFixtures(path.resolve(cwd, o.invokeFixtures), o.invokeFixtures);

    // Start the policy pack before the program, as the engine does, and analyze each resource as it is
    // registered: the pack starts up and works while the program runs.
    let sessionP: Promise<AnalyzerSession> | undefined;
    if (!o.noPolicy) {
        const packDir = path.resolve(cwd, o.policyPack ?? path.join(AIRLOCK_ROOT, "policies"));
        const defaultConfig = path.join(AIRLOCK_ROOT, "policies", "config", `${o.stack}.json`);
        const configFile = o.policyConfig ? path.resolve(cwd, o.policyConfig)
            : !o.policyPack && fs.existsSync(defaultConfig) ? defaultConfig : undefined;
        if (configFile && !fs.existsSync(configFile)) throw new PlanInputError(`--policy-config ${o.policyConfig}: no such file (${configFile}).`);
        // Airlock's pack (or a copy of it) runs compiled: rebuild it first if any source changed, so the plan always
        // runs the rules in the folder (the pack's loader refuses a stale build).
        if (fs.existsSync(path.join(packDir, "build.ts")) && fs.existsSync(path.join(packDir, "loader.js"))) {
            try {
                await ensurePackBuilt(packDir);
            } catch (e) {
                throw new PolicyPackError(`Building the policy pack in ${packDir} failed: ${(e as Error).message}`);
            }
        }
        sessionP = startAnalyzer({ packDir, configFile, project: project!.name, stack: o.stack, config: stackFile.config });
        sessionP.catch(() => undefined); // reported after the program ran
    }
    let session: AnalyzerSession | undefined;
    const early: RecordedResource[] = [];
    void sessionP?.then((s) => { session = s; for (const r of early.splice(0)) s.analyze(r); }, () => undefined);

    let run;
    try {
        // On its own thread: the program's synchronous stretches do not stall the policy pack's traffic here.
        run = await runProgramInWorker({
            project: project!.name, stack: o.stack, entry, config: stackFile.config, secretKeys: stackFile.secretKeys, sdkRoot: AIRLOCK_ROOT,
            ...(invokeFixtures !== undefined ? { invokeFixtures } : {}),
            onResource: (r) => { if (session) session.analyze(r); else early.push(r); },
        });
    } catch (e) {
        void sessionP?.then((s) => s.close(), () => undefined);
        throw e;
    }

    let violations: PlanResult["violations"] = [];
    let policyPacks: string[] = [];
    if (sessionP) {
        const s = await sessionP;
        for (const r of early.splice(0)) s.analyze(r);
        const result = await s.finish(run.resources);
        violations = result.violations;
        policyPacks = [`${result.pack}@${result.version}`];
    }
    return {
        project: project!.name, stack: o.stack, resources: run.resources, outputs: run.outputs, violations,
        placeholderSecrets: run.placeholderSecrets, policyPacks, durationMs: Date.now() - started, invokes: run.invokes,
    };
}

/** Reads and checks an `--invoke-fixtures` file. */
function readInvokeFixtures(file: string, given: string): InvokeFixtures {
    if (!fs.existsSync(file)) throw new PlanInputError(`--invoke-fixtures ${given}: no such file (${file}).`);
    let doc: unknown;
    try { doc = JSON.parse(fs.readFileSync(file, "utf8")); } catch (e) {
        throw new PlanInputError(`--invoke-fixtures ${given}: not JSON (${(e as Error).message}).`);
    }
    const problem = invokeFixturesProblem(doc);
    if (problem) throw new PlanInputError(`--invoke-fixtures ${given}: ${problem}.`);
    return doc as InvokeFixtures;
}

/** The CLI: returns the exit code. */
export async function main(argv: string[]): Promise<number> {
    if (argv.find((a) => !a.startsWith("-")) === "verify") {
        return verifyMain(argv, AIRLOCK_ROOT);
    }
    let options: PlanOptions | "help";
    try {
        options = parsePlanArgs(argv);
    } catch (e) {
        process.stderr.write(`error: ${(e as Error).message}\n`);
        return 2;
    }
    if (options === "help") { process.stdout.write(`${USAGE}\n`); return 0; }
    // The program may print; stdout is reserved for the plan (one JSON document in json mode).
    const log = console.log;
    const info = console.info;
    console.log = console.error;
    console.info = console.error;
    try {
        const result = await plan(options);
        process.stdout.write(`${options.format === "json" ? toJson(result) : toText(result)}\n`);
        return result.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (e) {
        if (e instanceof PlanInputError || e instanceof ProgramError || e instanceof PolicyPackError) {
            process.stderr.write(`error: ${e.message}\n`);
            return 2;
        }
        process.stderr.write(`error: unexpected failure in airlock plan: ${(e as Error)?.stack ?? String(e)}\n`);
        return 2;
    } finally {
        console.log = log;
        console.info = info;
    }
}

if (require.main === module) {
    // Exit once stdout is flushed: the mock runtime and gRPC may keep handles open.
    main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)), (e) => {
        process.stderr.write(`error: ${String(e)}\n`);
        process.exit(2);
    });
}
