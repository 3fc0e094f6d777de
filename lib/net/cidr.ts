import * as ipaddr from 'ipaddr.js';

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses a CIDR, or returns null when it is not one. */
export function parseCidr(text: string): Cidr | null {
  try {
    // ipaddr.parseCIDR tries IPv6 first and throws for every IPv4 text: pick the family directly.
    return text.includes(':') ? ipaddr.IPv6.parseCIDR(text) : ipaddr.IPv4.parseCIDR(text);
  } catch {
    return null;
  }
}

/** True when two CIDRs share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a[0].kind() !== b[0].kind()) return false;
  // The shorter prefix contains the other if they overlap at all.
  const [wide, narrow] = a[1] <= b[1] ? [a, b] : [b, a];
  return (narrow[0] as ipaddr.IPv4).match(wide as [ipaddr.IPv4, number]);
}

export function cidrContains(range: Cidr, address: string): boolean {
  try {
    const ip = address.includes(':') ? ipaddr.IPv6.parse(address) : ipaddr.IPv4.parse(address);
    return ip.kind() === range[0].kind() && (ip as ipaddr.IPv4).match(range as [ipaddr.IPv4, number]);
  } catch {
    return false;
  }
}

/** The network address of a CIDR is its canonical form (e.g. 10.0.0.5/24 -> 10.0.0.0/24). */
export function isNetworkAddress(range: Cidr): boolean {
  const net = ipaddr.IPv4.networkAddressFromCIDR(`${range[0].toString()}/${range[1]}`);
  return range[0].kind() !== 'ipv4' || net.toString() === range[0].toString();
}

/** Number of addresses in an IPv4 CIDR. */
export function cidrSize(range: Cidr): number {
  return range[0].kind() === 'ipv4' ? 2 ** (32 - range[1]) : Number.POSITIVE_INFINITY;
}
