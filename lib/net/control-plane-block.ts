/**
 * Arithmetic of the pinned control-plane block in keepalived-haproxy mode: the VIP, then the
 * `replicas + 1` machine addresses right after it (see lib/render/endpoint-files.ts for why they
 * are pinned). Pure: used by the spec rules, the renderers, the machine templates and the stacks.
 */
import * as ipaddr from 'ipaddr.js';
import type { Network } from '../spec/schema/network';

const toNumber = (address: string) => ipaddr.IPv4.parse(address).toByteArray().reduce((n, b) => n * 256 + b, 0);
const toAddress = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** The `count` IPv4 addresses right after `address` (carrying over octets). */
export function addressesAfter(address: string, count: number): string[] {
  const base = toNumber(address);
  return Array.from({ length: count }, (_, i) => toAddress(base + i + 1));
}

/** First host address of an IPv4 CIDR: the gateway by convention (Neutron's default `gateway_ip`). */
export function firstHost(cidr: string): string {
  return toAddress(toNumber(ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()) + 1);
}

/** Last host address of an IPv4 CIDR (the one before the broadcast address). */
export function lastHost(cidr: string): string {
  return toAddress(toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(cidr).toString()) - 1);
}

/** Numeric order of two IPv4 addresses (negative when `a` comes first). */
export function compareAddresses(a: string, b: string): number {
  return toNumber(a) - toNumber(b);
}

/**
 * The subnet holding the VIP and the control-plane machines: `network.controlPlaneCidr` when set
 * (its own Neutron subnet on the cluster network), else `network.nodeCidr`.
 */
export function controlPlaneSubnetCidr(network: Pick<Network, 'nodeCidr' | 'controlPlaneCidr'>): { field: 'controlPlaneCidr' | 'nodeCidr'; cidr: string } {
  return network.controlPlaneCidr ? { field: 'controlPlaneCidr', cidr: network.controlPlaneCidr } : { field: 'nodeCidr', cidr: network.nodeCidr };
}

/** Addresses a subnet needs besides the machines: network, gateway, VIP, broadcast. */
export const CONTROL_PLANE_SUBNET_OVERHEAD = 4;
