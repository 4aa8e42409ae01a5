/**
 * Runs ONE operation of the real Pulumi CLI on a TypeScript program, in its own process (started by engine.ts with
 * tsx): `pulumi preview|up|destroy` through the Node.js Automation API with an *inline* program. The Automation
 * API serves the language runtime itself and starts the CLI with `--client=<address>`, so no
 * `pulumi-language-nodejs` is needed (it is not served by the Go module proxy; see scripts/engine/build.sh). The
 * program is `require`d inside the inline function, registering its resources with the engine's resource monitor
 * exactly as under the language host; its exports become the stack outputs.
 *
 * Input: one JSON argument (InlineRunRequest). Output: InlineRunResult as JSON in `resultFile` (stdout belongs to the
 * program).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, PulumiCommand, type EngineEvent } from "@pulumi/pulumi/automation";

export interface InlineRunRequest {
    readonly op: "preview" | "up" | "destroy";
    /** The directory with Pulumi.yaml and Pulumi.<stack>.yaml. */
    readonly workDir: string;
    readonly stack: string;
    /** The program module (file or directory) to require. */
    readonly program: string;
    /** The directory holding the `pulumi` binary to run. */
    readonly pulumiBinDir: string;
    readonly policyPacks?: string[];
    readonly policyPackConfigs?: string[];
    /** `ns:key` → value, set with `pulumi config set --secret` before the operation. */
    readonly secrets?: Record<string, string>;
    readonly env: Record<string, string>;
    readonly resultFile: string;
}

export interface InlineRunResult {
    readonly ok: boolean;
    readonly error?: string;
    readonly stdout: string;
    readonly stderr: string;
    readonly events: EngineEvent[];
    readonly outputs?: Record<string, unknown>;
    /** Milliseconds of the CLI operation itself (from starting `pulumi preview|up|destroy` to its end). */
    readonly opMs?: number;
}

async function main(req: InlineRunRequest): Promise<InlineRunResult> {
    const events: EngineEvent[] = [];
    let stdout = "";
    let stderr = "";
    const pulumiCommand = await PulumiCommand.get({ root: path.dirname(req.pulumiBinDir), skipVersionCheck: false });
    const stack = await LocalWorkspace.createOrSelectStack({
        stackName: req.stack,
        projectName: "unused-read-from-Pulumi.yaml",
        program: async () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const mod = require(req.program) as Record<string, unknown>;
            return { ...mod };
        },
    }, { workDir: req.workDir, pulumiCommand, envVars: req.env });
    for (const [key, value] of Object.entries(req.secrets ?? {})) {
        await stack.setConfig(key, { value, secret: true });
    }
    const common = {
        onOutput: (s: string) => { stdout += s; },
        onError: (s: string) => { stderr += s; },
        onEvent: (e: EngineEvent) => { events.push(e); },
        color: "never" as const,
    };
    const t0 = Date.now();
    try {
        if (req.op === "preview") {
            await stack.preview({ ...common, policyPacks: req.policyPacks, policyPackConfigs: req.policyPackConfigs, diff: false });
            return { ok: true, stdout, stderr, events, opMs: Date.now() - t0 };
        }
        if (req.op === "up") {
            const r = await stack.up({ ...common, policyPacks: req.policyPacks, policyPackConfigs: req.policyPackConfigs });
            return { ok: true, stdout, stderr, events, outputs: Object.fromEntries(Object.entries(r.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value])) };
        }
        await stack.destroy({ ...common });
        return { ok: true, stdout, stderr, events };
    } catch (e) {
        return { ok: false, error: (e as Error).message, stdout, stderr, events, opMs: Date.now() - t0 };
    }
}

if (require.main === module) {
    const req = JSON.parse(process.argv[2] ?? "{}") as InlineRunRequest;
    main(req).then(
        (r) => { fs.writeFileSync(req.resultFile, JSON.stringify(r)); },
        (e: Error) => { fs.writeFileSync(req.resultFile, JSON.stringify({ ok: false, error: e.stack ?? e.message, stdout: "", stderr: "", events: [] })); },
    );
}
