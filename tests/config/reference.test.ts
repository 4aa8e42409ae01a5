import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { configKeyPaths } from "../../src/config/reference";

const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/config.md"), "utf8");
/** First-column keys of the "Keys" table. */
const documented = [...doc.slice(doc.indexOf("## Keys")).matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);

describe("docs/config.md", () => {
    it("documents every key of the schema", () => {
        const missing = configKeyPaths().filter((k) => !documented.includes(k));
        expect(missing, "add these keys to docs/config.md").toEqual([]);
    });
    it("documents no key the schema does not have", () => {
        const paths = new Set(configKeyPaths());
        expect(documented.filter((k) => !paths.has(k)), "remove these keys from docs/config.md").toEqual([]);
    });
    it("documents each key once", () => {
        expect(documented.length).toBe(new Set(documented).size);
    });
});
