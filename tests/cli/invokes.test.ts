/**
 * Data sources and remote components under `airlock plan` (subprocess): the common read-only AWS lookups answered
 * with placeholders that the output marks as such, `--invoke-fixtures` for the others, ONE line naming the token and
 * the flag for an invoke nobody answered, and multi-language components listed as unseen. Plus the pure renderer
 * of aws.iam.getPolicyDocument.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { offlineAnswer, unansweredInvokeMessage } from "../../src/cli/invokes";
import { airlock, tempProject } from "../support/cli";

/** The aws-ts-webserver example of pulumi/examples, as a new user would try it. */
const WEBSERVER = `import * as aws from "@pulumi/aws";

const size = "t2.micro";
const ami = aws.ec2.getAmiOutput({
    filters: [{ name: "name", values: ["amzn2-ami-hvm-*"] }],
    owners: ["137112412989"], // This owner ID is Amazon
    mostRecent: true,
});
const group = new aws.ec2.SecurityGroup("webserver-secgrp", {
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
});
const userData = \`#!/bin/bash
echo "Hello, World!" > index.html
nohup python -m SimpleHTTPServer 80 &\`;
const server = new aws.ec2.Instance("webserver-www", {
    instanceType: size,
    vpcSecurityGroupIds: [group.id],
    userData: userData,
    ami: ami.id,
});
export const publicIp = server.publicIp;
export const publicHostName = server.publicDns;
`;
const GET_AMI_LINE = 'error: the program calls the data source "aws:ec2/getAmi:getAmi", which airlock plan cannot answer offline: pass its result with ' +
    '--invoke-fixtures FILE (a JSON object such as {"aws:ec2/getAmi:getAmi": {…its result…}}), or take the value from config.';

describe("airlock plan: data sources", () => {
    it("fails on aws.ec2.getAmi with one line naming the invoke and the flag (no promise dump)", () => {
        const dir = tempProject({ "Pulumi.yaml": "name: aws-ts-webserver\nruntime: nodejs\n", "index.ts": WEBSERVER });
        const r = airlock(["plan", "--program", dir, "--no-policy"]);
        expect(r.status).toBe(2);
        expect(r.stdout).toBe("");
        expect(r.stderr.trim().split("\n")).toEqual([GET_AMI_LINE]);
    }, 120_000);

    it("takes the answer from --invoke-fixtures, marks it, and the pack blocks the example's insecure server", () => {
        const dir = tempProject({
            "Pulumi.yaml": "name: aws-ts-webserver\nruntime: nodejs\n", "index.ts": WEBSERVER,
            "invokes.json": JSON.stringify({ "aws:ec2/getAmi:getAmi": { id: "ami-0123456789abcdef0", imageId: "ami-0123456789abcdef0", name: "amzn2-ami-hvm-2.0.20250101-x86_64-gp2" } }),
        });
        const r = airlock(["plan", "--program", dir, "--stack", "prod", "--invoke-fixtures", path.join(dir, "invokes.json"), "--format", "json"]);
        expect(r.status, r.stderr).toBe(1);
        const doc = JSON.parse(r.stdout) as { invokes: { token: string; source: string }[]; violations: { policy: string; urn: string }[]; resources: { name: string; inputs: Record<string, unknown> }[] };
        expect(doc.invokes.map((i) => [i.token, i.source])).toEqual([["aws:ec2/getAmi:getAmi", "fixture"]]);
        expect(doc.resources.find((x) => x.name === "webserver-www")!.inputs.ami).toBe("ami-0123456789abcdef0");
        const byPolicy = [...new Set(doc.violations.map((v) => `${v.policy} ${v.urn.split("::").pop()}`))].sort();
        expect(byPolicy).toEqual([
            "aws-ec2-instance-disallow-public-ip webserver-www",
            "aws-ec2-instance-require-encrypted-volumes webserver-www",
            "aws-ec2-instance-require-imdsv2 webserver-www",
            "aws-ec2-security-group-disallow-public-ingress webserver-secgrp",
            "aws-ec2-subnet-disallow-internet-route webserver-www",
        ]);
    }, 120_000);

    it("answers the read-only lookups with placeholders and marks them in text and JSON", () => {
        const program = `import * as aws from "@pulumi/aws";
export const region = aws.getRegionOutput().name;
export const account = aws.getCallerIdentityOutput().accountId;
export const partition = aws.getPartitionOutput().partition;
export const zones = aws.getAvailabilityZonesOutput().names;
`;
        const dir = tempProject({ "Pulumi.yaml": "name: lookups\nruntime: nodejs\n", "Pulumi.dev.yaml": "config:\n  aws:region: eu-central-1\n", "index.ts": program });
        const json = airlock(["plan", "--program", dir, "--no-policy", "--format", "json"]);
        expect(json.status, json.stderr).toBe(0);
        const doc = JSON.parse(json.stdout) as { outputs: Record<string, unknown>; invokes: { token: string; source: string }[]; summary: { placeholderInvokes: string[] } };
        expect(doc.outputs).toEqual({ region: "eu-central-1", account: "123456789012", partition: "aws", zones: ["eu-central-1a", "eu-central-1b", "eu-central-1c"] });
        expect(doc.summary.placeholderInvokes).toEqual([
            "aws:index/getAvailabilityZones:getAvailabilityZones", "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:index/getPartition:getPartition", "aws:index/getRegion:getRegion",
        ]);
        const text = airlock(["plan", "--program", dir, "--no-policy"]);
        expect(text.status, text.stderr).toBe(0);
        expect(text.stdout).toContain("Data sources answered offline (placeholder values are not your account's; pass real results with --invoke-fixtures FILE):");
        expect(text.stdout).toContain('    [placeholder]  aws:index/getCallerIdentity:getCallerIdentity  {"id":"123456789012","accountId":"123456789012"');
    }, 120_000);

    it.each([
        [{ "aws:ec2/getAmi:getAmi": "ami-1" }, "--invoke-fixtures f.json: the result for aws:ec2/getAmi:getAmi must be an object (the data source's outputs)."],
        [{ "getAmi": {} }, '--invoke-fixtures f.json: key "getAmi" is not an invoke token such as "aws:ec2/getAmi:getAmi".'],
        [[], "--invoke-fixtures f.json: must be a JSON object mapping invoke tokens to result objects."],
    ])("exits 2 on a malformed fixtures file %j", (content, message) => {
        const dir = tempProject({ "f.json": JSON.stringify(content), "index.ts": "export const x = 1;\n" });
        const r = airlock(["plan", "--program", path.join(dir, "index.ts"), "--no-policy", "--invoke-fixtures", "f.json"], { cwd: dir });
        expect(r.status).toBe(2);
        expect(r.stderr.trim()).toBe(`error: ${message}`);
    }, 60_000);
});

