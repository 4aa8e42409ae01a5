/**
 * The policy pack through the real Analyzer protocol: `airlock plan` starts the pack as its own process (as the
 * Pulumi CLI does) and speaks gRPC to it. Each case is a subprocess, like a CI job.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, airlock, tempProject } from "../support/cli";

const programs = path.join(ROOT, "tests/fixtures/programs");
const ECR_VLLM = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/mirror/vllm/vllm-openai:v0.11.0@sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c";
const json = (stdout: string) => JSON.parse(stdout) as {
    violations: { policy: string; pack: string; urn: string; enforcementLevel: string; message: string }[];
    summary: { violations: { mandatory: number; advisory: number }; policyPacks: string[] };
};
const byPolicy = (doc: ReturnType<typeof json>) => {
    const out: Record<string, string[]> = {};
    for (const v of doc.violations) (out[v.policy] ??= []).push(v.urn.split("::").pop()!);
    for (const k of Object.keys(out)) out[k] = [...new Set(out[k])].sort();
    return out;
};

// Each case is a subprocess (up to the helper's 120 s); under a full parallel run on two cores a plan with the pack
// can take longer than the default 30 s test timeout.
describe("airlock plan with the policy pack (real Analyzer protocol)", { timeout: 120_000 }, () => {
    it("hands the pack each resource's own provider: a network on one Docker host never vouches for another", () => {
        const r = airlock(["plan", "--stack", "prod", "--program", path.join(programs, "two-hosts"), "--format", "json"]);
        expect(r.status, r.stderr).toBe(1);
        const doc = json(r.stdout);
        expect(doc.violations.map((v) => [v.policy, v.urn.split("::").pop(), v.message])).toEqual([[
            "docker-container-require-internal-network", "on-build-box",
            'networkMode "serving" names a docker.Network that is not internal, so this vLLM server has a route out: set internal: true on that network or set networkMode to "none" or attach it only to docker.Network resources with internal: true declared in this program.',
        ]]);
    });

    it("blocks an insecure raw @pulumi/docker program in prod, naming the policy for each insecure setting", () => {
        const r = airlock(["plan", "--stack", "prod", "--program", path.join(programs, "insecure"), "--format", "json"]);
        expect(r.status, r.stderr).toBe(1);
        const doc = json(r.stdout);
        expect(doc.summary.policyPacks).toEqual(["airlock@0.1.0"]);
        expect(doc.violations.every((v) => v.enforcementLevel === "mandatory" && v.pack === "airlock")).toBe(true);
        expect(byPolicy(doc)).toEqual({
            "docker-container-disallow-host-devices": ["trainer"],
            "docker-container-disallow-host-namespaces": ["server", "trainer"],
            "docker-container-disallow-literal-secrets": ["server"],
            "docker-container-disallow-privileged": ["server"],
            "docker-container-disallow-sensitive-host-mounts": ["server"],
            "docker-container-disallow-unconfined-profiles": ["server"],
            "docker-container-disallow-vllm-dangerous-modes": ["server"],
            "docker-container-drop-all-capabilities": ["server", "trainer"],
            "docker-container-require-allowed-registry": ["server", "trainer"],
            "docker-container-require-declared-volumes": ["server"],
            "docker-container-require-internal-network": ["server", "trainer"],
            "docker-container-require-no-new-privileges": ["server", "trainer"],
            "docker-container-require-non-root-user": ["server", "trainer"],
            "docker-container-require-offline-env": ["server", "trainer"],
            "docker-container-require-pids-limit": ["trainer"],
            "docker-container-require-pinned-image": ["server", "trainer"],
            "docker-container-require-pinned-model": ["server"],
            "docker-container-require-read-only-model-volumes": ["server"],
            "docker-container-require-read-only-root-filesystem": ["server", "trainer"],
            "docker-container-require-resource-limits": ["server", "trainer"],
            "docker-container-require-secret-env-protection": ["trainer"],
            "docker-container-require-telemetry-off": ["server", "trainer"],
            "docker-container-require-vllm-api-key": ["server"],
            "docker-container-restrict-published-ports": ["server"],
            "docker-container-restrict-trust-remote-code": ["server"],
            "docker-remote-image-require-allowed-registry": ["vllm"],
            "docker-remote-image-require-pinned-image": ["vllm"],
            "docker-volume-disallow-host-bind": ["etc"],
        });
        // Messages carry the finding, not the policy description, and never echo the token.
        const literal = doc.violations.find((v) => v.policy === "docker-container-disallow-literal-secrets")!;
        expect(literal.message).toMatch(/^envs entry MODEL_NOTE contains a credential \(Hugging Face token\)/);
        expect(doc.violations.filter((v) => v.message.includes("hf_"))).toEqual([]);
    });

    it("passes a secure raw program written without Airlock components", () => {
        const r = airlock(["plan", "--stack", "prod", "--program", path.join(programs, "secure"), "--format", "json"]);
        expect(r.status, r.stderr).toBe(0);
        expect(json(r.stdout).violations).toEqual([]);
    });

    it("fails closed on a security-relevant field that is unknown at preview (mandatory, not the SDK's advisory)", () => {
        const r = airlock(["plan", "--stack", "prod", "--program", path.join(programs, "unknown"), "--format", "json"]);
        expect(r.status, r.stderr).toBe(1);
        const doc = json(r.stdout);
        expect(doc.violations.map((v) => [v.policy, v.enforcementLevel, v.message])).toEqual([
            ["docker-container-disallow-host-namespaces", "mandatory", "networkMode is unknown at preview; security-relevant fields must be known before deployment — make it a plain value."],
            ["docker-container-require-internal-network", "mandatory", "networkMode is unknown at preview; security-relevant fields must be known before deployment — make it a plain value."],
        ]);
    });

    it("traces `image: remoteImage.imageId` (unknown at preview) to the RemoteImage, and blocks a server only its image can name", () => {
        const variant = (name: string) => {
            const dir = tempProject({
                "Pulumi.yaml": `name: variants\nruntime: nodejs\nmain: ${path.join(programs, "variants", "index.ts")}\n`,
                "Pulumi.prod.yaml": `config:\n  variant:name: ${name}\n  variant:image: ${ECR_VLLM}\n`,
            });
            try {
                return airlock(["plan", "--stack", "prod", "--program", dir, "--format", "json"]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        };
        const sealed = variant("image-id");
        expect(sealed.status, sealed.stderr).toBe(0);
        expect(json(sealed.stdout).violations).toEqual([]);
        const hidden = variant("image-id-entrypoint");
        expect(hidden.status, hidden.stderr).toBe(1);
        expect(json(hidden.stdout).violations.map((v) => [v.policy, v.urn.split("::").pop()])).toEqual([["docker-container-require-resolvable-image", "server"]]);
    });

    it.each(fs.readdirSync(ROOT).filter((f) => /^Pulumi\.[^.]+\.yaml$/.test(f)).map((f) => f.split(".")[1]!))(
        "stack %s passes its own environment's policy config", (stack) => {
            const r = airlock(["plan", "--stack", stack, "--format", "json"]);
            expect(r.status, r.stderr).toBe(0);
            expect(json(r.stdout).summary.violations.mandatory).toBe(0);
        }, 120_000);

    it("runs any CrossGuard pack, reconciling schema defaults and a config file as the CLI does", () => {
        const pack = path.join(ROOT, "tests/fixtures/packs/tiny");
        const clean = airlock(["plan", "--program", path.join(programs, "secure"), "--policy-pack", pack, "--format", "json"]);
        expect(clean.status, clean.stderr).toBe(0);
        expect(json(clean.stdout).summary.policyPacks).toEqual(["tiny@1.2.3"]);
        expect(json(clean.stdout).violations).toEqual([]); // maxLength defaults to 20; "team-vllm" fits

        const dir = tempProject({ "tiny.json": JSON.stringify({ "max-containers-named": { enforcementLevel: "mandatory", maxLength: 5 } }) });
        const strict = airlock(["plan", "--program", path.join(programs, "secure"), "--policy-pack", pack, "--policy-config", path.join(dir, "tiny.json"), "--format", "json"]);
        expect(strict.status, strict.stderr).toBe(1);
        expect(json(strict.stdout).violations).toEqual([{
            policy: "max-containers-named", pack: "tiny", enforcementLevel: "mandatory", message: "name team-vllm is longer than 5",
            urn: "urn:pulumi:dev::secure::docker:index/container:Container::server",
        }]);
    }, 180_000); // a TypeScript pack is type-checked by ts-node at every start: two plans

    it("warns about a policy config entry the pack does not have and ignores it, as the Pulumi CLI does", () => {
        const dir = tempProject({ "extra.json": JSON.stringify({ "no-such-policy": "mandatory" }) });
        const r = airlock(["plan", "--program", path.join(programs, "secure"), "--policy-pack", path.join(ROOT, "tests/fixtures/packs/tiny"), "--policy-config", path.join(dir, "extra.json")]);
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toContain('warning: policy config: no policy named "no-such-policy" in pack "tiny"');
    });

    it.each([
        [{ "max-containers-named": "strict" }, 'invalid enforcement level "strict"'],
        [{ "max-containers-named": { maxLength: "long" } }, 'validating policy config for "tiny": max-containers-named.maxLength: Invalid type. Expected: integer, given: string'],
    ])("exits 2 on a bad policy config %j", (config, message) => {
        const dir = tempProject({ "bad.json": JSON.stringify(config) });
        const r = airlock(["plan", "--program", path.join(programs, "secure"), "--policy-pack", path.join(ROOT, "tests/fixtures/packs/tiny"), "--policy-config", path.join(dir, "bad.json")]);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain(message);
    });

    it("exits 2 when --policy-pack is not a pack", () => {
        const r = airlock(["plan", "--policy-pack", path.join(ROOT, "docs")]);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain("is not a policy pack (no PulumiPolicy.yaml)");
    });
});
