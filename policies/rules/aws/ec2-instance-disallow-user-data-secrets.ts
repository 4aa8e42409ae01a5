import { NON_SECRET_ENV_NAMES, isSecretName, secretShapeIn } from "@airlock/baseline";
import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { readScript, readUserData } from "../../lib/user-data";
import { userDataSecretProblems } from "../../lib/user-data-checks";

/** An instance's user data carries no credential. */
export const ec2InstanceDisallowUserDataSecrets: AirlockResourcePolicy = {
    name: "aws-ec2-instance-disallow-user-data-secrets",
    group: "aws",
    resourceType: AWS_TYPES.instance,
    description: "Checks that an EC2 instance's userData (or userDataBase64, gzip included) contains no credential-shaped string, no literal value assigned to a secret-named variable or passed as --env NAME=value, and no literal --api-key, --token or --password.",
    rationale: "User data is readable by anyone allowed to describe the instance's attributes, is kept in the Pulumi state in plain text " +
        "and is visible to every process on the host through the metadata service. Secrets belong in Secrets Manager and are read at " +
        "boot (through the VPC endpoint) into the environment of the one command that needs them.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Remove the credential (and rotate it); store it in Secrets Manager and read it at boot: NAME=\"$(aws secretsmanager get-secret-value --secret-id <name> --query SecretString --output text)\".",
    validateResource: failClosed(validateAwsResource(AWS_TYPES.instance, (_p, args, report) => {
        const ud = readUserData(args.props as Record<string, unknown>, [["userData", "plain"], ["userDataBase64", "base64"]]);
        if (ud.kind === "absent") return;
        if (ud.kind === "unreadable") { report(`${ud.field} ${ud.reason}, so it cannot be checked for credentials: pass a shell script or #cloud-config.`); return; }
        for (const m of userDataSecretProblems(ud.text, readScript(ud.text), isSecretName, secretShapeIn, NON_SECRET_ENV_NAMES)) report(m);
    })),
};
