import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { AIRLOCK_PROJECT_YAML, ROOT, airlock, tempProject } from "../support/cli";

describe("airlock plan (subprocess)", () => {
    it("plans the dev stack: exit 0 and one JSON document of the documented shape", () => {
        const r = airlock(["plan", "--format", "json", "--no-policy"]);
        expect(r.status, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(Object.keys(doc)).toEqual(["project", "stack", "resources", "outputs", "violations", "invokes", "remoteComponents", "summary"]);
        expect(doc.project).toBe("airlock");
        expect(doc.stack).toBe("dev");
        expect(doc.violations).toEqual([]);
        expect(doc.summary).toMatchObject({ resources: 25, violations: { mandatory: 0, advisory: 0 }, placeholderSecrets: ["airlock:ocrApiKey", "airlock:qwenApiKey"] });
        for (const res of doc.resources) expect(Object.keys(res)).toEqual(["urn", "type", "name", "parent", "inputs"]);
        const inference = doc.resources.filter((x: any) => x.inputs.labels?.some((l: any) => l.label === "airlock.dev/role" && l.value === "inference"));
        expect(inference).toHaveLength(2);
        for (const c of inference) {
            expect(c.inputs.networkMode).toBe("airlock-dev-serving");
            expect(c.inputs.envs).toContain("HF_HUB_OFFLINE=1");
            expect(c.inputs.command[0]).toMatch(/^\/models\//);
        }
    });

    it("prints the resource tree and a summary in text mode", () => {
        const r = airlock(["plan", "--no-policy"]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stdout).toContain("pulumi:pulumi:Stack");
        expect(r.stdout).toMatch(/└─ airlock:docker:Platform\s+docker/);
        expect(r.stdout).toContain("pulumi config set --secret airlock:qwenApiKey <value>");
        expect(r.stdout).toContain("+ 25 to create");
    });

    it("exits 2 on a broken config, naming the key, the value and the fix, without a stack trace", () => {
        const stack = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace("revision: cdbee75f17c01a7cc42f958dc650907174af0554", "revision: main");
        const dir = tempProject({ "Pulumi.yaml": AIRLOCK_PROJECT_YAML, "Pulumi.broken.yaml": stack });
        const r = airlock(["plan", "--program", dir, "--stack", "broken", "--no-policy", "--format", "json"]);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr).toContain("airlock:models[0].revision: must be a full 40-character lowercase hex commit SHA");
        expect(r.stderr).toContain('(got "main")');
        expect(r.stderr).toContain("pulumi config set --path 'airlock:models[0].revision'");
        expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("exits 2 on a program error with the message only", () => {
        const dir = tempProject({ "index.ts": 'import * as pulumi from "@pulumi/pulumi";\nconsole.log("chatter");\nthrow new Error("boom: the program failed");\nexport const x = pulumi.output(1);\n' });
        const r = airlock(["plan", "--program", path.join(dir, "index.ts"), "--no-policy"]);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain("error: boom: the program failed");
        expect(r.stderr).not.toMatch(/\n\s+at /);
    });

    it("plans another program without a stack file, keeping stdout pure JSON even when it prints", () => {
        const dir = tempProject({
            "Pulumi.yaml": "name: other\nruntime: nodejs\n",
            "index.ts": 'import * as docker from "@pulumi/docker";\nconsole.log("hello from the program");\nexport const net = new docker.Network("n", { internal: true }).name;\n',
        });
        const r = airlock(["plan", "--program", dir, "--no-policy", "--format", "json"]);
        expect(r.status, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout);
        expect(doc.project).toBe("other");
        expect(doc.resources.map((x: any) => x.type)).toEqual(["pulumi:pulumi:Stack", "docker:index/network:Network"]);
        expect(doc.outputs.net).toMatch(/^n-[0-9a-f]{7}$/);
        expect(r.stderr).toContain("hello from the program");
    });

    it.each([
        [["plan", "--format", "yaml"], "--format must be text or json"],
        [["plan", "--stack", "nope"], "No stack file"],
        [["plan", "--program", "/does/not/exist"], "--program /does/not/exist: no such file or directory"],
        [["deploy"], "Unknown command"],
        [["plan", "--no-policy", "--policy-pack", "policies"], "--no-policy cannot be combined"],
    ])("exits 2 on bad arguments %j", (args, message) => {
        const r = airlock(args);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain(message);
    });

    it("fails on an invoke it cannot answer offline, naming it", () => {
        const dir = tempProject({ "index.ts": 'import * as docker from "@pulumi/docker";\nexport const n = docker.getNetworkOutput({ name: "bridge" }).id;\n' });
        const r = airlock(["plan", "--program", path.join(dir, "index.ts"), "--no-policy"]);
        expect(r.status).toBe(2);
        expect(r.stderr.trim().split("\n")).toEqual([
            'error: the program calls the data source "docker:index/getNetwork:getNetwork", which airlock plan cannot answer offline: ' +
            'pass its result with --invoke-fixtures FILE (a JSON object such as {"docker:index/getNetwork:getNetwork": {…its result…}}), or take the value from config.',
        ]);
    });
});
