import { describe, expect, it } from "vitest";
import { type PolicyMeta, parsePolicyConfigFile, reconcilePolicyConfig, validateJsonSchema } from "@airlock/policy-config";
import { violationText } from "../../src/cli/analyzer";

const policies: PolicyMeta[] = [
    { name: "a", enforcementLevel: "advisory", configSchema: { properties: { ips: { type: "array", items: { type: "string" }, default: ["127.0.0.1"] }, n: { type: "integer", default: 3 } } } },
    { name: "b", enforcementLevel: "mandatory" },
];

describe("policy config reconciliation (the CLI's ReconcilePolicyPackConfig)", () => {
    it("starts from each policy's level and its schema defaults", () => {
        expect(reconcilePolicyConfig("p", policies, {}, {})).toEqual({
            a: { enforcementLevel: "advisory", properties: { ips: ["127.0.0.1"], n: 3 } },
            b: { enforcementLevel: "mandatory", properties: {} },
        });
    });
    it("applies the initial config, then `all`, then per-policy entries from the file", () => {
        const file = parsePolicyConfigFile({ all: "mandatory", a: { enforcementLevel: "advisory", n: 5 } }, "f.json");
        expect(reconcilePolicyConfig("p", policies, { b: { enforcementLevel: "disabled", properties: {} } }, file)).toEqual({
            a: { enforcementLevel: "advisory", properties: { ips: ["127.0.0.1"], n: 5 } },
            b: { enforcementLevel: "mandatory", properties: {} },
        });
    });
    it("accepts a bare level string per policy and ignores `environments`", () => {
        const file = parsePolicyConfigFile({ b: "disabled", environments: ["org/env"] }, "f.json");
        expect(reconcilePolicyConfig("p", policies, {}, file).b!.enforcementLevel).toBe("disabled");
    });
    it("ignores an unknown policy as the CLI does (and says so); rejects a bad level and a property of the wrong type", () => {
        const heard: string[] = [];
        const r = reconcilePolicyConfig("p", policies, {}, parsePolicyConfigFile({ c: "mandatory", a: "disabled" }, "f.json"), (m) => heard.push(m));
        expect(heard).toEqual(['policy config: no policy named "c" in pack "p" (known: a, b)']);
        expect(Object.keys(r).sort()).toEqual(["a", "b"]);
        expect(r.a!.enforcementLevel).toBe("disabled");
        expect(() => parsePolicyConfigFile({ a: "loud" }, "f.json")).toThrow('f.json: a: invalid enforcement level "loud"');
        expect(() => reconcilePolicyConfig("p", policies, {}, parsePolicyConfigFile({ a: { n: 1.5 } }, "f.json")))
            .toThrow('validating policy config for "p": a.n: Invalid type. Expected: integer, given: number');
        expect(() => parsePolicyConfigFile({ all: { n: 1 } }, "f.json")).toThrow('"all" takes only an enforcement level');
    });
});

describe("validateJsonSchema", () => {
    it.each<[unknown, object, string[]]>([
        [["x", 1], { type: "array", items: { type: "string" } }, ["$.1: Invalid type. Expected: string, given: integer"]],
        ["b", { enum: ["a"] }, ['$: must be one of "a"']],
        [{ x: 1 }, { type: "object", required: ["y"], additionalProperties: false }, ["$: y is required", "$: Additional property x is not allowed"]],
        ["ab", { type: "string", pattern: "^a$" }, ['$: does not match pattern "^a$"']],
        [5, { type: "number", minimum: 1, maximum: 4 }, ["$: must be <= 4"]],
        [2, { type: "number" }, []],
    ])("validates %j against %j", (value, schema, errors) => {
        expect(validateJsonSchema(value, schema, "$")).toEqual(errors);
    });
});

describe("violationText", () => {
    it("drops the description the SDK puts in front of the finding", () => {
        expect(violationText("Checks x.", "Checks x.\nfield y is bad")).toBe("field y is bad");
        expect(violationText("Checks x.", "other")).toBe("other");
        expect(violationText("Checks x.", "")).toBe("Checks x.");
    });
});
