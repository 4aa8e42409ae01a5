import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";

/** ECR repositories scan every pushed image. */
export const ecrRepositoryRequireScanOnPush: AirlockResourcePolicy = {
    name: "aws-ecr-repository-require-scan-on-push",
    group: "aws",
    resourceType: AWS_TYPES.ecrRepository,
    description: "Checks that an ECR repository sets imageScanningConfiguration.scanOnPush to true.",
    rationale: "Serving images are large (CUDA, Python, the model server) and pull in many packages; a scan on push reports known " +
        "vulnerabilities before an image is pinned. Unset, ECR does not scan.",
    enforcementLevel: "mandatory",
    severity: "medium",
    remediationSteps: "Set imageScanningConfiguration: { scanOnPush: true }.",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.ecrRepository, (_p, args, report) => {
        const c = (args.props as { imageScanningConfiguration?: { scanOnPush?: unknown } }).imageScanningConfiguration;
        if (c === undefined) report("imageScanningConfiguration is unset, so pushed images are not scanned: set imageScanningConfiguration: { scanOnPush: true }.");
        else if (c.scanOnPush !== true) report(`imageScanningConfiguration.scanOnPush is ${JSON.stringify(c.scanOnPush)}, so pushed images are not scanned: set it to true.`);
    })),
};
