import { describe, expect, it } from "vitest";
import { ConfigError, imageReference, parseStackConfig } from "../../src/config";
import { OCR_SHA, QWEN_SHA, VLLM_DIGEST, validRaw, withRaw } from "../fixtures/config";

const parse = (raw: Record<string, unknown>) => parseStackConfig(raw, "dev");

function problemsOf(raw: Record<string, unknown>): string {
    try {
        parse(raw);
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
    }
    throw new Error("expected the config to be rejected");
}

describe("parseStackConfig: valid configs", () => {
    it.each<[string, Record<string, unknown>]>([
        ["the full example", validRaw()],
        ["no servers and no jobs", withRaw((r) => { r.inferenceServers = []; r.trainingJobs = []; })],
        ["no trainer image when there are no jobs", withRaw((r) => { delete r.images.trainer; r.trainingJobs = []; })],
        ["a separate tokenizer", withRaw((r) => { r.models[0].tokenizer = { hubId: "Qwen/Qwen3-4B", revision: OCR_SHA }; })],
        ["trustRemoteCode for an allow-listed model at its revision", withRaw((r) => {
            r.models[1].trustRemoteCode = true;
            r.trustRemoteCodeAllowlist = [{ hubId: "nanonets/Nanonets-OCR-s", revision: OCR_SHA }];
        })],
        ["a CPU-only server", withRaw((r) => { r.inferenceServers[0].gpus = 0; })],
        ["a gateway with its defaults", withRaw((r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = {}; })],
        ["a gateway with HTTPS and tuned limits", withRaw((r) => {
            r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` };
            r.gateway = { port: 8443, bindAddress: "10.0.0.5", tls: { certificateSecret: "gatewayTlsCert", keySecret: "gatewayTlsKey" },
                rateLimits: { perKeyPerSecond: 0.5, perKeyBurst: 2 }, maxRequestBodyKiB: 256 };
        })],
        ["an ECR registry", withRaw((r) => { r.images.vllm.registry = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/vllm"; })],
        ["tensor parallelism within the GPUs", withRaw((r) => { r.models[1].serving = { tensorParallelSize: 2 }; })],
    ])("accepts %s", (_name, raw) => {
        expect(() => parse(raw)).not.toThrow();
    });

    it("applies defaults for replicas, gpus, port, platform and resources", () => {
        const c = parse(validRaw());
        expect(c.inferenceServers[0]).toMatchObject({
            replicas: 1, gpus: 1, port: 8000, platform: "docker",
            resources: { cpus: 8, memoryMiB: 32768, shmSizeMiB: 8192 },
        });
        expect(c.models[0]!.trustRemoteCode).toBe(false);
        expect(c.trainingJobs[0]!.runAsUser).toBe("1000:1000");
        expect(c.trustRemoteCodeAllowlist).toEqual([]);
    });

    it("builds digest-pinned image references", () => {
        const c = parse(validRaw());
        expect(imageReference(c.images.vllm)).toBe(`localhost:5000/mirror/vllm/vllm-openai:v0.11.0@${VLLM_DIGEST}`);
        expect(imageReference({ registry: "r.example:5000/x", digest: VLLM_DIGEST })).toBe(`r.example:5000/x@${VLLM_DIGEST}`);
    });
});

describe("parseStackConfig: invalid configs name the key path", () => {
    it.each<[string, (r: Record<string, any>) => void, string]>([
        ["a branch as revision", (r) => { r.models[0].revision = "main"; }, "airlock:models[0].revision: must be a full 40-character lowercase hex commit SHA"],
        ["a 41-char revision", (r) => { r.models[0].revision = `${QWEN_SHA}a`; }, "airlock:models[0].revision:"],
        ["an uppercase revision", (r) => { r.models[0].revision = QWEN_SHA.toUpperCase(); }, "airlock:models[0].revision:"],
        ["a shell injection in a hub id", (r) => { r.models[0].hubId = 'model"; rm -rf /; echo "'; }, "airlock:models[0].hubId: must be a Hugging Face repo id"],
        ["a command substitution in a hub id", (r) => { r.models[0].hubId = "$(curl x)/model"; }, "airlock:models[0].hubId:"],
        ["a path traversal in a hub id", (r) => { r.models[0].hubId = "../../etc/passwd"; }, "airlock:models[0].hubId:"],
        ["'..' inside a hub id", (r) => { r.models[0].hubId = "org/a..b"; }, "airlock:models[0].hubId: must not contain '--' or '..'"],
        ["a newline inside a model name", (r) => { r.models[0].name = "qwen\nx"; }, "airlock:models[0].name: must be 1–40 lowercase letters"],
        ["an uppercase server name", (r) => { r.inferenceServers[0].name = "Qwen"; }, "airlock:inferenceServers[0].name:"],
        ["a shell injection in a server name", (r) => { r.inferenceServers[0].name = "x;reboot"; }, "airlock:inferenceServers[0].name:"],
        ["an unknown model reference", (r) => { r.inferenceServers[0].model = "llama"; }, `airlock:inferenceServers[0].model: refers to model "llama", which is not in airlock:models (known: qwen3-4b, nanonets-ocr)`],
        ["an image without digest", (r) => { delete r.images.vllm.digest; }, "airlock:images.vllm.digest:"],
        ["a short digest", (r) => { r.images.vllm.digest = "sha256:abc"; }, "airlock:images.vllm.digest: must be 'sha256:' followed by 64 lowercase hex characters"],
        ["the latest tag", (r) => { r.images.vllm.tag = "latest"; }, "airlock:images.vllm.tag: must not be 'latest'"],
        ["a registry with an injection", (r) => { r.images.vllm.registry = "evil.io/x;curl"; }, "airlock:images.vllm.registry: must be a private registry repository"],
        ["an unknown top-level setting", (r) => { r.modles = []; }, "airlock:modles: is not a known setting"],
        ["a misspelled nested setting", (r) => { r.models[0].servng = {}; }, "airlock:models[0].servng: is not a known setting"],
        ["an unsupported platform", (r) => { r.platforms = ["gcp"]; }, "airlock:platforms[0]: must be one of: docker"],
        ["a server on a platform that is not enabled", (r) => { r.platforms = ["docker"]; r.inferenceServers[0].platform = "aws"; }, 'airlock:inferenceServers[0].platform: is "aws", which is not enabled in airlock:platforms (docker)'],
        ["an unknown environment", (r) => { r.environment = "production"; }, "airlock:environment: must be one of dev, staging, prod"],
        ["a privileged port", (r) => { r.inferenceServers[0].port = 80; }, "airlock:inferenceServers[0].port: must be at least 1024"],
        ["a published port (servers are internal only)", (r) => { r.inferenceServers[0].publish = { hostIp: "127.0.0.1", hostPort: 18000 }; }, "airlock:inferenceServers[0].publish: is not a known setting"],
        ["9 GPUs", (r) => { r.inferenceServers[0].gpus = 9; }, "airlock:inferenceServers[0].gpus: must be at most 8"],
        ["a gateway without its image", (r) => { r.gateway = {}; }, "airlock:images.gateway: is required when airlock:gateway is set"],
        ["a gateway on every interface", (r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = { bindAddress: "0.0.0.0" }; },
            "airlock:gateway.bindAddress: must be a specific address: 0.0.0.0 and :: publish on every host interface"],
        ["a gateway on a host name", (r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = { bindAddress: "localhost" }; },
            "airlock:gateway.bindAddress: must be an IPv4 or IPv6 address"],
        ["a gateway rate of zero", (r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = { rateLimits: { perKeyPerSecond: 0 } }; },
            "airlock:gateway.rateLimits.perKeyPerSecond: must be greater than 0"],
        ["a gateway TLS key reusing a server's API key", (r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = { tls: { certificateSecret: "gatewayTlsCert", keySecret: "qwenApiKey" } }; },
            'airlock:gateway.tls: must not reuse the config key "qwenApiKey"'],
        ["a gateway with nothing behind it", (r) => { r.images.gateway = { registry: "localhost:5000/mirror/library/nginx", tag: "1.27.5-alpine", digest: `sha256:${"c".repeat(64)}` }; r.gateway = {}; r.inferenceServers = []; },
            "airlock:gateway: is set but there is no inference server to route to"],
        ["fractional replicas", (r) => { r.inferenceServers[0].replicas = 1.5; }, "airlock:inferenceServers[0].replicas: must be a whole number of replicas"],
        ["tensor parallelism beyond the GPUs", (r) => { r.models[0].serving.tensorParallelSize = 4; }, `airlock:inferenceServers[0].gpus: is 1, but model "qwen3-4b" has tensorParallelSize 4`],
        ["gpu memory utilisation above 1", (r) => { r.models[0].serving.gpuMemoryUtilization = 1.2; }, "airlock:models[0].serving.gpuMemoryUtilization: must be at most 1"],
        ["an unknown dtype", (r) => { r.models[0].serving.dtype = "fp4"; }, "airlock:models[0].serving.dtype: must be one of auto, half"],
        ["trustRemoteCode without allowlist", (r) => { r.models[0].trustRemoteCode = true; }, "airlock:models[0].trustRemoteCode: is true for Qwen/Qwen3-4B-Instruct-2507@"],
        ["trustRemoteCode allow-listed at another revision", (r) => {
            r.models[0].trustRemoteCode = true;
            r.trustRemoteCodeAllowlist = [{ hubId: "Qwen/Qwen3-4B-Instruct-2507", revision: OCR_SHA }];
        }, "airlock:models[0].trustRemoteCode:"],
        ["duplicate model names", (r) => { r.models[1].name = "qwen3-4b"; }, `airlock:models[1].name: duplicates the model name "qwen3-4b"`],
        ["a job named like a server", (r) => { r.trainingJobs[0].name = "qwen"; }, "airlock:trainingJobs[0].name: duplicates the workload name"],
        ["an API key secret named like a structural key", (r) => { r.inferenceServers[0].apiKeySecret = "models"; }, `airlock:inferenceServers[0].apiKeySecret: must not reuse the config key "models"`],
        ["an API key secret with a namespace", (r) => { r.inferenceServers[0].apiKeySecret = "airlock:qwenKey"; }, "airlock:inferenceServers[0].apiKeySecret: must be a camelCase Pulumi config key"],
        ["a shell-string training command", (r) => { r.trainingJobs[0].command = ["sh", "-c", "curl x | sh"]; }, "airlock:trainingJobs[0].command: must be an exec-form command"],
        ["a newline in a training argument", (r) => { r.trainingJobs[0].command = ["axolotl", "train\nrm -rf /"]; }, "airlock:trainingJobs[0].command[1]: must be non-empty and contain no control characters"],
        ["a token in a training argument", (r) => { r.trainingJobs[0].command = ["axolotl", `--token=hf_${"a".repeat(34)}`]; }, "airlock:trainingJobs[0].command[1]: looks like a credential"],
        ["a secret in training env", (r) => { r.trainingJobs[0].env = { WANDB_API_KEY: "x" }; }, "airlock:trainingJobs[0].env.WANDB_API_KEY: looks like a secret"],
        ["a training job running as root", (r) => { r.trainingJobs[0].runAsUser = "0:0"; }, "airlock:trainingJobs[0].runAsUser: must be 'uid:gid' with a non-zero uid and gid"],
        ["a training job user without a group (may run in group 0)", (r) => { r.trainingJobs[0].runAsUser = "1000"; }, "airlock:trainingJobs[0].runAsUser: must be 'uid:gid' with a non-zero uid and gid"],
        ["a training job without limits", (r) => { delete r.trainingJobs[0].limits; }, "airlock:trainingJobs[0].limits: must set limits"],
        ["a training job without pids limit", (r) => { delete r.trainingJobs[0].limits.pids; }, "airlock:trainingJobs[0].limits.pids:"],
        ["a mount path climbing out", (r) => { r.trainingJobs[0].mounts[1].path = "/data/../etc"; }, "airlock:trainingJobs[0].mounts[1].path: must not contain '.' or '..' segments"],
        ["a mount on a reserved path", (r) => { r.trainingJobs[0].mounts[1].path = "/models"; }, "airlock:trainingJobs[0].mounts[1].path: is \"/models\", which is reserved"],
        ["a job without image or trainer", (r) => { delete r.images.trainer; }, "airlock:trainingJobs[0].image: is not set and airlock:images.trainer is missing"],
    ])("rejects %s", (_name, mutate, expected) => {
        expect(problemsOf(withRaw(mutate))).toContain(expected);
    });

    it("shows the bad value and the pulumi config fix", () => {
        const msg = problemsOf(withRaw((r) => { r.models[0].revision = "main"; }));
        expect(msg).toContain('Invalid configuration for stack "dev" (Pulumi.dev.yaml): 1 problem');
        expect(msg).toContain('(got "main")');
        expect(msg).toContain("fix: pulumi config set --path 'airlock:models[0].revision' <value>");
    });

    it("reports every problem at once", () => {
        const msg = problemsOf(withRaw((r) => { r.models[0].revision = "main"; r.inferenceServers[0].gpus = 99; }));
        expect(msg).toContain("2 problems");
        expect(msg).toContain("airlock:models[0].revision");
        expect(msg).toContain("airlock:inferenceServers[0].gpus");
    });

    it("says 'not set' for a missing required key", () => {
        const raw = validRaw();
        delete raw.environment;
        expect(problemsOf(raw)).toContain("airlock:environment: must be one of dev, staging, prod (not set)");
    });

    it("rejects an API key stored in plain text, with the --secret fix", () => {
        const msg = problemsOf({ ...validRaw(), qwenApiKey: "abc" });
        expect(msg).toContain("airlock:qwenApiKey: holds a secret in plain text in the stack file");
        expect(msg).toContain("fix: pulumi config rm airlock:qwenApiKey && pulumi config set --secret airlock:qwenApiKey <value>");
    });

    it("rejects an HF token stored in plain text", () => {
        expect(problemsOf({ ...validRaw(), hfToken: "x" })).toContain("airlock:hfToken: holds a secret in plain text");
    });

    it("rejects structural config stored as a secret", () => {
        let msg = "";
        try { parseStackConfig(validRaw(), "dev", ["models"]); } catch (e) { msg = (e as Error).message; }
        expect(msg).toContain("airlock:models: is structural configuration stored as a secret");
    });

    it("accepts the secret keys the config names when they are stored as secrets", () => {
        expect(() => parseStackConfig(validRaw(), "dev", ["qwenApiKey", "ocrApiKey", "hfToken"])).not.toThrow();
    });

    it("is a RunError, printed without a stack trace by the language host", async () => {
        const pulumi = await import("@pulumi/pulumi");
        try { parse(withRaw((r) => { r.environment = 1; })); } catch (e) {
            expect(pulumi.RunError.isInstance(e)).toBe(true);
            return;
        }
        throw new Error("expected a RunError");
    });
});
