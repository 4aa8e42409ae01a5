// The pack's entry point (package.json "main"): runs the compiled pack (dist/pack.js, built by policies/build.ts)
// only if every source file it was built from is unchanged. A stale or missing build stops the pack with an
// error instead of running rules that are not the ones in this folder (fail closed). Plain JavaScript on
// purpose: nothing here needs the TypeScript compiler.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const REBUILD = "rebuild it with `npm run build:pack` (or `npx tsx policies/build.ts`) from the repository root";

function refuse(reason) {
    throw new Error(`The compiled Airlock policy pack cannot be used: ${reason}; ${REBUILD}.`);
}

const dist = path.join(__dirname, "dist");
let manifest;
try {
    manifest = JSON.parse(fs.readFileSync(path.join(dist, "manifest.json"), "utf8"));
} catch {
    refuse("the pack has not been built (policies/dist/manifest.json is missing)");
}
for (const [rel, hash] of Object.entries(manifest.inputs)) {
    const file = path.join(__dirname, rel);
    let data;
    try {
        data = fs.readFileSync(file);
    } catch {
        // Sources outside the pack folder (the @airlock/* workspace packages) are bundled and absent from a published pack.
        if (!rel.startsWith("..")) refuse(`${rel} is missing`);
        continue;
    }
    if (crypto.createHash("sha256").update(data).digest("hex") !== hash) refuse(`${rel} changed since the pack was built`);
}
require("./dist/pack.js");
