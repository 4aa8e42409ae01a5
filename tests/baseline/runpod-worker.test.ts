/** The RunPod vLLM worker's env reading (args_builder.py) and the env the components set. */
import { describe, expect, it } from "vitest";
import { OFFLINE_ENV, readVllmOptions, runpodWorkerArgv, runpodWorkerEnv, shlexSplit, vllmFlagValues } from "@airlock/baseline";

describe("shlexSplit (Python's shlex.split, POSIX)", () => {
    it.each<[string, string[] | undefined]>([
        ["--a b  --c", ["--a", "b", "--c"]],
        ["--m 'org/evil model'", ["--m", "org/evil model"]],
        ['--x "a \\"q\\" b"', ["--x", 'a "q" b']],
        ["--x a\\ b", ["--x", "a b"]],
        ["''", [""]],
        ["--x 'open", undefined],
        ['--x "open', undefined],
    ])("%j", (input, expected) => {
        expect(shlexSplit(input)).toEqual(expected);
    });
});

describe("runpodWorkerArgv", () => {
    it("maps the aliases and the generic flag names, VLLM_EXTRA_ARGS last", () => {
        const { argv, problems } = runpodWorkerArgv({
            MODEL_NAME: " /models/a--b ", TOKENIZER_NAME: "/models/t--k", TRUST_REMOTE_CODE: "Off", MODEL: "ignored/reserved",
            VLLM_EXTRA_ARGS: "--trust-remote-code --model x/y", EMPTY: "",
        });
        expect(problems).toEqual([]);
        expect(argv).toEqual(["--no-trust-remote-code", "--model", "/models/a--b", "--tokenizer", "/models/t--k", "--trust-remote-code", "--model", "x/y"]);
        const options = readVllmOptions(argv);
        expect(vllmFlagValues(options, "--model")).toEqual(["/models/a--b", "x/y"]);
    });
    it("reports a boolean the worker cannot read (it stops at startup)", () => {
        expect(runpodWorkerArgv({ TRUST_REMOTE_CODE: "enabled" }).problems).toEqual([
            'TRUST_REMOTE_CODE="enabled" is not a boolean the worker reads (true/1/yes/on or false/0/no/off), so the worker stops at startup']);
    });
    it("turns HF_TOKEN into --hf-token (why the pack forbids it on a template)", () => {
        expect(runpodWorkerArgv({ HF_TOKEN: "x" }).argv).toEqual(["--hf-token", "x"]);
    });
});

describe("runpodWorkerEnv", () => {
    it("carries the offline baseline, the local path, the served name, trust-remote-code off and tensor parallelism", () => {
        expect(runpodWorkerEnv({ hubId: "Qwen/Qwen3-4B-Instruct-2507", servedModelName: "qwen3-4b", gpuCount: 2, options: { maxModelLen: 8192, dtype: "bfloat16" } })).toEqual({
            ...OFFLINE_ENV,
            MODEL_NAME: "/models/Qwen--Qwen3-4B-Instruct-2507", OPENAI_SERVED_MODEL_NAME_OVERRIDE: "qwen3-4b", TRUST_REMOTE_CODE: "false",
            TENSOR_PARALLEL_SIZE: "2", MAX_MODEL_LEN: "8192", DTYPE: "bfloat16",
        });
    });
});
