/**
 * AWS mutation suite through the real path: `airlock plan` runs a raw @pulumi/aws program (tests/fixtures/programs/
 * aws-enclave, written as an AWS team would, no Airlock component) with the pack over the Analyzer protocol. The
 * secure enclave has no violation under staging and prod; the insecure program builds one enclave per mutation,
 * each flipping one setting, and every AWS rule blocks its own mutation on the resource it names.
 */
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allPolicies } from "../../policies/all";
import { MUTATIONS } from "../fixtures/programs/aws-enclave/enclave";
import { ROOT, airlock } from "../support/cli";

interface PlanDoc {
    violations: { policy: string; urn: string; enforcementLevel: string; message: string }[];
    summary: { resources: number; violations: { mandatory: number; advisory: number } };
    remoteComponents: { type: string; name: string }[];
}
const programs = path.join(ROOT, "tests/fixtures/programs");
let insecure: { status: number | null; doc: PlanDoc; stderr: string };

beforeAll(() => {
    const r = airlock(["plan", "--program", path.join(programs, "aws-insecure"), "--stack", "prod", "--format", "json"], { timeoutMs: 240_000 });
    insecure = { status: r.status, doc: JSON.parse(r.stdout || "{}") as PlanDoc, stderr: r.stderr };
}, 250_000);

describe("AWS mutation suite (airlock plan, prod config)", () => {
    it.each(["staging", "prod"])("the secure raw @pulumi/aws enclave passes under %s", (stack) => {
        const r = airlock(["plan", "--program", path.join(programs, "aws-secure"), "--stack", stack, "--format", "json"]);
        expect(r.status, r.stderr).toBe(0);
        const doc = JSON.parse(r.stdout) as PlanDoc;
        expect(doc.violations).toEqual([]);
        expect(doc.summary.resources).toBe(37);
    }, 120_000);

    it("every AWS rule has a mutation", () => {
        const covered = new Set(Object.values(MUTATIONS).map(([policy]) => policy));
        expect(allPolicies.filter((p) => p.name.startsWith("aws-") && !covered.has(p.name)).map((p) => p.name)).toEqual([]);
    });

    it("the insecure program fails the plan with mandatory violations only", () => {
        expect(insecure.status, insecure.stderr).toBe(1);
        expect(insecure.doc.violations.filter((v) => v.enforcementLevel !== "mandatory")).toEqual([]);
    });

    it.each(Object.entries(MUTATIONS))("blocks %s", (mutation, [policy, resource]) => {
        const hits = insecure.doc.violations.filter((v) => v.policy === policy && v.urn.endsWith(`::${mutation}-${resource}`));
        expect(hits.length, JSON.stringify(insecure.doc.violations.filter((v) => v.urn.includes(`::${mutation}-`)), null, 2)).toBeGreaterThan(0);
    });

    it("reports nothing else: each violation belongs to its enclave's mutation", () => {
        const stray = insecure.doc.violations.filter((v) => {
            const name = v.urn.split("::").pop()!;
            const [mutation, [policy]] = Object.entries(MUTATIONS).find(([m]) => name.startsWith(`${m}-`))!;
            return v.policy !== policy && !(mutation === "open-egress" && v.policy === "aws-ec2-instance-disallow-open-egress");
        });
        expect(stray).toEqual([]);
        // The shared security group's open egress is reported for the instance and for its launch template.
        expect(insecure.doc.violations.filter((v) => v.urn.includes("::open-egress-")).map((v) => v.urn.split("::").pop()).sort()).toEqual(["open-egress-server", "open-egress-template"]);
    });

    it("lists the multi-language component the plan cannot see into", () => {
        expect(insecure.doc.remoteComponents.map((c) => [c.type, c.name])).toEqual([["awsx:ec2:Vpc", "remote-component-network"]]);
    });
});
