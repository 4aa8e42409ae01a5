export { Enclave, type EnclaveArgs } from "./enclave";
export { ModelStore, type ModelStoreArgs, bakeArgv } from "./model-store";
export { InferenceServer, type InferenceServerArgs } from "./inference-server";
export { RunPodPlatform, type RunPodPlatformArgs } from "./platform";
export { RunPodEcrDelegation, RunPodEndpoint, RunPodNetworkVolume, RunPodRegistryAuth, RunPodSecret } from "./resources";
