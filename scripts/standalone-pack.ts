/**
 * A copy of the policy pack as `pulumi policy publish` sees it: `policies/` and the @airlock/* workspace packages
 * it depends on, in a folder outside the repository, with a node_modules that links the npm packages of the
 * repository's install (no registry needed) and the copied workspace packages — so the pack resolves nothing from
 * the repository by relative path. Used by the standalone test and by the benchmark's variants of the pack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

/** Copies the pack into a new temporary folder; returns the copied pack's directory (`<tmp>/policies`). */
export function copyStandalonePack(o: { readonly edit?: (packDir: string) => void } = {}): string {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), "airlock-pack-"));
    const skip = (src: string) => !src.split(path.sep).some((s) => s === "node_modules" || s === "dist");
    fs.cpSync(path.join(ROOT, "policies"), path.join(dest, "policies"), { recursive: true, filter: skip });
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policies/package.json"), "utf8")) as
        { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
    const workspace = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => d.startsWith("@airlock/"));
    const modules = path.join(dest, "node_modules");
    fs.mkdirSync(path.join(modules, "@airlock"), { recursive: true });
    for (const dep of workspace) {
        const name = dep.slice("@airlock/".length);
        fs.cpSync(path.join(ROOT, "packages", name), path.join(dest, "packages", name), { recursive: true, filter: skip });
        fs.symlinkSync(path.join(dest, "packages", name), path.join(modules, "@airlock", name));
    }
    // npm packages from the repository's install (including the other scopes' members), never @airlock/*.
    for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
        if (entry === "@airlock" || entry === ".bin" || entry.startsWith(".")) continue;
        const src = path.join(ROOT, "node_modules", entry);
        if (entry.startsWith("@")) {
            fs.mkdirSync(path.join(modules, entry), { recursive: true });
            for (const member of fs.readdirSync(src)) fs.symlinkSync(path.join(src, member), path.join(modules, entry, member));
        } else {
            fs.symlinkSync(src, path.join(modules, entry));
        }
    }
    o.edit?.(path.join(dest, "policies"));
    return path.join(dest, "policies");
}

/** Removes a copy made by {@link copyStandalonePack}. */
export function removeStandalonePack(packDir: string): void {
    fs.rmSync(path.dirname(packDir), { recursive: true, force: true });
}
