/**
 * Generates the TypeScript types of RunPod's REST API v2 from its OpenAPI documents with openapi-typescript:
 *
 *   npx tsx scripts/gen-runpod-types.ts        # rewrite components/runpod/api/*.generated.ts
 *
 * Inputs: components/runpod/api/openapi.v2.json (RunPod's published document, verbatim) and secrets.openapi.json
 * (the account-secret operations the snapshot predates, transcribed from RunPod's API reference). The provider's
 * client is typed by these files; a test fails when they are stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export const API_DIR = path.join(__dirname, "..", "components", "runpod", "api");
export const REGENERATE_COMMAND = "npx tsx scripts/gen-runpod-types.ts";

/** `[spec file, generated file]` pairs, relative to {@link API_DIR}. */
export const GENERATED = [
    ["openapi.v2.json", "v2.generated.ts"],
    ["secrets.openapi.json", "secrets.generated.ts"],
] as const;

/** The generated sources, keyed by output file name. */
export async function renderRunPodTypes(): Promise<Record<string, string>> {
    const { default: openapiTS, astToString } = await import("openapi-typescript");
    const out: Record<string, string> = {};
    for (const [spec, target] of GENERATED) {
        const doc = JSON.parse(fs.readFileSync(path.join(API_DIR, spec), "utf8")) as Parameters<typeof openapiTS>[0];
        const ast = await openapiTS(doc, { alphabetize: false, exportType: false, defaultNonNullable: false });
        out[target] = `// Generated from ${spec} by \`${REGENERATE_COMMAND}\` (openapi-typescript). Do not edit by hand.\n\n${astToString(ast)}`;
    }
    return out;
}

if (require.main === module) {
    void renderRunPodTypes().then((files) => {
        for (const [name, contents] of Object.entries(files)) {
            fs.writeFileSync(path.join(API_DIR, name), contents);
            process.stdout.write(`wrote ${path.relative(process.cwd(), path.join(API_DIR, name))}\n`);
        }
    });
}
