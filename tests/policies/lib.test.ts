/** The pure helpers behind the rules: image references, registry matching, argv parsing, config reading. */
import { describe, expect, it } from "vitest";
import { argvEnvChanges, argvOf, flagValues, hubDownloads, opaqueShellReason, servedModels, shellScript, tokensOf } from "../../policies/lib/argv";
import { ECR_REGISTRY_PATTERN, readConfig } from "../../policies/lib/config";
import { parseEnvs } from "../../policies/lib/env";
import { formatPropertyPath } from "../../policies/lib/fail-closed";
import { isRegistryAllowed, parseImageRef } from "../../policies/lib/image";
import { isUnder } from "../../policies/lib/paths";
import { classify } from "../../policies/lib/workload";
import { analyzedProps, forgetAnalyzed, rememberAnalyzed } from "../../policies/lib/analyzed";
import { loadEnvironmentConfig } from "../../policies/lib/pack-config";
import { DOCKER_TYPES } from "../../policies/lib/docker-types";
import { containerRequireDeclaredVolumes } from "../../policies/rules/network/container-require-declared-volumes";
import { containerRequireInternalNetwork } from "../../policies/rules/network/container-require-internal-network";
import { N, secureStack } from "./fixtures";
import { type FixtureResource, UNKNOWN, analyzeResources } from "./harness";

describe("parseImageRef (Docker normalisation)", () => {
    it.each([
        ["vllm/vllm-openai", { registry: "docker.io", repository: "vllm/vllm-openai" }],
        ["ubuntu:24.04", { registry: "docker.io", repository: "library/ubuntu", tag: "24.04" }],
        ["localhost:5000/mirror/x:v1@sha256:abc", { registry: "localhost:5000", repository: "mirror/x", tag: "v1", digest: "sha256:abc" }],
        ["localhost/x", { registry: "localhost", repository: "x" }],
        ["Registry.Internal:5000/a/b@sha256:d", { registry: "registry.internal:5000", repository: "a/b", digest: "sha256:d" }],
    ])("%s", (ref, want) => expect(parseImageRef(ref)).toEqual(want));
});

describe("isRegistryAllowed", () => {
    const allowed = ["localhost:5000", "registry.internal:5000/mirror"];
    it.each([
        ["localhost:5000/anything/x", true],
        ["localhost:5001/x", false],
        ["registry.internal:5000/mirror/vllm/x", true],
        ["registry.internal:5000/mirror", true], // the prefix itself is "that path"
        ["registry.internal:5000/mirrorx/y", false],
        ["registry.internal:5000/other/y", false],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com/m/x", true],
        ["123456789012.dkr.ecr.eu-west-1.amazonaws.com.evil.io/m/x", false],
        ["vllm/vllm-openai", false],
    ])("%s → %s", (ref, ok) => expect(isRegistryAllowed(parseImageRef(ref), allowed, [ECR_REGISTRY_PATTERN])).toBe(ok));
    it("docker.io can be allowed explicitly per namespace", () => {
        expect(isRegistryAllowed(parseImageRef("vllm/vllm-openai"), ["docker.io/vllm"], [])).toBe(true);
        expect(isRegistryAllowed(parseImageRef("evil/vllm-openai"), ["docker.io/vllm"], [])).toBe(false);
    });
});

