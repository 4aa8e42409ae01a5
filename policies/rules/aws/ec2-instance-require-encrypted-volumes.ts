import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { encryptionProblem } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** An instance's root and EBS volumes are encrypted. */
export const ec2InstanceRequireEncryptedVolumes: AirlockResourcePolicy = {
    name: "aws-ec2-instance-require-encrypted-volumes",
    group: "aws",
    resourceType: AWS_TYPES.instance,
    description: "Checks that an EC2 instance declares its root volume with encrypted: true and sets encrypted: true on every ebsBlockDevices entry.",
    rationale: "The volumes hold the model weights, the container images and whatever the server wrote; an unencrypted volume or a " +
        "snapshot of it is readable by anyone who obtains it. Without rootBlockDevice the root volume is created from the AMI's " +
        "snapshot, unencrypted unless that snapshot is or the account encrypts EBS by default — neither is visible to the pack.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set rootBlockDevice: { encrypted: true, kmsKeyId: <key ARN> } and encrypted: true (with kmsKeyId) on every ebsBlockDevices entry.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.instance, (_p, args, report) => {
        const props = args.props as { rootBlockDevice?: { encrypted?: unknown }; ebsBlockDevices?: { encrypted?: unknown; deviceName?: unknown }[] };
        if (props.rootBlockDevice === undefined) {
            report("rootBlockDevice is unset, so the root volume is created from the AMI's snapshot, unencrypted unless the snapshot is encrypted or the account encrypts EBS by default: set rootBlockDevice { encrypted: true, kmsKeyId }.");
        } else {
            const p = encryptionProblem("rootBlockDevice.encrypted", props.rootBlockDevice.encrypted, "the root volume");
            if (p) report(p);
        }
        (props.ebsBlockDevices ?? []).forEach((d, i) => {
            const p = encryptionProblem(`ebsBlockDevices[${i}].encrypted`, d.encrypted, `volume ${String(d.deviceName ?? i)}`);
            if (p) report(p);
        });
    })),
};
