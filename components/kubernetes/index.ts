export { Enclave, type EnclaveArgs, type PodPeer, type SecretKey } from "./enclave";
export { ModelStore, type ModelStoreArgs, type ModelVolume, stagedName } from "./model-store";
export { InferenceServer, type InferenceServerArgs } from "./inference-server";
export { TrainingJob, type TrainingJobArgs, OUTPUT_PATH } from "./training-job";
export { KubernetesPlatform, type KubernetesPlatformArgs } from "./platform";
