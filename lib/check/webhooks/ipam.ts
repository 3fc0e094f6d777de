// Admission rules of Metal3 IPAM v1.13.2 (metal3-io/ip-address-manager, tag v1.13.2, commit 99e095d),
// written from internal/webhooks/v1alpha1/ippool_webhook.go.
import { isIP } from 'node:net';
import type { Segment } from '../paths';
import { at, deepEqual, err, isObject, str, type WebhookFinding, type WebhookRule } from './rule';

/** An IP as a number in the IPv6 space (IPv4 mapped), so that v4 and v6 addresses compare as net.IP bytes do. */
function ipValue(ip: string): bigint | undefined {
  const family = isIP(ip);
  if (family === 4) return 0xffff00000000n + ip.split('.').reduce((n, o) => n * 256n + BigInt(o), 0n);
  if (family !== 6) return undefined;
  const [head, tail = ''] = ip.split('::');
  const parse = (s: string) => (s ? s.split(':') : []).flatMap((g) => (g.includes('.') ? [] : [BigInt(`0x${g}`)]));
  const h = parse(head);
  const t = parse(tail);
  const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(ip)?.[1];
  const v4 = embedded ? ipValue(embedded)! - 0xffff00000000n : undefined;
  const groups = [...h, ...Array(8 - h.length - t.length - (v4 !== undefined ? 2 : 0)).fill(0n), ...t];
  let n = groups.reduce((acc, g) => (acc << 16n) + g, 0n);
  if (v4 !== undefined) n = (n << 32n) + v4;
  return n;
}

const ipError = (v: unknown, segs: Segment[]): WebhookFinding[] => (str(v) && isIP(str(v)) === 0 ? [err(segs, 'is not a valid IP address')] : []);

/** net.ParseCIDR: `ip/bits` with bits within the family's length. */
function isCIDR(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  return extra === undefined && isIP(ip) !== 0 && /^\d+$/.test(bits ?? '') && Number(bits) <= (isIP(ip) === 6 ? 128 : 32);
}

/** ip-address-manager isAddressInBonds: inside one pool's start/end and subnet. */
function inBounds(pools: unknown[], address: string): boolean {
  const ip = ipValue(address);
  if (ip === undefined) return false;
  return pools.some((p) => {
    const start = ipValue(str(at(p, 'start')));
    const end = ipValue(str(at(p, 'end')));
    if (start !== undefined && start > ip) return false;
    if (end !== undefined && end < ip) return false;
    const subnet = str(at(p, 'subnet'));
    if (subnet && isCIDR(subnet)) {
      const [base, bits] = subnet.split('/');
      const width = isIP(base) === 6 ? 128 : 32;
      const shift = BigInt(width - Number(bits));
      const offset = isIP(base) === 4 ? 0xffff00000000n : 0n;
      if ((ipValue(base)! - offset) >> shift !== (ip - offset) >> shift) return false;
    }
    return true;
  });
}

// ip-address-manager v1.13.2 internal/webhooks/v1alpha1/ippool_webhook.go validatePoolRanges, ValidateUpdate
export const ipPool: WebhookRule = (obj, old) => {
  const spec = at(obj, 'spec');
  const out: WebhookFinding[] = [...ipError(at(spec, 'gateway'), ['spec', 'gateway'])];
  const dns = at(spec, 'dnsServers');
  (Array.isArray(dns) ? dns : []).forEach((d, i) => out.push(...ipError(d, ['spec', 'dnsServers', i])));
  const pre = at(spec, 'preAllocations');
  for (const [name, ip] of Object.entries(isObject(pre) ? pre : {})) out.push(...ipError(ip, ['spec', 'preAllocations', name]));
  const pools = at(spec, 'pools');
  const list = Array.isArray(pools) ? pools : [];
  list.forEach((p, i) => {
    const base = ['spec', 'pools', i];
    out.push(...ipError(at(p, 'start'), [...base, 'start']), ...ipError(at(p, 'end'), [...base, 'end']));
    const subnet = at(p, 'subnet');
    if (subnet !== undefined && !isCIDR(str(subnet))) out.push(err([...base, 'subnet'], 'is not a valid CIDR'));
    out.push(...ipError(at(p, 'gateway'), [...base, 'gateway']));
    const poolDns = at(p, 'dnsServers');
    (Array.isArray(poolDns) ? poolDns : []).forEach((d, j) => out.push(...ipError(d, [...base, 'dnsServers', j])));
    const start = ipValue(str(at(p, 'start')));
    const end = ipValue(str(at(p, 'end')));
    if (start !== undefined && end !== undefined && start > end) out.push(err(base, 'start address must be less than or equal to end address'));
  });
  if (old) {
    if (!deepEqual(at(old, 'spec', 'namePrefix'), at(spec, 'namePrefix'))) out.push(err(['spec', 'namePrefix'], 'cannot be modified'));
    // checkPoolBonds: pre-allocations inside the pools (the allocations in use live in the status: not known offline)
    for (const ip of Object.values(isObject(pre) ? pre : {})) {
      if (!inBounds(list, str(ip))) out.push(err(['spec', 'preAllocations'], `${str(ip)} is out of bonds of the pools given`));
    }
  }
  return out;
};
