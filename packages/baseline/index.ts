/** The security baseline: pure data and helpers shared by the config, the components and the policy pack. */
export * from "./identifiers";
export * from "./offline-env";
export * from "./model-path";
export * from "./roles";
export * from "./sandbox";
export * from "./docker-hardening";
export * from "./host-paths";
export * from "./consumers";
export * from "./secret-shapes";
export * from "./vllm";
export * from "./model-servers";
export * from "./kubernetes";
export * from "./runpod-worker";
export * from "./aws-instance-types";
export * from "./shell";
export * from "./docker-run";