describe("argv", () => {
    it("joins entrypoints and command and splits shell strings", () => {
        expect(tokensOf(argvOf({ entrypoints: ["sh", "-c"], command: ["vllm serve '/models/a' --port 8000"] })))
            .toEqual(["sh", "-c", "vllm", "serve", "/models/a", "--port", "8000"]);
    });
    it("reads --flag value and --flag=value", () => {
        expect(flagValues(["--model", "a/b", "--model=c/d", "--model"], "--model")).toEqual(["a/b", "c/d", ""]);
    });
    it.each([
        [["sh", "-c", "vllm serve /models/a"], "vllm serve /models/a"],
        [["/bin/bash", "-lc", "exec vllm serve"], "exec vllm serve"],
        [["vllm", "serve", "-c"], undefined],
    ])("shellScript(%j) = %j", (argv, script) => expect(shellScript(argv)).toBe(script));
    it.each([
        ["vllm serve /models/a --port 8000", undefined],
        ["vllm serve /models/a --trust-$(echo remote)-code", "command substitution"],
        ["vllm serve $MODEL", "parameter expansion"],
        ["vllm serve `cat /m`", "command substitution"],
        ["eval vllm serve x", "eval/source"],
        ["printf '\\x2d-trust' | xargs vllm serve", "escape sequences"],
    ])("opaqueShellReason(%j) = %j", (script, reason) => expect(opaqueShellReason(script)).toBe(reason));
    it("finds served models: positional, --model, image entrypoint", () => {
        expect(servedModels(["vllm", "serve", "/models/a", "--model", "b/c"], undefined)).toEqual(["/models/a", "b/c"]);
        expect(servedModels([], { command: ["/models/a", "--port", "1"] })).toEqual(["/models/a"]);
        expect(servedModels(["vllm", "serve", "--port", "1"], undefined)).toEqual([]);
        // vLLM's parser: `_` in a long option is `-`, and an unambiguous prefix is the option.
        expect(servedModels(["vllm", "serve", "--mod=a/b"], undefined)).toEqual(["a/b"]);
    });
    it.each([
        [["env", "A=1", "-u", "B", "--unset=C", "-uD", "vllm", "serve", "E=2"], [{ kind: "set", key: "A", value: "1" }, { kind: "unset", key: "B" }, { kind: "unset", key: "C" }, { kind: "unset", key: "D" }]],
        [["/usr/bin/env", "-i", "-C", "/srv", "--", "X=", "run"], [{ kind: "clear" }, { kind: "set", key: "X", value: "" }]],
        [["env", "-S", "A=1 B=2 vllm serve"], [{ kind: "set", key: "A", value: "1" }, { kind: "set", key: "B", value: "2" }]],
        [["tini", "--", "env", "A=0", "env", "B=0", "vllm"], [{ kind: "set", key: "A", value: "0" }, { kind: "set", key: "B", value: "0" }]],
        [["vllm", "serve", "A=1"], []],
        [["sh", "-c", "A=0 exec vllm serve; export B=1 C; declare -x D=2; unset -v E F; env G=3 vllm"],
            [{ kind: "set", key: "A", value: "0" }, { kind: "set", key: "B", value: "1" }, { kind: "set", key: "D", value: "2" },
                { kind: "unset", key: "E" }, { kind: "unset", key: "F" }, { kind: "set", key: "G", value: "3" }]],
        [["env", "A=1", "sh", "-c", "A=$X vllm"], [{ kind: "set", key: "A", value: "1" }, { kind: "set", key: "A", value: undefined }]],
    ])("argvEnvChanges(%j): env wrappers and shell assignments, in order", (argv, changes) => expect(argvEnvChanges(argv)).toEqual(changes));
    it("reads a script the program uploads as the command's shell form; a script from the host or in another language stays opaque", () => {
        const uploads = [
            { file: "/opt/start.sh", content: "#!/bin/sh\nexec vllm serve /models/a" },
            { file: "/opt/run.py", content: "#!/usr/bin/env python3\nimport os" },
            { file: "/opt/host.sh", source: "./start.sh" },
        ];
        expect(argvOf({ entrypoints: ["sh", "-eu", "/opt//start.sh", "x"], uploads })).toEqual(["sh", "-c", "#!/bin/sh\nexec vllm serve /models/a"]);
        expect(argvOf({ entrypoints: ["/opt/start.sh"], uploads })).toEqual(["sh", "-c", "#!/bin/sh\nexec vllm serve /models/a"]);
        expect(argvOf({ entrypoints: ["/opt/run.py"], uploads })).toEqual(["/opt/run.py"]);
        expect(argvOf({ entrypoints: ["sh", "/opt/host.sh"], uploads })).toEqual(["sh", "/opt/host.sh"]);
        expect(argvOf({ entrypoints: ["sh", "-c", "/opt/start.sh"], uploads })).toEqual(["sh", "-c", "/opt/start.sh"]);
    });
    it("finds hub downloads", () => {
        expect(hubDownloads(["huggingface-cli", "download", "a/b", "--revision", "x"])).toEqual([{ repo: "a/b", revisions: ["x"] }]);
    });
});

