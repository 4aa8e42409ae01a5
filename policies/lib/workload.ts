/**
 * Workload classification. Airlock labels its containers `airlock.dev/role` = inference | training |
 * model-staging; other teams' programs do not, so a vLLM server is also recognised by its image (contains
 * "vllm" and runs the image's own entrypoint) or its argv (`vllm serve`, `vllm.entrypoints`, `--model`).
 * A recognised vLLM server is treated as inference whatever its label says: labels never relax a rule.
 */
import { ROLE_LABEL, ROLES, type Role } from "@airlock/baseline";
import { argvOf, isVllmServeArgv, servedModels } from "./argv";
import { type ContainerProps, labelMap } from "./container";

export type WorkloadRole = Role | "unclassified";

export interface Workload {
    /** The role rules use: the label's, overridden to "inference" for a recognised vLLM server. */
    readonly role: WorkloadRole;
    /** Whether the container runs vLLM's OpenAI-compatible server. */
    readonly vllmServer: boolean;
    /** `entrypoints` + `command`. */
    readonly argv: readonly string[];
}

type ClassifiedFields = Pick<ContainerProps, "labels" | "image" | "entrypoints" | "command">;

/** Whether the image reference names vLLM (e.g. `vllm/vllm-openai`, a mirror of it). */
export const imageLooksLikeVllm = (image: string): boolean => /vllm/i.test(image);

/** Classifies a container (reads `labels`, `image`, `entrypoints`, `command`). */
export function classify(c: ClassifiedFields): Workload {
    const argv = argvOf(c);
    const usesImageEntrypoint = (c.entrypoints ?? []).length === 0 && imageLooksLikeVllm(String(c.image ?? ""));
    const vllmServer = isVllmServeArgv(argv) || usesImageEntrypoint;
    const label = labelMap(c).get(ROLE_LABEL);
    const labeled: WorkloadRole = (ROLES as readonly string[]).includes(label ?? "") ? (label as Role) : "unclassified";
    return { role: vllmServer ? "inference" : labeled, vllmServer, argv };
}

/** Inference and training containers (incl. unlabeled vLLM servers) get the network, offline and non-root rules. */
export const isModelWorkload = (w: Workload): boolean => w.role === "inference" || w.role === "training";

/** The models a vLLM server container serves (see {@link servedModels}). */
export function servedModelsOf(c: ClassifiedFields, w: Workload): string[] {
    const usesImageEntrypoint = (c.entrypoints ?? []).length === 0 && imageLooksLikeVllm(String(c.image ?? ""));
    return servedModels(w.argv, usesImageEntrypoint ? { command: (c.command ?? []).map(String) } : undefined);
}

/** How a message names the workload: "inference container", "vLLM server", … */
export function describeWorkload(w: Workload): string {
    if (w.vllmServer) return "vLLM server";
    return w.role === "unclassified" ? "container" : `${w.role} container`;
}
