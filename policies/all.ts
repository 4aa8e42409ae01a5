/**
 * Every policy of the pack, grouped as in `rules/`. Tests, the docs generator and `index.ts` import this
 * module; nothing here starts the analyzer server.
 */
import type { AirlockPolicy } from "./lib/types";
import { containerRequireAllowedRegistry } from "./rules/images/container-require-allowed-registry";
import { containerRequirePinnedImage } from "./rules/images/container-require-pinned-image";
import { containerRequireResolvableImage } from "./rules/images/container-require-resolvable-image";
import { remoteImageRequireAllowedRegistry } from "./rules/images/remote-image-require-allowed-registry";
import { remoteImageRequirePinnedImage } from "./rules/images/remote-image-require-pinned-image";
import { buildxBuilderDisallowHostNetwork } from "./rules/network/buildx-builder-disallow-host-network";
import { containerRequireDeclaredVolumes } from "./rules/network/container-require-declared-volumes";
import { containerRequireInternalNetwork } from "./rules/network/container-require-internal-network";
import { containerRestrictLogDriver } from "./rules/network/container-restrict-log-driver";
import { containerVerifyRoleClaim } from "./rules/network/container-verify-role-claim";
import { volumeDisallowRemoteStorage } from "./rules/network/volume-disallow-remote-storage";
import { containerRestrictPublishedPorts } from "./rules/network/container-restrict-published-ports";
import { containerRequireOfflineEnv } from "./rules/offline/container-require-offline-env";
import { containerRequirePinnedModel } from "./rules/offline/container-require-pinned-model";
import { containerRequireTelemetryOff } from "./rules/offline/container-require-telemetry-off";
import { containerRequireVerifiableConfig } from "./rules/offline/container-require-verifiable-config";
import { containerRestrictTrustRemoteCode } from "./rules/offline/container-restrict-trust-remote-code";
import { containerDisallowHostDevices } from "./rules/sandbox/container-disallow-host-devices";
import { containerDisallowHostNamespaces } from "./rules/sandbox/container-disallow-host-namespaces";
import { containerDisallowPrivileged } from "./rules/sandbox/container-disallow-privileged";
import { containerDisallowSensitiveHostMounts } from "./rules/sandbox/container-disallow-sensitive-host-mounts";
import { containerDisallowUnconfinedProfiles } from "./rules/sandbox/container-disallow-unconfined-profiles";
import { containerDisallowVllmDangerousModes } from "./rules/sandbox/container-disallow-vllm-dangerous-modes";
import { containerDropAllCapabilities } from "./rules/sandbox/container-drop-all-capabilities";
import { containerRequireNoNewPrivileges } from "./rules/sandbox/container-require-no-new-privileges";
import { containerRequireNonRootUser } from "./rules/sandbox/container-require-non-root-user";
import { containerRequirePidsLimit } from "./rules/sandbox/container-require-pids-limit";
import { containerRequireReadOnlyModelVolumes } from "./rules/sandbox/container-require-read-only-model-volumes";
import { containerRequireReadOnlyRootFilesystem } from "./rules/sandbox/container-require-read-only-root-filesystem";
import { containerRequireResourceLimits } from "./rules/sandbox/container-require-resource-limits";
import { containerRestrictRuntimeSettings } from "./rules/sandbox/container-restrict-runtime-settings";
import { pluginDisallowBroadPermissions } from "./rules/sandbox/plugin-disallow-broad-permissions";
import { serviceDisallowSwarm } from "./rules/sandbox/service-disallow-swarm";
import { volumeDisallowHostBind } from "./rules/sandbox/volume-disallow-host-bind";
import { containerDisallowLiteralSecrets } from "./rules/secrets/container-disallow-literal-secrets";
import { containerRequireSecretEnvProtection } from "./rules/secrets/container-require-secret-env-protection";
import { containerRequireVllmApiKey } from "./rules/secrets/container-require-vllm-api-key";
import { helmReleaseDisallowOpaque } from "./rules/kubernetes/helm-release-disallow-opaque";
import { ingressDisallowExternalExposure } from "./rules/kubernetes/ingress-disallow-external-exposure";
import { namespaceRequireDefaultDeny } from "./rules/kubernetes/namespace-require-default-deny";
import { namespaceRequireRestrictedPodSecurity } from "./rules/kubernetes/namespace-require-restricted-pod-security";
import { networkPolicyRestrictEgress } from "./rules/kubernetes/network-policy-restrict-egress";
import { networkPolicyRestrictIngress } from "./rules/kubernetes/network-policy-restrict-ingress";
import { patchDisallowCheckedKinds } from "./rules/kubernetes/patch-disallow-checked-kinds";
import { podDisallowHostNamespaces } from "./rules/kubernetes/pod-disallow-host-namespaces";
import { podDisallowLiteralSecrets } from "./rules/kubernetes/pod-disallow-literal-secrets";
import { podDisallowPrivileged } from "./rules/kubernetes/pod-disallow-privileged";
import { podDisallowServiceAccountToken } from "./rules/kubernetes/pod-disallow-service-account-token";
import { podDisallowSystemNamespace } from "./rules/kubernetes/pod-disallow-system-namespace";
import { podDisallowUnconfinedProfiles } from "./rules/kubernetes/pod-disallow-unconfined-profiles";
import { podDropAllCapabilities } from "./rules/kubernetes/pod-drop-all-capabilities";
import { podRequireAllowedRegistry } from "./rules/kubernetes/pod-require-allowed-registry";
import { podRequireGpuHygiene } from "./rules/kubernetes/pod-require-gpu-hygiene";
import { podRequireNoPrivilegeEscalation } from "./rules/kubernetes/pod-require-no-privilege-escalation";
import { podRequireNonRoot } from "./rules/kubernetes/pod-require-non-root";
import { podRequireOfflineEnv } from "./rules/kubernetes/pod-require-offline-env";
import { podRequirePinnedImage } from "./rules/kubernetes/pod-require-pinned-image";
import { podRequireReadOnlyModelVolumes } from "./rules/kubernetes/pod-require-read-only-model-volumes";
import { podRequireReadOnlyRootFilesystem } from "./rules/kubernetes/pod-require-read-only-root-filesystem";
import { podRequireResourceLimits } from "./rules/kubernetes/pod-require-resource-limits";
import { podRequireTelemetryOff } from "./rules/kubernetes/pod-require-telemetry-off";
import { podRequireVllmApiKey } from "./rules/kubernetes/pod-require-vllm-api-key";
import { podRestrictVolumeTypes } from "./rules/kubernetes/pod-restrict-volume-types";
import { podVerifyRoleClaim } from "./rules/kubernetes/pod-verify-role-claim";
import { serviceDisallowExternalExposure } from "./rules/kubernetes/service-disallow-external-exposure";
import { endpointRestrictScalingBounds } from "./rules/runpod/endpoint-restrict-scaling-bounds";
import { templateDisallowPublic } from "./rules/runpod/template-disallow-public";
import { templateDisallowSshJupyter } from "./rules/runpod/template-disallow-ssh-jupyter";
import { templateRequireAllowedRegistry } from "./rules/runpod/template-require-allowed-registry";
import { templateRequireLocalModel } from "./rules/runpod/template-require-local-model";
import { templateRequireOfflineEnv } from "./rules/runpod/template-require-offline-env";
import { templateRequirePinnedImage } from "./rules/runpod/template-require-pinned-image";
import { templateRequireSecretReferences } from "./rules/runpod/template-require-secret-references";
import { templateRequireTelemetryOff } from "./rules/runpod/template-require-telemetry-off";
import { templateRestrictExposedPorts } from "./rules/runpod/template-restrict-exposed-ports";
import { templateRestrictTrustRemoteCode } from "./rules/runpod/template-restrict-trust-remote-code";
import { ec2InstanceRequireImdsv2 } from "./rules/aws/ec2-instance-require-imdsv2";
import { ec2LaunchTemplateRequireImdsv2 } from "./rules/aws/ec2-launch-template-require-imdsv2";
import { ec2InstanceDisallowPublicIp } from "./rules/aws/ec2-instance-disallow-public-ip";
import { ec2LaunchTemplateDisallowPublicIp } from "./rules/aws/ec2-launch-template-disallow-public-ip";
import { ec2InstanceRequireEncryptedVolumes } from "./rules/aws/ec2-instance-require-encrypted-volumes";
import { ec2LaunchTemplateRequireEncryptedVolumes } from "./rules/aws/ec2-launch-template-require-encrypted-volumes";
import { ebsVolumeRequireEncryption } from "./rules/aws/ebs-volume-require-encryption";
import { ec2SubnetDisallowAutoPublicIp } from "./rules/aws/ec2-subnet-disallow-auto-public-ip";
import { ec2SecurityGroupDisallowPublicIngress } from "./rules/aws/ec2-security-group-disallow-public-ingress";
import { ec2SecurityGroupRuleDisallowPublicIngress } from "./rules/aws/ec2-security-group-rule-disallow-public-ingress";
import { vpcSecurityGroupIngressRuleDisallowPublicIngress } from "./rules/aws/vpc-security-group-ingress-rule-disallow-public-ingress";
import { ec2InstanceDisallowOpenEgress } from "./rules/aws/ec2-instance-disallow-open-egress";
import { ec2SubnetDisallowInternetRoute } from "./rules/aws/ec2-subnet-disallow-internet-route";
import { ec2VpcRequireEndpoints } from "./rules/aws/ec2-vpc-require-endpoints";
import { ecrRepositoryRequireImmutableTags } from "./rules/aws/ecr-repository-require-immutable-tags";
import { ecrRepositoryRequireScanOnPush } from "./rules/aws/ecr-repository-require-scan-on-push";
import { ecrRepositoryRequireKmsEncryption } from "./rules/aws/ecr-repository-require-kms-encryption";
import { ecrRepositoryPolicyDisallowPublicAccess } from "./rules/aws/ecr-repository-policy-disallow-public-access";
import { secretsmanagerSecretRequireCustomerManagedKey } from "./rules/aws/secretsmanager-secret-require-customer-managed-key";
import { kmsKeyRequireRotation } from "./rules/aws/kms-key-require-rotation";
import { iamPolicyDisallowWildcardAdmin } from "./rules/aws/iam-policy-disallow-wildcard-admin";
import { ec2InstanceDisallowUserDataSecrets } from "./rules/aws/ec2-instance-disallow-user-data-secrets";
import { ec2LaunchTemplateDisallowUserDataSecrets } from "./rules/aws/ec2-launch-template-disallow-user-data-secrets";
import { ec2InstanceRequireSealedUserData } from "./rules/aws/ec2-instance-require-sealed-user-data";
import { ec2LaunchTemplateRequireSealedUserData } from "./rules/aws/ec2-launch-template-require-sealed-user-data";
import { stackRequireVisibleComponents } from "./rules/aws/stack-require-visible-components";

