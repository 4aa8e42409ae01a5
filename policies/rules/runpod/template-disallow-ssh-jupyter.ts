import { failClosed } from "../../lib/fail-closed";
import { DYNAMIC_RESOURCE_TYPE, RUNPOD_KINDS, validateDynamicResourceOfKind } from "../../lib/dynamic";
import type { AirlockResourcePolicy } from "../../lib/types";

const SSH_PORTS = ["22/tcp"];
const JUPYTER_PORTS = ["8888/http"];

/** No SSH and no Jupyter: RunPod templates start both unless told otherwise. */
export const templateDisallowSshJupyter: AirlockResourcePolicy = {
    name: "runpod-template-disallow-ssh-jupyter",
    group: "runpod",
    resourceType: DYNAMIC_RESOURCE_TYPE,
    description: "Checks that a RunPod endpoint's template sets startSsh and startJupyter to false (unset means RunPod's default, true) and exposes neither 22/tcp nor 8888/http.",
    rationale: "RunPod templates default startSsh and startJupyter to true: containers then get the account's SSH keys (PUBLIC_KEY) and a " +
        "generated JUPYTER_PASSWORD, and RunPod's images start sshd and JupyterLab. Either is an interactive way into a worker that " +
        "holds the model and the requests, outside the endpoint's API.",
    enforcementLevel: "mandatory",
    severity: "critical",
    remediationSteps: "Send startSsh: false and startJupyter: false explicitly (absent means true) and remove 22/tcp and 8888/http from ports.",
    validateResource: failClosed(validateDynamicResourceOfKind([RUNPOD_KINDS.endpoint], (p, _args, report) => {
        for (const [field, what] of [["startSsh", "SSH access (the account's keys as PUBLIC_KEY)"], ["startJupyter", "JupyterLab (JUPYTER_PASSWORD)"]] as const) {
            const v = p[field];
            if (v === undefined) report(`${field} is unset, and RunPod's default is true, which provisions ${what} in every worker: set ${field}: false.`);
            else if (v !== false) report(`${field} is ${JSON.stringify(v)}, which provisions ${what} in every worker: set ${field}: false.`);
        }
        const ports = Array.isArray(p.ports) ? (p.ports as unknown[]).map(String) : [];
        ports.forEach((port, i) => {
            if (SSH_PORTS.includes(port)) report(`ports[${i}] "${port}" exposes SSH: remove it.`);
            if (JUPYTER_PORTS.includes(port)) report(`ports[${i}] "${port}" exposes JupyterLab: remove it.`);
        });
    })),
};
