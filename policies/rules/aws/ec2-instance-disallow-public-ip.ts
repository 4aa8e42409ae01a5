import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { publicIpProblem } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Instances state associatePublicIpAddress: false. */
export const ec2InstanceDisallowPublicIp: AirlockResourcePolicy = {
    name: "aws-ec2-instance-disallow-public-ip",
    group: "aws",
    resourceType: AWS_TYPES.instance,
    description: "Checks that an EC2 instance sets associatePublicIpAddress to false explicitly.",
    rationale: "A public address makes the instance reachable from the internet whenever a route and a security group allow it, and " +
        "gives it a path out through an internet gateway. Unset, the subnet decides (mapPublicIpOnLaunch; every default subnet " +
        "maps public addresses), so only an explicit false is verifiable from the instance.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set associatePublicIpAddress: false and launch into a private subnet; reach the instance through a gateway in the VPC and SSM Session Manager.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.instance, (_p, args, report) => {
        const props = args.props as { associatePublicIpAddress?: unknown; networkInterfaces?: unknown[] };
        if (props.associatePublicIpAddress === undefined && (props.networkInterfaces ?? []).length > 0) {
            report("associatePublicIpAddress is unset and the instance attaches network interfaces, whose public addresses (Elastic IPs, the subnet's mapping) cannot be verified from the instance: launch into a subnet with associatePublicIpAddress: false instead.");
            return;
        }
        const p = publicIpProblem("associatePublicIpAddress", props.associatePublicIpAddress, "the instance");
        if (p) report(p);
    })),
};