export const allPolicies: AirlockPolicy[] = [
    // network
    containerRequireInternalNetwork,
    containerVerifyRoleClaim,
    containerRestrictPublishedPorts,
    containerRestrictLogDriver,
    containerRequireDeclaredVolumes,
    volumeDisallowRemoteStorage,
    buildxBuilderDisallowHostNetwork,
    // offline
    containerRequireOfflineEnv,
    containerRequireTelemetryOff,
    containerRequirePinnedModel,
    containerRestrictTrustRemoteCode,
    containerRequireVerifiableConfig,
    // secrets
    containerDisallowLiteralSecrets,
    containerRequireSecretEnvProtection,
    containerRequireVllmApiKey,
    // images
    containerRequirePinnedImage,
    containerRequireAllowedRegistry,
    containerRequireResolvableImage,
    remoteImageRequirePinnedImage,
    remoteImageRequireAllowedRegistry,
    // sandbox
    containerDisallowPrivileged,
    containerDropAllCapabilities,
    containerRequireNoNewPrivileges,
    containerDisallowUnconfinedProfiles,
    containerRequireResourceLimits,
    containerRequirePidsLimit,
    containerDisallowSensitiveHostMounts,
    containerDisallowHostNamespaces,
    containerDisallowHostDevices,
    containerRequireReadOnlyModelVolumes,
    containerRequireReadOnlyRootFilesystem,
    containerRequireNonRootUser,
    containerDisallowVllmDangerousModes,
    containerRestrictRuntimeSettings,
    volumeDisallowHostBind,
    serviceDisallowSwarm,
    pluginDisallowBroadPermissions,
    // kubernetes
    podDisallowPrivileged,
    podRequireNoPrivilegeEscalation,
    podDropAllCapabilities,
    podDisallowUnconfinedProfiles,
    podRequireNonRoot,
    podRequireReadOnlyRootFilesystem,
    podRequireResourceLimits,
    podDisallowHostNamespaces,
    podRestrictVolumeTypes,
    podRequireReadOnlyModelVolumes,
    podDisallowServiceAccountToken,
    podVerifyRoleClaim,
    podRequireOfflineEnv,
    podRequireTelemetryOff,
    podDisallowLiteralSecrets,
    podRequireVllmApiKey,
    podRequirePinnedImage,
    podRequireAllowedRegistry,
    podRequireGpuHygiene,
    podDisallowSystemNamespace,
    namespaceRequireDefaultDeny,
    namespaceRequireRestrictedPodSecurity,
    networkPolicyRestrictEgress,
    networkPolicyRestrictIngress,
    serviceDisallowExternalExposure,
    ingressDisallowExternalExposure,
    helmReleaseDisallowOpaque,
    patchDisallowCheckedKinds,
    // runpod
    templateDisallowPublic,
    templateDisallowSshJupyter,
    templateRestrictExposedPorts,
    templateRequireSecretReferences,
    templateRequirePinnedImage,
    templateRequireAllowedRegistry,
    templateRequireOfflineEnv,
    templateRequireTelemetryOff,
    templateRequireLocalModel,
    templateRestrictTrustRemoteCode,
    endpointRestrictScalingBounds,
    // aws
    ec2InstanceRequireImdsv2,
    ec2LaunchTemplateRequireImdsv2,
    ec2InstanceDisallowPublicIp,
    ec2LaunchTemplateDisallowPublicIp,
    ec2InstanceRequireEncryptedVolumes,
    ec2LaunchTemplateRequireEncryptedVolumes,
    ebsVolumeRequireEncryption,
    ec2SubnetDisallowAutoPublicIp,
    ec2SecurityGroupDisallowPublicIngress,
    ec2SecurityGroupRuleDisallowPublicIngress,
    vpcSecurityGroupIngressRuleDisallowPublicIngress,
    ec2InstanceDisallowOpenEgress,
    ec2SubnetDisallowInternetRoute,
    ec2VpcRequireEndpoints,
    ecrRepositoryRequireImmutableTags,
    ecrRepositoryRequireScanOnPush,
    ecrRepositoryRequireKmsEncryption,
    ecrRepositoryPolicyDisallowPublicAccess,
    secretsmanagerSecretRequireCustomerManagedKey,
    kmsKeyRequireRotation,
    iamPolicyDisallowWildcardAdmin,
    ec2InstanceDisallowUserDataSecrets,
    ec2LaunchTemplateDisallowUserDataSecrets,
    ec2InstanceRequireSealedUserData,
    ec2LaunchTemplateRequireSealedUserData,
    stackRequireVisibleComponents,
];

/** The pack's name and default enforcement level (index.ts and the test harness share them). */
export const PACK_NAME = "airlock";
export const PACK_ENFORCEMENT_LEVEL = "mandatory" as const;
export const PACK_DESCRIPTION =
    "Airlock: LLM workloads that cannot leak — internal-only networks, offline serving, no plaintext secrets, digest-pinned images, sandboxed containers.";
