import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { publicIpProblem } from "../../lib/ec2";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Launch templates' network interfaces state associatePublicIpAddress "false". */
export const ec2LaunchTemplateDisallowPublicIp: AirlockResourcePolicy = {
    name: "aws-ec2-launch-template-disallow-public-ip",
    group: "aws",
    resourceType: AWS_TYPES.launchTemplate,
    description: "Checks that every network interface of an EC2 launch template sets associatePublicIpAddress to \"false\" explicitly.",
    rationale: "Instances launched from the template get the addresses its network interfaces ask for; unset, the subnet's " +
        "mapPublicIpOnLaunch decides. A template without network interfaces assigns nothing itself: the instance that launches from " +
        "it states associatePublicIpAddress (aws-ec2-instance-disallow-public-ip) and an auto scaling group's subnets must not map " +
        "public addresses (aws-ec2-subnet-disallow-auto-public-ip).",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Set networkInterfaces[].associatePublicIpAddress: \"false\" on every interface of the launch template.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.launchTemplate, (_p, args, report) => {
        const nis = (args.props as { networkInterfaces?: { associatePublicIpAddress?: unknown }[] }).networkInterfaces ?? [];
        nis.forEach((ni, i) => {
            const p = publicIpProblem(`networkInterfaces[${i}].associatePublicIpAddress`, ni.associatePublicIpAddress, "each instance launched from the template");
            if (p) report(p);
        });
    })),
};
