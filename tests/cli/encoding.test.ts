import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { describe, expect, it } from "vitest";
import { appendBytesField, defaultProviderName, repeatedField } from "../../src/cli/analyzer";
import { engineUrn } from "../../src/cli/run-program";

const props = () => Struct.fromJavaScript({ image: "x@sha256:abc", envs: ["A=1"], nested: { n: 1, big: "y".repeat(300) } });

describe("Analyzer requests built from already-encoded properties", () => {
    it("decode to the same AnalyzeRequest the generated stub would send", () => {
        const head = new analyzerpb.AnalyzeRequest();
        head.setType("docker:index/container:Container");
        head.setUrn("urn:pulumi:dev::p::docker:index/container:Container::c");
        head.setName("c");
        const viaBytes = analyzerpb.AnalyzeRequest.deserializeBinary(appendBytesField(head.serializeBinary(), 2, props().serializeBinary()));
        const viaStub = analyzerpb.AnalyzeRequest.deserializeBinary(head.serializeBinary());
        viaStub.setProperties(props());
        expect(viaBytes.toObject()).toEqual(viaStub.toObject());
        expect(viaBytes.getProperties()!.toJavaScript()).toEqual(props().toJavaScript());
    });

    it("build an AnalyzeStackRequest of many resources (lengths over 127 use multi-byte varints)", () => {
        const items = [0, 1, 2].map((i) => {
            const ar = new analyzerpb.AnalyzerResource();
            ar.setType("t");
            ar.setUrn(`u${i}`);
            ar.setName(`n${i}`);
            return appendBytesField(ar.serializeBinary(), 2, props().serializeBinary());
        });
        const req = analyzerpb.AnalyzeStackRequest.deserializeBinary(repeatedField(1, items));
        expect(req.getResourcesList().map((r) => [r.getUrn(), r.getProperties()!.toJavaScript()])).toEqual(
            [0, 1, 2].map((i) => [`u${i}`, props().toJavaScript()]));
    });
});

describe("default provider names", () => {
    it.each([["5.2.0", "default_5_2_0"], ["7.48.0-alpha.1", "default_7_48_0_alpha_1"], [undefined, "default"]])(
        "the engine names the default provider of %j %s", (version, name) => { expect(defaultProviderName(version)).toBe(name); });
});

describe("URNs as the engine builds them (pkg/resource/urn.go)", () => {
    it.each([
        ["", "pulumi:pulumi:Stack", "p-dev", "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"],
        ["urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev", "a:b:Group", "g", "urn:pulumi:dev::p::a:b:Group::g"],
        ["urn:pulumi:dev::p::a:b:Group::g", "a:b:Group", "h", "urn:pulumi:dev::p::a:b:Group$a:b:Group::h"],
        ["urn:pulumi:dev::p::a:b:Group$a:b:Group::h", "a:b:Leaf", "l", "urn:pulumi:dev::p::a:b:Group$a:b:Group$a:b:Leaf::l"],
    ])("parent %j, type %s", (parent, type, name, urn) => { expect(engineUrn("dev", "p", parent, type, name)).toBe(urn); });
});