describe("classification (fail closed: a role is a claim the container must match)", () => {
    const vllm = "localhost:5000/mirror/vllm/vllm-openai:v1@sha256:" + "0".repeat(64);
    const role = (value: string) => [{ label: "airlock.dev/role", value }];
    const staging = {
        image: vllm, labels: role("model-staging"), entrypoints: ["hf"],
        command: ["download", "a/b", "--revision", "0".repeat(40), "--local-dir", "/models/a--b"],
        volumes: [{ volumeName: "m", containerPath: "/models/a--b", readOnly: false }], restart: "no",
    };
    it.each([
        ["labelled inference", { labels: role("inference"), image: "x", entrypoints: ["srv"] }, "inference", false, []],
        ["vLLM image, own entrypoint, no label", { image: vllm }, "inference", true, []],
        ["a one-shot hf download labelled model-staging", staging, "model-staging", false, []],
        ["model-staging with a GPU is sealed", { ...staging, deviceRequests: [{ count: 1, capabilities: ["gpu"] }] }, "sealed", false, ["it requests GPUs"]],
        ["model-staging that restarts is sealed", { ...staging, restart: "always" }, "sealed", false, ['restart is "always", so it does not run once']],
        ["model-staging writing elsewhere is sealed", { ...staging, volumes: [...staging.volumes, { volumeName: "o", containerPath: "/output", readOnly: false }] },
            "sealed", false, ["volumes[1] mounts /output writable, which is not where it downloads (--local-dir /models/a--b)"]],
        ["model-staging on the image's entrypoint is sealed", { ...staging, entrypoints: undefined, command: ["hf", ...staging.command] }, "inference", true,
            ["it runs a vLLM server"]],
        ["vLLM argv labelled model-staging", { image: "x", entrypoints: ["vllm", "serve"], labels: role("model-staging") }, "inference", true, ["it runs a vLLM server"]],
        ["TGI without label", { image: "ghcr.io/huggingface/text-generation-inference:3@sha256:" + "1".repeat(64) }, "inference", false, []],
        ["unknown role label", { image: "x", entrypoints: ["srv"], labels: role("batch") }, "sealed", false,
            ['"batch" is not a role the pack knows (inference, training, model-staging, volume-init, gateway)']],
        ["unlabeled", { image: "x", entrypoints: ["srv"] }, "sealed", false, []],
        ["volume-init: chmod of its own volume without network", { image: "x", labels: role("volume-init"), networkMode: "none", entrypoints: ["chmod"],
            command: ["1777", "/output"], volumes: [{ volumeName: "o", containerPath: "/output", readOnly: false }] }, "volume-init", false, []],
        ["volume-init on a network is sealed", { image: "x", labels: role("volume-init"), networkMode: "bridge", entrypoints: ["chmod"],
            command: ["1777", "/output"], volumes: [{ volumeName: "o", containerPath: "/output", readOnly: false }] }, "sealed", false, ['networkMode is "bridge", not "none"']],
    ])("%s", (_t, c, effective, vllmServer, problems) => {
        const w = classify(c as Parameters<typeof classify>[0]);
        expect([w.role, w.vllmServer, w.claimProblems]).toEqual([effective, vllmServer, problems]);
    });
});

