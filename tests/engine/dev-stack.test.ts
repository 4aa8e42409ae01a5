/**
 * The dev stack and raw @pulumi/docker programs under the real engine with the Docker resource provider
 * (`pulumi-resource-docker` 5.2.0, the plugin @pulumi/docker 5.2.0 asks for).
 *
 * BLOCKED on this machine: the provider's Go module (github.com/pulumi/pulumi-docker/provider/v4) is not served by
 * the Go module proxy, so scripts/engine/build.sh cannot build it (docs/fidelity.md, "Blocked"). Without it, the
 * first block below proves the engine runs our program with the stand-in stack file up to the Docker provider and
 * stops exactly there. With a provider on PATH (AIRLOCK_PULUMI_RESOURCE_DOCKER=/path npm run engine:build, or next
 * to AIRLOCK_PULUMI), the second block runs: NOTE that it has never run here (no provider), so its first run is its
 * own first test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DockerHost, runningHost, standInStackFile } from "./support/docker-host";
import { type EngineSession, ROOT, engineSession, hasPlugin, policyViolations, previewResources, runEngine } from "./support/engine";
import { type Difference, RECORDER_PACK, airlockPlan, compareRecordings, projectDir, readRecording } from "./support/differential";
import { labelOf } from "./support/plan-to-docker";

const PROVIDER = hasPlugin("pulumi-resource-docker");
const DEV_PROGRAM = path.join(ROOT, "src/index.ts");
const VARIANTS = path.join(ROOT, "tests/fixtures/programs/variants");
const DEV_CONFIG = path.join(ROOT, "policies/config/dev.json");
const PACK = path.join(ROOT, "policies");
/** Test API keys for the dev stack's `apiKeySecret`s (set with `pulumi config set --secret`). */
const SECRETS = { "airlock:qwenApiKey": "engine-test-qwen-key-0123456789abcdef", "airlock:ocrApiKey": "engine-test-ocr-key-0123456789abcdef" };

let host: DockerHost;
let session: EngineSession;
let devDir: string;
beforeAll(() => {
    host = runningHost();
    session = engineSession();
    devDir = projectDir({ name: "airlock", program: DEV_PROGRAM, stack: "engine", stackYaml: standInStackFile(host) });
});
afterAll(() => {
    session?.dispose();
    if (devDir) fs.rmSync(devDir, { recursive: true, force: true });
});

const mandatory = (names: { enforcementLevel: string; name: string }[]) => [...new Set(names.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.name))].sort();

describe.runIf(!PROVIDER)("BLOCKED: no pulumi-resource-docker (its Go module is not served here)", () => {
    it("the engine runs the stand-in dev stack with the pack up to the default Docker provider, and stops there", () => {
        const r = runEngine(session, { op: "preview", workDir: devDir, stack: "engine", program: DEV_PROGRAM, policyPacks: [PACK], policyPackConfigs: [DEV_CONFIG], secrets: SECRETS });
        expect(r.ok).toBe(false);
        expect(r.stdout).toContain("pulumi:providers:docker default_5_2_0  error: no resource plugin 'pulumi-resource-docker' found in the workspace at version v5.2.0 or on your $PATH");
        expect(r.stdout).toMatch(/✅ airlock@v0\.1\.0/);
        // The program itself ran: the root component was registered before the first Docker resource needed the provider.
        expect(previewResources(r.events).map((x) => x.type)).toContain("airlock:docker:Platform");
    });
});

