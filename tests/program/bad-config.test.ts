/** A bad config fails the program before any resource (other than the root stack) is registered. */
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readProjectFile, readStackConfig } from "../../src/cli/project";
import { ProgramError, type RecordedResource, runProgram } from "../../src/cli/run-program";
import { ROOT } from "../support/cli";

describe("a bad config changes nothing", () => {
    it("throws the config error and registers no provider resource", async () => {
        const file = readStackConfig(readProjectFile(ROOT)!, "dev", false);
        const models = JSON.parse(file.config["airlock:models"]!) as { revision: string }[];
        models[1]!.revision = "main";
        const registered: RecordedResource[] = [];
        const run = runProgram({
            project: "airlock", stack: "dev", entry: path.join(ROOT, "src/index.ts"), sdkRoot: ROOT, secretKeys: file.secretKeys,
            config: { ...file.config, "airlock:models": JSON.stringify(models) },
            onResource: (r) => registered.push(r),
        });
        await expect(run).rejects.toBeInstanceOf(ProgramError);
        await expect(run).rejects.toThrow(/airlock:models\[1\]\.revision: must be a full 40-character lowercase hex commit SHA/);
        expect(registered.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});
