/**
 * Phase 1 on RunPod: bake one model of a stack, at its pinned revision, into the RunPod vLLM worker image and push it
 * to the private registry. Run it on a build host with egress to the Hugging Face Hub and push access to the registry
 * (never on RunPod); Docker with buildx is required.
 *
 *   npx tsx scripts/runpod-bake-model.ts --stack prod --model qwen3-4b          # print the command
 *   HF_TOKEN=hf_… npx tsx scripts/runpod-bake-model.ts --stack prod --model qwen3-4b --run
 *
 * The token (gated models only) reaches the build as a BuildKit secret, never a layer. Afterwards set the digest the
 * push printed: `pulumi config set --path 'airlock:runpod.modelImages.<model>.digest' sha256:…`.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { bakeArgv } from "../components/runpod/model-store";
import { parseStackConfig } from "../src/config";
import { readProjectFile, readStackConfig } from "../src/cli/project";

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(`--${name}`);
    return i < 0 ? undefined : process.argv[i + 1];
}

function main(): number {
    const stack = arg("stack") ?? "prod";
    const modelName = arg("model");
    const root = path.resolve(__dirname, "..");
    const file = readStackConfig(readProjectFile(root)!, stack, false);
    const raw: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(file.config)) {
        if (!k.startsWith("airlock:") || file.secretKeys.includes(k)) continue;
        try { raw[k.slice("airlock:".length)] = JSON.parse(v); } catch { raw[k.slice("airlock:".length)] = v; }
    }
    const config = parseStackConfig(raw, stack, file.secretKeys.map((k) => k.slice("airlock:".length)));
    const rp = config.runpod;
    if (!rp) { process.stderr.write(`Pulumi.${stack}.yaml has no airlock:runpod section\n`); return 2; }
    const model = config.models.find((m) => m.name === modelName);
    const image = modelName === undefined ? undefined : rp.modelImages[modelName];
    if (!model || !image) {
        process.stderr.write(`--model must name a model with an entry in airlock:runpod.modelImages (${Object.keys(rp.modelImages).join(", ")})\n`);
        return 2;
    }
    const argv = bakeArgv(model, rp.workerImage, `${image.registry}:${image.tag ?? `${model.name}-${model.revision.slice(0, 12)}`}`);
    process.stdout.write(`${argv.map((a) => (/^[A-Za-z0-9@%+=:,./_-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ")}\n`);
    if (!process.argv.includes("--run")) return 0;
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "inherit" });
    child.on("close", (code) => {
        if (code === 0) {
            process.stdout.write(`Pushed. Set the digest: docker buildx imagetools inspect ${image.registry}:${image.tag ?? "<tag>"} --format '{{json .Manifest.Digest}}', then\n` +
                `  pulumi config set --path 'airlock:runpod.modelImages.${model.name}.digest' sha256:<digest>\n`);
        }
        process.exitCode = code ?? 1;
    });
    return 0;
}

process.exitCode = main();
