export { Enclave, type EnclaveArgs, INTERFACE_ENDPOINTS, STAGING_ROLE } from "./enclave";
export { ModelStore, type ModelStoreArgs, type StagingArgs } from "./model-store";
export { InferenceServer, type InferenceServerArgs, type ServingSubnet } from "./inference-server";
export { AwsPlatform, type AwsPlatformArgs } from "./platform";
export { inferenceUserData, stagingUserData, modelPrefix, STAGED_MARKER } from "./user-data";
