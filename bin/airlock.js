#!/usr/bin/env node
// The `airlock` command (npx airlock plan): runs the TypeScript CLI through tsx's CommonJS loader.
"use strict";
require("tsx/cjs");
const { main } = require("../src/cli/main.ts");
main(process.argv.slice(2)).then(
    (code) => process.stdout.write("", () => process.exit(code)),
    (err) => { process.stderr.write(`error: ${String(err)}\n`); process.exit(2); },
);
