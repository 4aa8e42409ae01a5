/**
 * The pack stands alone (issue 6): `pulumi policy publish` uploads only `policies/`, so the pack must build and run
 * from a copy of `policies/` and its @airlock/* workspace packages, outside the repository, and report exactly what
 * the in-repository pack reports. The compiled pack refuses to start when a source changed since its build, and a
 * built copy keeps running once the workspace packages are gone (they are bundled), as a published pack does.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyStandalonePack, removeStandalonePack } from "../../scripts/standalone-pack";
import { ROOT, airlock } from "../support/cli";

const insecure = path.join(ROOT, "tests/fixtures/programs/insecure");
const prodConfig = path.join(ROOT, "policies/config/prod.json");
const plan = (packDir: string) => airlock(["plan", "--stack", "prod", "--program", insecure, "--format", "json", "--policy-pack", packDir, "--policy-config", prodConfig]);
const violations = (stdout: string) => (JSON.parse(stdout) as { violations: { policy: string; urn: string; message: string }[] }).violations
    .map((v) => `${v.policy} ${v.urn} ${v.message}`).sort();

/** Starts the pack as the Pulumi CLI does and returns what it printed before exiting or serving. */
function startPack(packDir: string): { port: boolean; stderr: string } {
    const r = spawnSync(process.execPath, ["-e", `
        const { spawn } = require("child_process");
        const c = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [${JSON.stringify(packDir)}] }), "127.0.0.1:0", "."],
            { cwd: ${JSON.stringify(packDir)}, env: { ...process.env, PULUMI_NODEJS_TYPESCRIPT: "true" } });
        let err = "";
        c.stderr.on("data", (d) => { err += d; });
        c.stdout.once("data", (d) => { process.stdout.write("PORT " + d); c.kill(); });
        c.on("exit", () => { process.stderr.write(err); });
    `], { encoding: "utf8", timeout: 120_000 });
    return { port: r.stdout.startsWith("PORT "), stderr: r.stderr };
}

let copy: string;
beforeAll(() => { copy = copyStandalonePack(); });
afterAll(() => removeStandalonePack(copy));

describe("the policy pack outside the repository", () => {
    it("builds and reports exactly what the in-repository pack reports", () => {
        const outside = plan(copy);
        expect(outside.status, outside.stderr).toBe(1);
        const inside = plan(path.join(ROOT, "policies"));
        expect(inside.status, inside.stderr).toBe(1);
        expect(violations(outside.stdout)).toEqual(violations(inside.stdout));
        expect(violations(outside.stdout).length).toBeGreaterThan(30);
        // Built in the copy, from the copy's workspace packages.
        const manifest = JSON.parse(fs.readFileSync(path.join(copy, "dist/manifest.json"), "utf8")) as { inputs: Record<string, string> };
        expect(Object.keys(manifest.inputs)).toContain("../packages/baseline/consumers.ts");
        expect(Object.keys(manifest.inputs)).toContain("rules/network/container-require-internal-network.ts");
    }, 240_000);

    it("refuses to start when a source changed since the build (fail closed), and starts again once the source is restored", () => {
        const file = path.join(copy, "rules/sandbox/container-disallow-privileged.ts");
        const original = fs.readFileSync(file, "utf8");
        const weakened = original.replace("if (c.privileged === true)", "if (c.privileged === true && false)");
        expect(weakened).not.toBe(original);
        fs.writeFileSync(file, weakened);
        try {
            const r = startPack(copy);
            expect(r.port).toBe(false);
            expect(r.stderr).toContain("The compiled Airlock policy pack cannot be used: rules/sandbox/container-disallow-privileged.ts changed since the pack was built");
        } finally {
            fs.writeFileSync(file, original);
        }
        expect(startPack(copy).port).toBe(true);
    }, 240_000);

    it("runs from its own folder alone once built: the workspace packages are bundled, as in a published pack", () => {
        fs.rmSync(path.join(copy, "..", "packages"), { recursive: true, force: true });
        fs.rmSync(path.join(copy, "..", "node_modules", "@airlock"), { recursive: true, force: true });
        expect(startPack(copy)).toMatchObject({ port: true });
    }, 240_000);

    it("the pack's sources import nothing from the repository by relative path", () => {
        const files = fs.readdirSync(copy, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts") && !f.startsWith("dist"));
        const escaping = files.filter((f) => /from "(\.\.\/)+(src|components|tests|bench|scripts|packages)\//.test(fs.readFileSync(path.join(copy, f), "utf8")));
        expect(escaping).toEqual([]);
    });
});
