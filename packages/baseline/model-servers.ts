/**
 * Model servers the policy pack recognises by argv or image, for clearer messages ("this text-generation-inference
 * server …"). Recognition never relaxes a rule: every container is sealed unless it proves an egress role.
 */
import * as path from "node:path";

export interface ModelServerKind {
    readonly id: "vllm" | "tgi" | "sglang" | "ollama" | "llama.cpp" | "triton" | "tensorrt-llm" | "nim" | "lmdeploy" | "localai";
    /** How messages name it. */
    readonly name: string;
    /** Program names (argv basenames) that start the server; with `subcommand`, only followed by it. */
    readonly programs: readonly string[];
    readonly subcommand?: string;
    /** Python modules run with `python -m` (prefix match). */
    readonly modules: readonly string[];
    /** Matched against the image reference's repository path. */
    readonly image: RegExp;
}

export const MODEL_SERVERS: readonly ModelServerKind[] = [
    { id: "vllm", name: "vLLM server", programs: ["vllm"], subcommand: "serve", modules: ["vllm.entrypoints"], image: /vllm/i },
    { id: "tgi", name: "text-generation-inference server", programs: ["text-generation-launcher", "text-generation-router"], modules: ["text_generation_server"], image: /text-generation-inference/i },
    { id: "sglang", name: "SGLang server", programs: ["sglang"], subcommand: "serve", modules: ["sglang.launch_server"], image: /sglang/i },
    { id: "ollama", name: "Ollama server", programs: ["ollama"], subcommand: "serve", modules: [], image: /(^|\/)ollama(\/|$)/i },
    { id: "llama.cpp", name: "llama.cpp server", programs: ["llama-server"], modules: ["llama_cpp.server"], image: /llama[.-]?cpp/i },
    { id: "triton", name: "Triton inference server", programs: ["tritonserver"], modules: [], image: /tritonserver/i },
    { id: "tensorrt-llm", name: "TensorRT-LLM server", programs: ["trtllm-serve"], modules: ["tensorrt_llm.serve"], image: /tensorrt[-_]llm/i },
    { id: "nim", name: "NVIDIA NIM server", programs: [], modules: [], image: /(^|\/)nim\//i },
    { id: "lmdeploy", name: "LMDeploy server", programs: ["lmdeploy"], subcommand: "serve", modules: ["lmdeploy.serve"], image: /lmdeploy/i },
    { id: "localai", name: "LocalAI server", programs: ["local-ai"], modules: [], image: /localai/i },
];

const base = (t: string | undefined): string => (t === undefined ? "" : path.posix.basename(t));

/**
 * The model server `tokens` start, if any: a program (with its subcommand) or a `python -m` module anywhere in the
 * argv (shell strings included); else, when the image's own entrypoint runs, the server its image names.
 */
export function recognizeModelServer(tokens: readonly string[], repository: string, usesImageEntrypoint: boolean): ModelServerKind | undefined {
    for (const kind of MODEL_SERVERS) {
        const byProgram = tokens.some((t, i) => kind.programs.includes(base(t)) && (kind.subcommand === undefined || tokens[i + 1] === kind.subcommand));
        const byModule = tokens.some((t) => kind.modules.some((m) => t === m || t.startsWith(`${m}.`) || t.startsWith(`${m}:`)));
        if (byProgram || byModule) return kind;
    }
    if (!usesImageEntrypoint) return undefined;
    return MODEL_SERVERS.find((k) => k.image.test(repository));
}
