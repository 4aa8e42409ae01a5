/** The provider's types come from RunPod's OpenAPI documents (openapi-typescript), never by hand. */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { API_DIR, GENERATED, REGENERATE_COMMAND, renderRunPodTypes } from "../../../scripts/gen-runpod-types";

describe("components/runpod/api", () => {
    it("the generated types are what openapi-typescript makes of the documents", async () => {
        const rendered = await renderRunPodTypes();
        for (const [, target] of GENERATED) {
            const committed = fs.readFileSync(path.join(API_DIR, target), "utf8");
            expect(committed === rendered[target], `${target} is stale: run \`${REGENERATE_COMMAND}\``).toBe(true);
        }
    }, 60_000);
    it("the v2 document is RunPod's, verbatim (git blob of runpod/docs api-reference-v2/openapi.json)", () => {
        const bytes = fs.readFileSync(path.join(API_DIR, "openapi.v2.json"));
        const blob = createHash("sha1").update(`blob ${bytes.length}\0`).update(bytes).digest("hex");
        expect(blob).toBe("c871056529f969f71a8fa765511fe3f3131d1503");
    });
});
