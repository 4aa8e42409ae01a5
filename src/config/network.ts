/**
 * IPv4 arithmetic for the AWS enclave: the VPC CIDR is cut into 16 equal subnets (serving subnets 0–5, one per
 * zone; endpoint subnets 6–11; the staging subnet 14 and the NAT's egress subnet 15), and each inference server
 * owns a block of 16 fixed addresses in every serving subnet, so its user data can bind the vLLM port to the
 * instance's own address (never 0.0.0.0). Pure functions, shared by the config checks and the components.
 */

export interface Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly network: number;
    readonly prefix: number;
}

export function ipv4ToInt(ip: string): number {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${ip}`);
    return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function intToIpv4(n: number): string {
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Parses `a.b.c.d/p`; the network is the address with host bits cleared. */
export function parseCidr(cidr: string): Cidr {
    const [ip, p] = cidr.split("/");
    const prefix = Number(p);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
    const mask = prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
    return { network: (ipv4ToInt(ip!) & mask) >>> 0, prefix };
}

export const formatCidr = (c: Cidr): string => `${intToIpv4(c.network)}/${c.prefix}`;

/** The subnets of the enclave carved from the VPC CIDR (each 1/16 of it). */
export const SUBNET_BITS = 4;
const SERVING_BASE = 0;
const ENDPOINT_BASE = 6;
const STAGING_INDEX = 14;
const EGRESS_INDEX = 15;

/** The `index`-th subnet of `vpcCidr` with `SUBNET_BITS` more prefix bits. */
export function subnetCidr(vpcCidr: string, index: number): string {
    const vpc = parseCidr(vpcCidr);
    const prefix = vpc.prefix + SUBNET_BITS;
    if (index < 0 || index >= 1 << SUBNET_BITS) throw new Error(`subnet index ${index} out of range`);
    return formatCidr({ network: (vpc.network + index * 2 ** (32 - prefix)) >>> 0, prefix });
}

export interface SubnetLayout {
    /** One per availability zone, in the order of the zones. */
    readonly serving: readonly string[];
    readonly endpoints: readonly string[];
    readonly staging: string;
    readonly egress: string;
}

export function subnetLayout(vpcCidr: string, zones: number): SubnetLayout {
    if (zones < 1 || zones > 6) throw new Error(`zones must be 1–6, got ${zones}`);
    return {
        serving: Array.from({ length: zones }, (_, i) => subnetCidr(vpcCidr, SERVING_BASE + i)),
        endpoints: Array.from({ length: zones }, (_, i) => subnetCidr(vpcCidr, ENDPOINT_BASE + i)),
        staging: subnetCidr(vpcCidr, STAGING_INDEX),
        egress: subnetCidr(vpcCidr, EGRESS_INDEX),
    };
}

/** Addresses per block; a server's replicas in one subnet use slots 0–15 of its block. */
export const BLOCK_SIZE = 16;
/** The first 16 addresses of a serving subnet stay free (AWS reserves .0–.3). */
const FIRST_BLOCK_OFFSET = 16;

/** How many address blocks a serving subnet of `vpcCidr` holds (AWS reserves the last address too). */
export function addressBlocks(vpcCidr: string): number {
    const size = 2 ** (32 - (parseCidr(vpcCidr).prefix + SUBNET_BITS));
    return Math.floor((size - FIRST_BLOCK_OFFSET - BLOCK_SIZE - 1) / BLOCK_SIZE) + 1;
}

/** The address of `slot` in `block` of a serving subnet. */
export function hostAddressInBlock(subnet: string, block: number, slot: number): string {
    const c = parseCidr(subnet);
    const size = 2 ** (32 - c.prefix);
    const offset = FIRST_BLOCK_OFFSET + block * BLOCK_SIZE + slot;
    if (slot < 0 || slot >= BLOCK_SIZE || offset > size - 2) throw new Error(`address block ${block} slot ${slot} is outside ${subnet}`);
    return intToIpv4((c.network + offset) >>> 0);
}

/** Where replica `r` of a server runs: zone `r mod zones`, slot `floor(r / zones)` of its block. */
export function replicaPlacement(replica: number, zones: number): { readonly zone: number; readonly slot: number } {
    return { zone: replica % zones, slot: Math.floor(replica / zones) };
}
