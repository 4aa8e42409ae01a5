import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../../..");

describe("a failed model stage (subprocess: the failure is an unhandled program error, as under the CLI)", () => {
    it("fails the program with the container to inspect and never registers the serving container", () => {
        // The exit status is the language host's business (it also reports leaked promises); stdout carries the result.
        const run = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["tests/support/scenarios/failed-stage.ts"], { cwd: ROOT, encoding: "utf8" });
        const line = run.stdout.trim().split("\n").find((l) => l.startsWith("{"));
        expect(line, run.stderr).toBeDefined();
        const result = JSON.parse(line!) as { errors: string[]; containers: string[] };
        expect(result.containers).toEqual(["broken-stage"]);
        expect(result.errors.some((e) => e.includes('Model staging for "broken" failed: container airlock-dev-model-broken-stage exited with code 1')
            && e.includes("docker logs airlock-dev-model-broken-stage"))).toBe(true);
    });
});
