/**
 * The EC2 checks instances and launch templates share: metadata options, public addresses, volume encryption and
 * security-group rule sources. Absent settings are read as EC2 applies them (the AMI's or the subnet's default),
 * which is never the sealed setting.
 */
import { internetWideReason, isFalse, isTrue } from "./aws";

interface MetadataOptions {
    readonly httpEndpoint?: unknown;
    readonly httpTokens?: unknown;
    readonly httpPutResponseHopLimit?: unknown;
}

/** Why metadata options leave IMDSv1 on or let a container reach IMDS (`what`: "the instance", "instances launched from it"). */
export function metadataProblems(mo: MetadataOptions | undefined, what: string): string[] {
    if (mo === undefined || mo === null) {
        return [`metadataOptions is unset, so the AMI's defaults apply to ${what}: IMDSv1 stays on unless the AMI declares ImdsSupport v2.0, ` +
            "and such AMIs set a hop limit of 2, which lets containers reach the instance role's credentials: set metadataOptions " +
            "{ httpTokens: \"required\", httpPutResponseHopLimit: 1 }."];
    }
    if (mo.httpEndpoint === "disabled") return [];
    const out: string[] = [];
    if (mo.httpTokens === undefined) {
        out.push(`metadataOptions.httpTokens is unset, so ${what} may answer IMDSv1 requests (no session token; the AMI and account defaults decide): set httpTokens: "required".`);
    } else if (mo.httpTokens !== "required") {
        out.push(`metadataOptions.httpTokens is ${JSON.stringify(mo.httpTokens)}, which leaves IMDSv1 on: an SSRF in the model server can read the instance role's credentials: set httpTokens: "required".`);
    }
    const hops = mo.httpPutResponseHopLimit;
    if (hops === undefined) {
        out.push(`metadataOptions.httpPutResponseHopLimit is unset, so the AMI's default applies (2 for ImdsSupport v2.0 AMIs) and a container on ${what} can fetch IMDS tokens: set httpPutResponseHopLimit: 1.`);
    } else if (hops !== 1) {
        out.push(`metadataOptions.httpPutResponseHopLimit is ${JSON.stringify(hops)}, so IMDS tokens travel past the host into containers: set httpPutResponseHopLimit: 1.`);
    }
    return out;
}

/** Why an `encrypted` flag of `field` does not make the volume encrypted, or undefined. */
export function encryptionProblem(field: string, encrypted: unknown, what: string): string | undefined {
    if (isTrue(encrypted)) return undefined;
    if (encrypted === undefined) return `${field} is unset, so ${what} is created unencrypted unless its snapshot is encrypted or the account encrypts EBS by default: set it to true (with the enclave's KMS key).`;
    return `${field} is ${JSON.stringify(encrypted)}: ${what} is stored unencrypted: set it to true (with the enclave's KMS key).`;
}

/** Why an `associatePublicIpAddress` value may give a public address, or undefined for an explicit false. */
export function publicIpProblem(field: string, value: unknown, what: string): string | undefined {
    if (isFalse(value)) return undefined;
    if (value === undefined) return `${field} is unset, so the subnet decides whether ${what} has a public address (its mapPublicIpOnLaunch; default subnets map them): set it to false explicitly.`;
    return `${field} is ${JSON.stringify(value)}, which gives ${what} a public address reachable from the internet: set it to false.`;
}

/** Ports a rule opens: `[from, to]`, all ports for protocol "-1"/"all". */
export function portRange(protocol: unknown, from: unknown, to: unknown): [number, number] | undefined {
    const p = String(protocol ?? "").toLowerCase();
    if (p === "-1" || p === "all") return [0, 65535];
    if (p !== "tcp" && p !== "6") return undefined;
    const f = typeof from === "number" ? from : 0;
    const t = typeof to === "number" ? to : 65535;
    return [f, t];
}

/**
 * Problems of one ingress rule (`entry`, e.g. "ingress[0]"): each internet-wide source CIDR (`sources`: field name →
 * CIDR), and port 22 opened to any source at all (Session Manager replaces SSH).
 */
export function ingressProblems(entry: string, sources: readonly (readonly [string, unknown])[], ports: [number, number] | undefined): string[] {
    const out: string[] = [];
    for (const [field, cidr] of sources) {
        const reason = internetWideReason(String(cidr));
        if (reason) out.push(`${field} ${JSON.stringify(String(cidr))} admits ${reason}: admit the gateway's CIDR or security group only.`);
    }
    if (ports !== undefined && ports[0] <= 22 && ports[1] >= 22) {
        out.push(`${entry} opens port 22 (SSH${ports[0] === 0 && ports[1] === 65535 ? ", with every other port" : ""}): admit the service port only and reach instances through SSM Session Manager.`);
    }
    return out;
}
