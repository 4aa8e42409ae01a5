import * as sdkDeserialize from "@pulumi/policy/deserialize";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { memoizeDeserialization } from "../../policies/lib/memoize-deserialize";

/** The SDK module, typed with the (internal, untyped) function the patch targets. */
const deserialize = sdkDeserialize as unknown as { deserializeProperties: (s: Struct, proxySecrets: boolean) => Record<string, unknown> };

describe("memoizeDeserialization (pack process speed-up)", () => {
    it("finds the SDK function it patches, so an SDK change that removes it is noticed", () => {
        expect(typeof deserialize.deserializeProperties).toBe("function");
        expect(memoizeDeserialization()).toBe(true);
        expect(memoizeDeserialization()).toBe(true); // idempotent
    });
    it("deserializes a request's Struct once for Analyze and never shares the remediation copy", () => {
        memoizeDeserialization();
        const struct = Struct.fromJavaScript({ privileged: false, envs: ["A=1"] });
        const a = deserialize.deserializeProperties(struct, false);
        expect(deserialize.deserializeProperties(struct, false)).toBe(a);
        expect(a).toEqual({ privileged: false, envs: ["A=1"] });
        expect(deserialize.deserializeProperties(Struct.fromJavaScript({ x: 1 }), false)).not.toBe(a);
        expect(deserialize.deserializeProperties(struct, true)).not.toBe(a);
    });
});
