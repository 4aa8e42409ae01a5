import * as sdkDeserialize from "@pulumi/policy/deserialize";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { SharedPropsWriteError, memoizeDeserialization, readOnlyView } from "../../policies/lib/memoize-deserialize";
import { unknownCheckingProxy } from "../../policies/lib/sdk";

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
    it("hands out a read-only view: a policy that writes to the shared props throws, nested values included", () => {
        memoizeDeserialization();
        const props = deserialize.deserializeProperties(Struct.fromJavaScript({ privileged: false, envs: ["A=1"], caps: { drops: ["NET_RAW", "ALL"] } }), false);
        // As a policy sees them: behind the SDK's unknown-checking proxy.
        const seen = unknownCheckingProxy(props) as { privileged: boolean; envs: string[]; caps: { drops: string[] } };
        expect(seen.envs.map((e) => e.toLowerCase())).toEqual(["a=1"]);
        expect(() => { seen.privileged = true; }).toThrow(SharedPropsWriteError);
        expect(() => { seen.envs.push("B=2"); }).toThrow(SharedPropsWriteError);
        expect(() => { seen.caps.drops.sort(); }).toThrow(SharedPropsWriteError);
        expect(() => { delete (seen as Partial<typeof seen>).caps; }).toThrow(SharedPropsWriteError);
        expect(props).toEqual({ privileged: false, envs: ["A=1"], caps: { drops: ["NET_RAW", "ALL"] } });
    });
    it("readOnlyView leaves primitives alone and returns one view per object", () => {
        expect(readOnlyView(3)).toBe(3);
        const o = { a: { b: 1 } };
        expect(readOnlyView(o)).toBe(readOnlyView(o));
        expect(readOnlyView(o).a).toBe(readOnlyView(o).a);
    });
});
