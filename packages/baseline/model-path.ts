/** Where a staged model lives inside a container: `/models/<org>--<name>` (the hub's own cache naming). */

/** Root under which every model store is mounted. */
export const MODEL_ROOT = "/models";

/** The directory name of a hub id: `Qwen/Qwen3-4B` → `Qwen--Qwen3-4B`. */
export function modelDirName(hubId: string): string {
    return hubId.replace("/", "--");
}

/** The local path vLLM serves: `/models/<org>--<name>`. */
export function localModelPath(hubId: string): string {
    return `${MODEL_ROOT}/${modelDirName(hubId)}`;
}
