/**
 * The boot scripts, exactly: the full text (reviewed, kept in expected/), and what the policy pack reads back from
 * it with its shell and docker readers — the same options the component built, nothing the pack cannot verify, no
 * credential. Also the last line of defence: an unsafe value never reaches a script.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { NON_SECRET_ENV_NAMES, findDockerRuns, isSecretName, parseShell, secretShapeIn, staticValues } from "@airlock/baseline";
import { inferenceRunOptions, inferenceUserData, stagingRunOptions, stagingUserData } from "../../../components/aws/user-data";
import { readScript } from "../../../policies/lib/user-data";
import { sealedUserDataProblems, stagingScriptProblems, userDataSecretProblems } from "../../../policies/lib/user-data-checks";
import { IMAGE, inferenceInput, serverUserData, stagingScript } from "../../policies/aws-fixtures";

const expected = (f: string) => fs.readFileSync(path.join(__dirname, "expected", f), "utf8");
const CFG = { allowedModelRoots: ["/models"], trustRemoteCodeAllowlist: [], allowedRegistries: [], allowedRegistryPatterns: ["^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com$"] };

describe("inference user data", () => {
    it("is exactly the reviewed script", () => {
        expect(serverUserData()).toBe(expected("inference-qwen-0.sh"));
    });

    it("reads back, as the shell splits it, to the docker run options the component built", () => {
        const runs = parseShell(serverUserData()).commands.flatMap((c) => findDockerRuns(c.words));
        expect(runs).toHaveLength(1);
        const run = runs[0]!;
        expect(run.problems).toEqual([]);
        expect(run.options.map((o) => [o.name, o.value?.value])).toEqual(inferenceRunOptions(inferenceInput()).map(([n, v]) => [n, v]));
        expect(run.image?.value).toBe(IMAGE);
        expect(staticValues(run.args)).toEqual(["serve", "/models/Qwen--Qwen3-4B-Instruct-2507", "--served-model-name", "qwen3-4b", "--host", "0.0.0.0", "--port", "8000"]);
    });

    it("publishes the port on the instance's address only, reads the key at boot, and passes the pack's checks", () => {
        const text = serverUserData();
        expect(text).toContain("--publish '10.42.0.16:8000:8000'");
        expect(text).toContain("VLLM_API_KEY=\"$(aws secretsmanager get-secret-value --secret-id 'airlock-test/qwen/api-key' --query SecretString --output text)\"");
        expect(text).toContain("--env 'VLLM_API_KEY' \\");
        expect(text).not.toMatch(/--api-key|--trust-remote-code|0\.0\.0\.0:8000|--network/);
        const script = readScript(text);
        expect(sealedUserDataProblems(script, CFG)).toEqual([]);
        expect(userDataSecretProblems(text, script, isSecretName, secretShapeIn, NON_SECRET_ENV_NAMES)).toEqual([]);
    });

    it("waits for the staged marker before copying the model", () => {
        const lines = serverUserData().split("\n");
        const wait = lines.findIndex((l) => l.includes("head-object") && l.includes(".airlock-staged"));
        const sync = lines.findIndex((l) => l.startsWith("aws s3 sync"));
        const run = lines.findIndex((l) => l.startsWith("docker run"));
        expect(wait).toBeGreaterThan(0);
        expect(sync).toBeGreaterThan(wait);
        expect(run).toBeGreaterThan(sync);
        expect(lines[wait - 1]).toBe("for attempt in $(seq 1 720); do"); // 6 hours of 30 s
    });

    it.each<[string, Partial<ReturnType<typeof inferenceInput>>, string]>([
        ["a bucket with a quote", { bucket: "bad'bucket" }, "user data: bucket \"bad'bucket\" contains characters outside letters, digits and -_./:@ (starting with a letter or digit)"],
        ["an argument with a command substitution", { vllmArgv: ["vllm", "serve", "/models/x", "$(id)"] }, "user data: vllmArgv[3] \"$(id)\" is not a safe argument"],
        ["a bind address with a space", { bindIp: "10.0.0.1 -P" }, "user data: bindIp \"10.0.0.1 -P\" contains characters outside letters, digits and -_./:@ (starting with a letter or digit)"],
    ])("refuses %s", (_t, patch, message) => {
        expect(() => inferenceUserData({ ...inferenceInput(), ...patch })).toThrow(message);
    });
});

describe("staging user data (phase 1)", () => {
    it("is exactly the reviewed script", () => {
        expect(stagingScript()).toBe(expected("staging-qwen3-4b.sh"));
    });

    it("downloads the pinned revision, copies it to the bucket, marks it, and powers off: a verified staging script", () => {
        const script = readScript(stagingScript());
        expect(stagingScriptProblems(script)).toEqual([]);
        expect(sealedUserDataProblems(script, CFG)).toEqual([]);
        const run = script.commands.flatMap((c) => findDockerRuns(c.command.words))[0]!;
        expect(run.options.map((o) => [o.name, o.value?.value])).toEqual(stagingRunOptions({ stack: "test", modelName: "qwen3-4b", region: "eu-west-1", registryHost: "", image: IMAGE, bucket: "", repos: [] }, { hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: "" }).map(([n, v]) => [n, v]));
        expect(staticValues(run.args)).toEqual(["download", "Qwen/Qwen3-4B-Instruct-2507", "--revision", "cdbee75f17c01a7cc42f958dc650907174af0554", "--local-dir", "/models/Qwen--Qwen3-4B-Instruct-2507"]);
        expect(stagingScript().trimEnd().split("\n").at(-1)).toBe("shutdown -h now");
    });

    it("passes the HF token by name only, read from Secrets Manager", () => {
        const text = stagingUserData({
            stack: "test", modelName: "gated", region: "eu-west-1", registryHost: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", image: IMAGE,
            bucket: "b-123456789012", repos: [{ hubId: "meta-llama/Llama-3.1-8B-Instruct", revision: "0e9e39f249a16976918f6564b8830bc894c89659" }], hfTokenSecretId: "airlock-test/hf-token",
        });
        expect(text).toContain("HF_TOKEN=\"$(aws secretsmanager get-secret-value --secret-id 'airlock-test/hf-token' --query SecretString --output text)\"");
        expect(text).toContain("--env 'HF_TOKEN' \\");
        const script = readScript(text);
        expect(userDataSecretProblems(text, script, isSecretName, secretShapeIn, NON_SECRET_ENV_NAMES)).toEqual([]);
        expect(stagingScriptProblems(script)).toEqual([]);
    });
});
