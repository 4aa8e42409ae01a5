import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { encryptionProblem } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** A launch template maps its EBS volumes encrypted. */
export const ec2LaunchTemplateRequireEncryptedVolumes: AirlockResourcePolicy = {
    name: "aws-ec2-launch-template-require-encrypted-volumes",
    group: "aws",
    resourceType: AWS_TYPES.launchTemplate,
    description: "Checks that an EC2 launch template declares blockDeviceMappings and sets ebs.encrypted to \"true\" on every EBS mapping.",
    rationale: "Instances launched from the template create the volumes it maps; volumes it does not map (the AMI's root) are created " +
        "from the AMI's snapshots, unencrypted unless those are or the account encrypts EBS by default. Encrypted volumes keep model " +
        "weights and images unreadable outside the instance.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Map the root device and every data volume with ebs: { encrypted: \"true\", kmsKeyId: <key ARN> }.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.launchTemplate, (_p, args, report) => {
        const maps = (args.props as { blockDeviceMappings?: { deviceName?: unknown; ebs?: { encrypted?: unknown }; virtualName?: unknown; noDevice?: unknown }[] }).blockDeviceMappings ?? [];
        if (maps.length === 0) {
            report("blockDeviceMappings is unset, so instances get the AMI's volumes as its snapshots are, unencrypted unless they are encrypted or the account encrypts EBS by default: map the root device with ebs.encrypted \"true\".");
            return;
        }
        maps.forEach((m, i) => {
            if (m.virtualName !== undefined || m.noDevice !== undefined || m.ebs === undefined) return;
            const p = encryptionProblem(`blockDeviceMappings[${i}].ebs.encrypted`, m.ebs.encrypted, `volume ${String(m.deviceName ?? i)}`);
            if (p) report(p);
        });
    })),
};
