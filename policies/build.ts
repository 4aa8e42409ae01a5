/**
 * Compiles the pack ahead of time: `index.ts` and everything it imports from this folder and the @airlock/*
 * workspace packages are bundled into `dist/pack.js` (npm packages stay external), and `dist/manifest.json` records
 * the SHA-256 of every bundled source file. `loader.js` (the package's `main`) verifies the manifest before it runs
 * the bundle and refuses to start when any source changed since the build: a stale build of a security pack never
 * runs (fail closed). Starting from JavaScript skips ts-node's type check of the pack and the SDKs on every run
 * (docs/performance.md); the type check happens in `npm test`.
 *
 *   npm run build:pack              # build (npm ci runs it through `prepare`)
 *   npx tsx policies/build.ts --check   # exit 1 when the build is missing or stale
 *
 * `airlock plan` calls {@link ensurePackBuilt} before it starts this pack, so a plan always runs current sources.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

/** What `dist/manifest.json` holds. */
export interface PackManifest {
    /** Bundled source files, relative to the pack folder (POSIX separators), and their SHA-256. */
    readonly inputs: Readonly<Record<string, string>>;
}

export const DIST = "dist";
const sha256 = (file: string): string => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

/** Writes `content` to `file` atomically (concurrent plans may build the same pack). */
function writeAtomic(file: string, content: string): void {
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
}

/**
 * Why the build in `packDir` cannot be used (missing, or a source changed since), or `undefined` when it matches its
 * sources. Mirrors loader.js: sources inside the pack must exist; those outside (the workspace packages) are checked
 * when present (a published pack carries only its own folder).
 */
export function staleReason(packDir: string): string | undefined {
    const manifestFile = path.join(packDir, DIST, "manifest.json");
    if (!fs.existsSync(manifestFile) || !fs.existsSync(path.join(packDir, DIST, "pack.js"))) return "the pack has not been built";
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as PackManifest;
    for (const [rel, hash] of Object.entries(manifest.inputs)) {
        const file = path.join(packDir, rel);
        if (!fs.existsSync(file)) {
            if (!rel.startsWith("..")) return `${rel} is missing`;
            continue;
        }
        if (sha256(file) !== hash) return `${rel} changed since the build`;
    }
    return undefined;
}

/** Bundles the pack in `packDir` into `dist/` (see the file comment). */
export async function buildPack(packDir: string): Promise<PackManifest> {
    // Loaded here, not at module scope: the pack's runtime never needs the bundler.
    const esbuild = await import("esbuild");
    const dist = path.join(packDir, DIST);
    fs.mkdirSync(dist, { recursive: true });
    const result = await esbuild.build({
        absWorkingDir: packDir,
        entryPoints: ["index.ts"],
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        // npm packages are resolved at run time from the pack's node_modules, as the CLI installs them.
        packages: "external",
        // …except Airlock's own workspace packages, which a published pack does not have: they are bundled.
        plugins: [{
            name: "bundle-airlock-workspace-packages",
            setup(b) {
                b.onResolve({ filter: /^@airlock\// }, (args) => ({
                    path: fs.realpathSync(createRequire(path.join(args.resolveDir, "noop.js")).resolve(args.path)),
                }));
            },
        }],
        write: false,
        metafile: true,
        sourcemap: "inline",
        logLevel: "silent",
    });
    const bundle = result.outputFiles[0];
    if (!bundle) throw new Error("esbuild produced no output for the policy pack");
    const inputs: Record<string, string> = {};
    for (const input of Object.keys(result.metafile.inputs).sort()) {
        const abs = path.resolve(packDir, input);
        if (abs.split(path.sep).includes("node_modules")) continue;
        inputs[path.relative(packDir, abs).split(path.sep).join("/")] = sha256(abs);
    }
    const manifest: PackManifest = { inputs };
    writeAtomic(path.join(dist, "pack.js"), bundle.text);
    writeAtomic(path.join(dist, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    return manifest;
}

/** Builds the pack in `packDir` when its build is missing or stale; returns why it built, or `undefined`. */
export async function ensurePackBuilt(packDir: string): Promise<string | undefined> {
    const reason = staleReason(packDir);
    if (reason !== undefined) await buildPack(packDir);
    return reason;
}

if (require.main === module) {
    const check = process.argv.includes("--check");
    const reason = staleReason(__dirname);
    if (check) {
        process.stdout.write(reason ? `policy pack build is stale: ${reason}\n` : "policy pack build is current\n");
        process.exit(reason ? 1 : 0);
    }
    buildPack(__dirname).then(
        (m) => process.stdout.write(`built policies/${DIST}/pack.js from ${Object.keys(m.inputs).length} source files\n`),
        (e: Error) => { process.stderr.write(`error: building the policy pack failed: ${e.message}\n`); process.exit(1); },
    );
}