describe.runIf(PROVIDER)("with pulumi-resource-docker (never run on the machine that wrote it: see the header)", () => {
    const dirs: string[] = [];
    afterAll(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });
    const variantDir = (variant: string, extra: Record<string, string> = {}) => {
        const d = projectDir({
            name: "variants", program: VARIANTS, stack: "dev",
            stackYaml: `config:\n  variant:name: ${variant}\n  variant:image: ${host.images.vllm.ref}\n${Object.entries(extra).map(([k, v]) => `  ${k}: ${v}\n`).join("")}`,
        });
        dirs.push(d);
        return d;
    };
    const variantSecrets = { "variants:apiKey": "engine-test-variant-key-0123456789abcdef" };
    const previewVariant = (dir: string, packs = [PACK], env: Record<string, string> = {}) =>
        runEngine({ ...session, env: { ...session.env, ...env } }, { op: "preview", workDir: dir, stack: "dev", program: VARIANTS, policyPacks: packs, policyPackConfigs: packs[0] === PACK ? [DEV_CONFIG] : [], secrets: variantSecrets });
    // variants:apiKey: the plan uses a placeholder secret while the stack file lacks it, or the `secure:` value the
    // engine run wrote with `pulumi config set --secret` (both are secrets to the pack).
    const planVariant = (dir: string, args: string[] = [], env: Record<string, string> = {}) =>
        airlockPlan(dir, "dev", ["--policy-config", DEV_CONFIG, ...args], env);

    it("preview of the stand-in dev stack with the pack: exit 0, no mandatory violation", () => {
        const r = runEngine(session, { op: "preview", workDir: devDir, stack: "engine", program: DEV_PROGRAM, policyPacks: [PACK], policyPackConfigs: [DEV_CONFIG], secrets: SECRETS });
        expect(r.error ?? "").toBe("");
        expect(policyViolations(r.events).filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    });

    const insecure: [string, string[]][] = [
        ["network", ["docker-container-require-internal-network"]],
        ["offline", ["docker-container-require-offline-env"]],
        ["secrets", ["docker-container-disallow-literal-secrets", "docker-container-require-vllm-api-key"]],
        ["images", ["docker-container-require-pinned-image"]],
        ["sandbox", ["docker-container-disallow-privileged"]],
        ["networks-advanced-egress", ["docker-container-require-internal-network"]],
    ];
    it.each(insecure)("the %s variant is blocked, by the policies airlock plan names", (variant, expected) => {
        const dir = variantDir(variant);
        const engine = previewVariant(dir);
        const plan = planVariant(dir);
        expect(engine.ok).toBe(false);
        expect(plan.status).toBe(1);
        const engineNames = mandatory(policyViolations(engine.events).map((v) => ({ enforcementLevel: v.enforcementLevel, name: v.policyName })));
        const planNames = mandatory(plan.json!.violations.map((v) => ({ enforcementLevel: v.enforcementLevel, name: v.policy })));
        expect(engineNames).toEqual(expected);
        expect(planNames).toEqual(engineNames);
    });

    it("the secure variant passes under both", () => {
        const dir = variantDir("secure");
        expect(previewVariant(dir).ok).toBe(true);
        expect(planVariant(dir).status).toBe(0);
    });

    // KNOWN FALSE POSITIVE (issue 7): with networksAdvanced the provider disconnects the default bridge before it
    // starts the container, so a container attached only to an internal network this way is sealed; the pack's
    // docker-container-require-internal-network blocks it as "attached to the default bridge". Do not fix here
    // (policies/ is being rewritten); this turns green when the pack passes it.
    it.fails.each(["networks-advanced", "networks-advanced-bridge"])("the pack passes the sealed %s variant under the engine", (variant) => {
        expect(previewVariant(variantDir(variant)).ok).toBe(true);
    });

    describe("differential: what the pack receives from airlock plan and from the engine (recording pack)", () => {
        /** Differences found so far, by program: fill from docs/fidelity.md once seen (empty: none known yet). */
        const known = JSON.parse(fs.readFileSync(path.join(__dirname, "fidelity-known.json"), "utf8")) as Record<string, Omit<Difference, "plan" | "engine">[]>;
        const compare = (label: string, plan: ReturnType<typeof readRecording>, engine: ReturnType<typeof readRecording>) => {
            const diffs = compareRecordings(plan, engine).filter((d) => d.field !== "urn");
            const out = path.join(session.stateDir, `fidelity-${label}.json`);
            fs.writeFileSync(out, JSON.stringify(diffs, null, 2));
            process.stderr.write(`[fidelity] ${label}: ${diffs.length} difference(s) -> ${out}\n${JSON.stringify(diffs, null, 1)}\n`);
            expect(diffs.map((d) => ({ resource: d.resource, field: d.field }))).toEqual(known[label] ?? []);
        };

        it("the dev stack", () => {
            const planOut = path.join(session.stateDir, "dev-plan.jsonl");
            const engineOut = path.join(session.stateDir, "dev-engine.jsonl");
            airlockPlan(devDir, "engine", ["--policy-pack", RECORDER_PACK], { AIRLOCK_RECORDER_OUT: planOut });
            runEngine({ ...session, env: { ...session.env, AIRLOCK_RECORDER_OUT: engineOut } },
                { op: "preview", workDir: devDir, stack: "engine", program: DEV_PROGRAM, policyPacks: [RECORDER_PACK], secrets: SECRETS });
            compare("dev", readRecording(planOut), readRecording(engineOut));
        });

        it.each([["secure", {}], ["networks-advanced", {}], ["explicit-provider", { "variant:dockerHost": "unix:///tmp/airlock-docker-host/docker.sock" }]] as [string, Record<string, string>][])(
            "the %s variant", (label, extra) => {
                const dir = variantDir(label === "explicit-provider" ? "secure" : label, extra);
                const planOut = path.join(dir, "plan.jsonl");
                const engineOut = path.join(dir, "engine.jsonl");
                planVariant(dir, ["--policy-pack", RECORDER_PACK], { AIRLOCK_RECORDER_OUT: planOut });
                previewVariant(dir, [RECORDER_PACK], { AIRLOCK_RECORDER_OUT: engineOut });
                compare(label, readRecording(planOut), readRecording(engineOut));
            });
    });

    describe("pulumi up of the stand-in dev stack (gpus: 0), then pulumi destroy", () => {
        let planned: Record<string, any>[];
        beforeAll(() => {
            const plan = airlockPlan(devDir, "engine", ["--policy-config", DEV_CONFIG]);
            planned = plan.json!.resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.inputs);
            // The LoRA job's data volume is the user's (README, "Training data").
            host.docker(["volume", "create", "airlock-dev-training-data"]);
            host.docker(["run", "--rm", "-v", "airlock-dev-training-data:/data", host.images.trainer.ref, "sh", "-c", "echo 'base_model: /models/x' > /data/qwen3-4b-lora.yml"]);
            const up = runEngine(session, { op: "up", workDir: devDir, stack: "engine", program: DEV_PROGRAM, policyPacks: [PACK], policyPackConfigs: [DEV_CONFIG], secrets: SECRETS });
            if (!up.ok) throw new Error(`pulumi up failed:\n${up.error}\n${up.stdout}`);
        });
        afterAll(() => {
            runEngine(session, { op: "destroy", workDir: devDir, stack: "engine", program: DEV_PROGRAM });
            host.docker(["volume", "rm", "-f", "airlock-dev-training-data"], { allowFail: true });
        });
        const inspect = (name: string) => JSON.parse(host.docker(["inspect", name]).stdout)[0];

        it("every container is as the plan promised (networks, env, user, capabilities, read-only root, mounts, limits)", () => {
            for (const c of planned) {
                const i = inspect(c.name);
                expect(i.Config.Image).toBe(c.image);
                expect(i.Config.User).toBe(c.user);
                expect(i.HostConfig.CapDrop).toEqual(c.capabilities.drops);
                expect(i.HostConfig.SecurityOpt).toEqual(c.securityOpts);
                expect(i.HostConfig.ReadonlyRootfs).toBe(c.readOnly);
                expect(i.HostConfig.Privileged).toBe(false);
                expect(i.HostConfig.Memory).toBe(c.memory * 1024 * 1024);
                expect(i.HostConfig.NanoCpus).toBe(Math.round(Number(c.cpus) * 1e9));
                expect(i.Mounts.map((m: any) => [m.Name, m.Destination, m.RW]).sort())
                    .toEqual(c.volumes.map((v: any) => [v.volumeName, v.containerPath, !v.readOnly]).sort());
                for (const e of c.envs?.filter((x: string) => x !== "[secret]") ?? []) expect(i.Config.Env).toContain(e);
                const nets = Object.keys(i.NetworkSettings.Networks);
                expect(nets).toEqual([c.networkMode]);
                if (c.networkMode !== "none") {
                    const internal = JSON.parse(host.docker(["network", "inspect", c.networkMode]).stdout)[0].Internal;
                    expect(internal).toBe(labelOf(c, "airlock.dev/role") !== "model-staging");
                }
            }
        });

        it("the staging containers ran to completion (exit 0), the servers run", () => {
            for (const c of planned) {
                const s = inspect(c.name).State;
                if (labelOf(c, "airlock.dev/role") === "inference") expect(s.Running).toBe(true);
                else expect([s.Status, s.ExitCode]).toEqual(["exited", 0]);
            }
        });

        it("a stand-in inference container cannot reach a canary outside the enclave", () => {
            host.docker(["network", "create", "airlock-engine-canary-up"]);
            host.docker(["run", "-d", "--name", "airlock-engine-canary-up", "--network", "airlock-engine-canary-up", host.images.vllm.ref, "httpd", "-f", "-p", "8080", "-h", "/"]);
            const ip = host.docker(["inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", "airlock-engine-canary-up"]).stdout;
            const probe = `printf 'GET /STAND-IN HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} 8080 | head -1`;
            expect(host.docker(["run", "--rm", "--network", "airlock-engine-canary-up", host.images.vllm.ref, "sh", "-c", probe]).stdout).toMatch(/HTTP\/1\.[01] 200/);
            for (const c of planned.filter((x) => labelOf(x, "airlock.dev/role") === "inference")) {
                expect(host.docker(["exec", c.name, "sh", "-c", probe], { allowFail: true }).stdout).not.toMatch(/HTTP/);
            }
            host.docker(["rm", "-f", "airlock-engine-canary-up"]);
            host.docker(["network", "rm", "airlock-engine-canary-up"]);
        });

        it("pulumi destroy leaves no container, network or volume of the stack", () => {
            const d = runEngine(session, { op: "destroy", workDir: devDir, stack: "engine", program: DEV_PROGRAM });
            expect(d.error ?? "").toBe("");
            expect(host.docker(["ps", "-aq", "--filter", "label=airlock.dev/stack=dev"]).stdout).toBe("");
            expect(host.docker(["network", "ls", "-q", "--filter", "name=airlock-dev"]).stdout).toBe("");
            expect(host.docker(["volume", "ls", "-q"]).stdout.split("\n").filter((v) => v.startsWith("airlock-dev") && v !== "airlock-dev-training-data")).toEqual([]);
        });
    });
});