describe("small helpers", () => {
    it("parseEnvs splits on the first = and keeps bare keys", () => {
        expect(parseEnvs(["A=b=c", "B"])).toEqual([{ key: "A", value: "b=c", index: 0 }, { key: "B", value: undefined, index: 1 }]);
    });
    it("isUnder normalises", () => {
        expect(isUnder("/models/a/../b", "/models")).toBe(true);
        expect(isUnder("/models/../etc", "/models")).toBe(false);
        expect(isUnder("/modelsx", "/models")).toBe(false);
    });
    it("formatPropertyPath", () => {
        expect(formatPropertyPath(["ports", "0", "ip"])).toBe("ports[0].ip");
        expect(formatPropertyPath(["capabilities", "drops"])).toBe("capabilities.drops");
    });
    it("readConfig merges over defaults and rejects malformed values", () => {
        const args = (c: object) => ({ getConfig: <T extends object>() => c as T });
        expect(readConfig(args({}), "p", "allowedPortBindIps", "allowedModelRoots"))
            .toEqual({ allowedPortBindIps: ["127.0.0.1"], allowedModelRoots: ["/models"] });
        expect(() => readConfig(args({ allowedModelRoots: ["models"] }), "p", "allowedModelRoots"))
            .toThrow('Invalid policy config for "p": allowedModelRoots entries must be absolute paths, got "models".');
        expect(() => readConfig(args({ trustRemoteCodeAllowlist: [{ model: "a/b", revision: "main" }] }), "p", "trustRemoteCodeAllowlist"))
            .toThrow(/trustRemoteCodeAllowlist entries must be/);
    });
});

describe("stack policies read each container as Analyze saw it (policies/lib/analyzed.ts)", () => {
    // What the engine (CLI v3.248, the bridged Docker provider) hands AnalyzeStack at preview for a new container: its
    // planned outputs. Unset computed fields are unknown (here `command` of a container that sets only entrypoints),
    // unset optional fields null, unset lists [] — read as written, the gateway would fail closed ("command is unknown")
    // and the staging claim would not hold (`gpus: null` reads as a GPU request).
    const plannedOutputs = (props: Record<string, unknown>): Record<string, unknown> => ({
        ...props,
        command: props.command ?? UNKNOWN.array, gpus: null, hostname: UNKNOWN.string, logDriver: UNKNOWN.string,
        devices: [], deviceRequests: props.deviceRequests ?? [], mounts: props.mounts ?? [], ports: props.ports ?? [],
        volumes: ((props.volumes ?? []) as Record<string, unknown>[]).map((v) => ({ fromContainer: null, hostPath: null, selinuxRelabel: null, ...v })),
        id: UNKNOWN.string, exitCode: UNKNOWN.number,
    });
    const engineView = (): FixtureResource[] => secureStack({ secretEnvs: false }).map((r) =>
        (r.type === DOCKER_TYPES.container ? { ...r, stackProps: plannedOutputs(r.props) } : r));
    const stackPolicies = [containerRequireInternalNetwork, containerRequireDeclaredVolumes];
    const dev = loadEnvironmentConfig("dev");

    it("the secure stack passes when AnalyzeStack gets the planned outputs, as under the engine", async () => {
        expect(await analyzeResources(engineView(), dev)).toEqual([]);
    });

    it("read from AnalyzeStack's view alone (nothing analyzed first), those outputs fail closed — what the memo prevents", async () => {
        const found = await analyzeResources(engineView(), {}, { policies: stackPolicies });
        expect(found.map((v) => `${v.policy} ${v.urn.split("::").pop()}`)).toEqual(expect.arrayContaining([
            `docker-container-require-internal-network ${N.stage}`,
            `docker-container-require-declared-volumes ${N.inference}`,
        ]));
    });

    it("an insecure container stays blocked whatever its stack view says (the verdict follows the analyzed inputs)", async () => {
        const stack = engineView().map((r) => (r.name === N.inference
            ? { ...r, props: { ...r.props, networkMode: "bridge" }, stackProps: { ...r.stackProps, networkMode: N.serving } }
            : r));
        expect((await analyzeResources(stack, dev)).filter((v) => v.policy === "docker-container-require-internal-network").map((v) => v.urn.split("::").pop()))
            .toEqual([N.inference]);
    });

    it("falls back to the stack props for a resource never analyzed, and forgets between analyses", () => {
        const r = { urn: "urn:pulumi:test::airlock::docker:index/container:Container::x", props: { a: 1 } };
        expect(analyzedProps(r)).toEqual({ a: 1 });
        rememberAnalyzed(r.urn, { a: 2 });
        expect(analyzedProps(r)).toEqual({ a: 2 });
        forgetAnalyzed();
        expect(analyzedProps(r)).toEqual({ a: 1 });
    });
});