describe("airlock plan: remote components", () => {
    it("says which multi-language components it cannot see into, in text and JSON", () => {
        const program = `import * as pulumi from "@pulumi/pulumi";
// What awsx.ec2.Vpc registers: a remote component, whose children its provider plugin creates.
export const vpc = new pulumi.ComponentResource("awsx:ec2:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }, {}, true).urn;
`;
        const dir = tempProject({ "Pulumi.yaml": "name: remote\nruntime: nodejs\n", "index.ts": program });
        const json = airlock(["plan", "--program", dir, "--stack", "staging", "--format", "json"]);
        expect(json.status, json.stderr).toBe(1);
        const doc = JSON.parse(json.stdout) as { resources: { name: string; remote?: boolean }[]; remoteComponents: unknown[]; summary: { remoteComponents: number }; violations: { policy: string }[] };
        expect(doc.remoteComponents).toEqual([{
            urn: "urn:pulumi:staging::remote::awsx:ec2:Vpc::vpc", type: "awsx:ec2:Vpc", name: "vpc",
            note: "multi-language component: its children are registered by its provider plugin, which the offline plan does not run, so the policy pack cannot see them",
        }]);
        expect(doc.resources.find((r) => r.name === "vpc")!.remote).toBe(true);
        expect(doc.summary.remoteComponents).toBe(1);
        expect(doc.violations.map((v) => v.policy)).toEqual(["aws-stack-require-visible-components"]);
        const text = airlock(["plan", "--program", dir, "--no-policy"]);
        expect(text.stdout).toContain("Components whose children the offline plan cannot see");
        expect(text.stdout).toContain("    awsx:ec2:Vpc  vpc");
    }, 120_000);
});

describe("offline answers (pure)", () => {
    it("renders aws.iam.getPolicyDocument as the provider does", () => {
        const a = offlineAnswer("aws:iam/getPolicyDocument:getPolicyDocument", {
            statements: [{ sid: "Pull", actions: ["ecr:BatchGetImage"], resources: ["arn:aws:ecr:eu-west-1:1:repository/x"], principals: [{ type: "AWS", identifiers: ["*"] }],
                conditions: [{ test: "StringEquals", variable: "aws:PrincipalOrgID", values: ["o-1"] }] }],
        }, "eu-west-1");
        expect(a?.source).toBe("computed");
        expect(JSON.parse(String(a?.result.json))).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "Pull", Effect: "Allow", Action: "ecr:BatchGetImage", Resource: "arn:aws:ecr:eu-west-1:1:repository/x", Principal: { AWS: "*" }, Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }],
        });
        expect(offlineAnswer("aws:iam/getPolicyDocument:getPolicyDocument", { sourcePolicyDocuments: ["{}"] }, "eu-west-1")).toBeUndefined();
    });
    it("answers partitions by region and prefers fixtures", () => {
        expect(offlineAnswer("aws:index/getPartition:getPartition", {}, "cn-north-1")?.result).toMatchObject({ partition: "aws-cn", reverseDnsPrefix: "cn.com.amazonaws" });
        expect(offlineAnswer("aws:index/getCallerIdentity:getCallerIdentity", {}, "eu-west-1", { "aws:index/getCallerIdentity:getCallerIdentity": { accountId: "210987654321" } }))
            .toEqual({ token: "aws:index/getCallerIdentity:getCallerIdentity", source: "fixture", result: { accountId: "210987654321" } });
        expect(offlineAnswer("aws:ec2/getAmi:getAmi", {}, "eu-west-1")).toBeUndefined();
        expect(unansweredInvokeMessage(["b:x:y", "a:x:y", "a:x:y"])).toMatch(/^the program calls the data sources "a:x:y", "b:x:y", which airlock plan cannot answer offline: pass their results/);
    });
    it("the README documents the flag", () => {
        expect(fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8")).toContain("--invoke-fixtures");
    });
});
