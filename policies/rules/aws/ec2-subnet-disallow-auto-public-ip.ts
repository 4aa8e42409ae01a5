import { AWS_TYPES, isTrue, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** Subnets do not hand out public addresses. */
export const ec2SubnetDisallowAutoPublicIp: AirlockResourcePolicy = {
    name: "aws-ec2-subnet-disallow-auto-public-ip",
    group: "aws",
    resourceType: AWS_TYPES.subnet,
    description: "Checks that a subnet does not set mapPublicIpOnLaunch or assignIpv6AddressOnCreation to true.",
    rationale: "With mapPublicIpOnLaunch every instance launched without an explicit choice (an auto scaling group, a console launch) " +
        "gets a public IPv4 address; assignIpv6AddressOnCreation gives it a globally routable IPv6 address. Unset, both are false.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: "Remove mapPublicIpOnLaunch and assignIpv6AddressOnCreation (or set them to false); a NAT gateway needs no public subnet mapping (it uses an Elastic IP).",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.subnet, (_p, args, report) => {
        const props = args.props as { mapPublicIpOnLaunch?: unknown; assignIpv6AddressOnCreation?: unknown };
        if (isTrue(props.mapPublicIpOnLaunch)) report("mapPublicIpOnLaunch is true, so instances launched here get a public IPv4 address unless they opt out: set it to false.");
        if (isTrue(props.assignIpv6AddressOnCreation)) report("assignIpv6AddressOnCreation is true, so instances launched here get a globally routable IPv6 address: set it to false.");
    })),
};
