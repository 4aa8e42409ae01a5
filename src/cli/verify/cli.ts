/** `airlock verify` command line: arguments, output, exit code (0 sealed, 1 a failed check, 2 unreachable or bad input). */
import { parseArgs } from "node:util";
import { PolicyPackError } from "../analyzer";
import { PlanInputError } from "../project";
import { DockerHostError } from "./engine";
import { DEFAULT_HOST_PORTS, type VerifyOptions, verify, verifyText } from "./index";

export const VERIFY_USAGE = `Usage: airlock verify [options]

Proves a live Docker deployment of a stack is sealed: inspects its containers on the Docker host, probes from
inside them, reports containers on its networks it did not create, and runs the policy pack over what runs.

Options:
  -s, --stack NAME          the stack whose containers to verify (label airlock.dev/stack)   [default: dev]
      --docker-host ADDR    unix:///…, tcp://…, ssh://…   [default: DOCKER_HOST, else the stack's docker:host]
      --canary HOST:PORT    an address outside the enclave that answers TCP; no sealed container may reach it
      --host-ports LIST     ports probed on the host's address of each network   [default: ${DEFAULT_HOST_PORTS.join(",")}]
      --allowed-bind-ip IP  a host IP published ports may bind to (repeatable)   [default: 127.0.0.1]
      --format text|json    output format   [default: text]
      --policy-pack DIR     the pack run over the live state   [default: policies/]
      --policy-config FILE  its config   [default: policies/config/STACK.json]
      --no-policy           do not run the pack
  -h, --help                show this help

Exit codes: 0 every check passed, 1 a check failed, 2 the Docker host cannot be reached or bad arguments.`;

export function parseVerifyArgs(argv: string[]): (Omit<VerifyOptions, "progress"> & { format: "text" | "json" }) | "help" {
    const { values, positionals } = parseArgs({
        args: argv, allowPositionals: true,
        options: {
            "stack": { type: "string", short: "s", default: "dev" },
            "docker-host": { type: "string" },
            "canary": { type: "string" },
            "host-ports": { type: "string" },
            "allowed-bind-ip": { type: "string", multiple: true },
            "format": { type: "string", default: "text" },
            "policy-pack": { type: "string" },
            "policy-config": { type: "string" },
            "no-policy": { type: "boolean", default: false },
            "help": { type: "boolean", short: "h", default: false },
        },
    });
    if (values.help) return "help";
    if (positionals.length !== 1 || positionals[0] !== "verify") throw new PlanInputError(`Unknown command ${JSON.stringify(positionals.join(" "))}.\n\n${VERIFY_USAGE}`);
    if (values.format !== "text" && values.format !== "json") throw new PlanInputError(`--format must be text or json, got ${JSON.stringify(values.format)}.`);
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(values.stack!)) throw new PlanInputError(`--stack must be a stack name, got ${JSON.stringify(values.stack)}.`);
    let canary: VerifyOptions["canary"];
    if (values.canary !== undefined) {
        const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(values.canary);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new PlanInputError(`--canary must be HOST:PORT, got ${JSON.stringify(values.canary)}.`);
        canary = { host: m[1]!.replace(/^\[|\]$/g, ""), port: Number(m[2]) };
    }
    const hostPorts = values["host-ports"] === undefined ? [...DEFAULT_HOST_PORTS] : values["host-ports"].split(",").filter(Boolean).map(Number);
    if (hostPorts.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) throw new PlanInputError(`--host-ports must be a comma-separated list of ports, got ${JSON.stringify(values["host-ports"])}.`);
    if (values["no-policy"] && (values["policy-pack"] || values["policy-config"])) throw new PlanInputError("--no-policy cannot be combined with --policy-pack or --policy-config.");
    return {
        stack: values.stack!, format: values.format, hostPorts, allowedBindIps: values["allowed-bind-ip"] ?? ["127.0.0.1"],
        policy: !values["no-policy"], ...(values["docker-host"] ? { dockerHost: values["docker-host"] } : {}), ...(canary ? { canary } : {}),
        ...(values["policy-pack"] ? { policyPack: values["policy-pack"] } : {}), ...(values["policy-config"] ? { policyConfig: values["policy-config"] } : {}),
    };
}

/** Runs `airlock verify`; returns the exit code. */
export async function verifyMain(argv: string[], root: string): Promise<number> {
    let o: ReturnType<typeof parseVerifyArgs>;
    try {
        o = parseVerifyArgs(argv);
    } catch (e) {
        process.stderr.write(`error: ${(e as Error).message}\n`);
        return 2;
    }
    if (o === "help") { process.stdout.write(`${VERIFY_USAGE}\n`); return 0; }
    try {
        const report = await verify({ ...o, progress: (line) => process.stderr.write(`verify: ${line}\n`) }, root);
        process.stdout.write(`${o.format === "json" ? JSON.stringify(report, null, 2) : verifyText(report)}\n`);
        return report.summary.failed > 0 ? 1 : 0;
    } catch (e) {
        if (e instanceof DockerHostError || e instanceof PlanInputError || e instanceof PolicyPackError) {
            process.stderr.write(`error: ${e.message}\n`);
            return e instanceof PlanInputError && e.message.startsWith("no container") ? 1 : 2;
        }
        process.stderr.write(`error: unexpected failure in airlock verify: ${(e as Error)?.stack ?? String(e)}\n`);
        return 2;
    }
}
