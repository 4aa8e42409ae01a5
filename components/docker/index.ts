export { Enclave, type EnclaveArgs } from "./enclave";
export { ModelStore, type ModelStoreArgs, type PulledImage, REVISION_LABEL, revisionVolumeName } from "./model-store";
export { InferenceServer, type InferenceServerArgs } from "./inference-server";
export { TrainingJob, type TrainingJobArgs, OUTPUT_PATH } from "./training-job";
export { DockerPlatform, type DockerPlatformArgs } from "./platform";
export { Gateway, type GatewayArgs, type GatewayUpstream } from "./gateway";
