import { AWS_TYPES, validateAwsResource } from "../../lib/aws";
import { configSchemaFor, readConfig } from "../../lib/config";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { readScript, readUserData } from "../../lib/user-data";
import { sealedUserDataProblems } from "../../lib/user-data-checks";

const NAME = "aws-ec2-launch-template-require-sealed-user-data";

/** What a launch template's user data starts follows the serving baseline. */
export const ec2LaunchTemplateRequireSealedUserData: AirlockResourcePolicy = {
    name: NAME,
    group: "aws",
    resourceType: AWS_TYPES.launchTemplate,
    description: "Checks that every container an EC2 launch template's user data (base64) starts (docker/podman/nerdctl run, read as a shell line) and every model server it starts on the host is offline (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE, HF_DATASETS_OFFLINE), has telemetry off, serves a local model path, runs --trust-remote-code only for allow-listed models, takes its API key from the environment (never argv), uses a digest-pinned image from an allowed registry, and publishes no port on every interface.",
    rationale: "On EC2 the serving baseline lives in the user data's command lines. The script is parsed the way the shell splits it " +
        "(quotes, escapes, continuations, here-documents) and each launch is read with the Docker CLI's own option rules, so a flag " +
        "cannot hide behind quoting or spelling; switches are read as huggingface_hub and vLLM read them. What the pack cannot read — " +
        "values computed at run time, --env-file, compose files, launches inside here-documents or eval — is a violation. A port " +
        "published without an address (or on 0.0.0.0/::) listens on every interface of the host; publish it on the instance's own " +
        "address, which its security group guards. A verified model download (`hf download` at a pinned revision) may use the hub.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Run the server as the Airlock InferenceServer does: --env HF_HUB_OFFLINE=1 (and the other switches), the local " +
        "model path under /models, --env VLLM_API_KEY read from Secrets Manager at boot, the image by digest from the private registry, " +
        "and --publish <instance address>:<port>:<port>; write every value literally.",
    configSchema: configSchemaFor("allowedModelRoots", "trustRemoteCodeAllowlist", "allowedRegistries", "allowedRegistryPatterns"),
    validateResource: failClosed(validateAwsResource(AWS_TYPES.launchTemplate, (_p, args, report) => {
        const ud = readUserData(args.props as Record<string, unknown>, [["userData", "base64"]]);
        if (ud.kind === "absent") return;
        if (ud.kind === "unreadable") { report(`${ud.field} ${ud.reason}, so what it starts cannot be verified: pass a shell script or #cloud-config.`); return; }
        const cfg = readConfig(args, NAME, "allowedModelRoots", "trustRemoteCodeAllowlist", "allowedRegistries", "allowedRegistryPatterns");
        for (const m of sealedUserDataProblems(readScript(ud.text), cfg)) report(m);
    })),
};
