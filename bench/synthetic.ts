/**
 * Synthetic stacks for the benchmark: N inference servers over min(N, 10) models, written as a Pulumi project
 * directory whose program is Airlock's own (src/index.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";

const ROOT = path.resolve(__dirname, "..");
const DIGEST = "sha256:014a95f21c9edf6abe0aea6b07353f96baa4ec291c427bb1176dc7c93a85845c";

/** Writes the project and returns its directory; the stack is named `bench`. */
export function writeSyntheticStack(servers: number, dir = fs.mkdtempSync(path.join(os.tmpdir(), `airlock-bench-${servers}-`))): string {
    const models = Array.from({ length: Math.min(servers, 10) }, (_, i) => ({
        name: `model-${i}`, hubId: `org-${i}/model-${i}`, revision: (i.toString(16).padStart(2, "0")).repeat(20),
        serving: { maxModelLen: 8192, gpuMemoryUtilization: 0.9 },
    }));
    const config = {
        "docker:host": "unix:///var/run/docker.sock",
        "airlock:environment": "prod",
        "airlock:platforms": ["docker"],
        "airlock:images": { vllm: { registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/airlock/vllm", tag: "v0.11.0", digest: DIGEST } },
        "airlock:models": models,
        "airlock:inferenceServers": Array.from({ length: servers }, (_, i) => ({
            name: `server-${i}`, model: `model-${i % models.length}`, apiKeySecret: `server${i}ApiKey`,
            resources: { cpus: 4, memoryMiB: 24576, shmSizeMiB: 4096 },
        })),
    };
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: airlock\nruntime: nodejs\nmain: ${path.join(ROOT, "src/index.ts")}\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), yaml.dump({ config }, { lineWidth: 200 }));
    return dir;
}


/**
 * The staging stack (aws platform) scaled to `instances` GPU instances: ceil(n / 16) servers of up to 16 replicas each
 * over three zones, every server in its own address block, over at most 10 models. Returns the project directory; the
 * stack is named `bench` and uses the prod environment.
 */
export function writeSyntheticAwsStack(instances: number, dir = fs.mkdtempSync(path.join(os.tmpdir(), `airlock-bench-aws-${instances}-`))): string {
    const base = (yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.staging.yaml"), "utf8")) as { config: Record<string, any> }).config;
    const servers = Math.ceil(instances / 16);
    const models = Array.from({ length: Math.min(servers, 10) }, (_, i) => ({
        name: `model-${i}`, hubId: `org-${i}/model-${i}`, revision: (i.toString(16).padStart(2, "0")).repeat(20),
        serving: { maxModelLen: 8192, gpuMemoryUtilization: 0.9 },
    }));
    const config = {
        ...base,
        "airlock:environment": "prod",
        "airlock:aws": { ...base["airlock:aws"], availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
        "airlock:models": models,
        "airlock:inferenceServers": Array.from({ length: servers }, (_, i) => ({
            name: `server-${i}`, model: `model-${i % models.length}`, platform: "aws", apiKeySecret: `server${i}ApiKey`,
            replicas: Math.min(16, instances - i * 16), resources: { cpus: 4, memoryMiB: 12288, shmSizeMiB: 2048 },
            aws: { instanceType: "g6.xlarge", addressBlock: i },
        })),
    };
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: airlock\nruntime: nodejs\nmain: ${path.join(ROOT, "src/index.ts")}\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.bench.yaml"), yaml.dump({ config }, { lineWidth: 200 }));
    return dir;
}

if (require.main === module) {
    const n = Number(process.argv[3] ?? process.argv[2] ?? 10);
    process.stdout.write(`${process.argv[2] === "aws" ? writeSyntheticAwsStack(n) : writeSyntheticStack(n)}\n`);
}
