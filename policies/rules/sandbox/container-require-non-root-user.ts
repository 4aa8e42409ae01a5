import * as docker from "@pulumi/docker";
import { validateResourceOfType } from "@pulumi/policy";
import { WORKLOAD_USER, nonRootUserProblem } from "@airlock/baseline";
import { DOCKER_TYPES } from "../../lib/docker-types";
import { failClosed } from "../../lib/fail-closed";
import type { AirlockResourcePolicy } from "../../lib/types";
import { classify, describeWorkload, mayRunAsRoot } from "../../lib/workload";

/** Supplementary groups that hand out root-equivalent access (group 0, the Docker socket's group, raw disks). */
const PRIVILEGED_GROUPS = ["0", "root", "docker", "disk", "shadow", "sudo", "wheel", "adm", "kmem"];

/** Every container except a verified one-shot role runs as a numeric non-root user outside privileged groups. */
export const containerRequireNonRootUser: AirlockResourcePolicy = {
    name: "docker-container-require-non-root-user",
    group: "sandbox",
    resourceType: DOCKER_TYPES.container,
    description: "Checks that every container except a verified model-staging or volume-init one sets user to a numeric non-zero uid with a non-zero gid (any spelling of 0 is root; names cannot be verified), and adds no privileged group (groupAdds).",
    rationale: "Most model images, including vllm/vllm-openai, run as root by default; root inside the container turns a kernel or " +
        "runtime bug into host compromise. The runtime parses a numeric user like Go's Atoi, so \"00\" or \"+0\" is uid 0; a user " +
        "or group name is resolved in the image's /etc/passwd, which the pack cannot read (Kubernetes' runAsNonRoot rejects " +
        "names for the same reason); group 0 owns root-only files. Model-staging and volume-init containers may run as root with " +
        "every capability dropped, because the fresh volumes they fill are root-owned.",
    enforcementLevel: "mandatory",
    severity: "high",
    remediationSteps: `Set user to a numeric unprivileged uid:gid such as "${WORKLOAD_USER}", remove privileged groups from groupAdds, ` +
        "and keep writable paths on tmpfs or volumes it owns.",
    validateResource: failClosed(validateResourceOfType(docker.Container, (c, _args, report) => {
        const groups = (c.groupAdds ?? []).map(String).filter((g) => PRIVILEGED_GROUPS.includes(g.trim()) || /^[+-]?0+$/.test(g.trim()));
        for (const g of groups) {
            report(`groupAdds adds "${g}", a group with root-equivalent access: remove it.`);
        }
        const w = classify(c);
        if (mayRunAsRoot(w)) return;
        const problem = nonRootUserProblem(c.user);
        if (problem !== undefined) {
            report(`user ${problem}: this ${describeWorkload(w)} must not run as root — set user to a numeric non-root uid:gid such as "${WORKLOAD_USER}".`);
        }
    })),
};
