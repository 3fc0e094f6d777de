import { cidrContains, cidrsOverlap, cidrSize, isNetworkAddress, parseCidr, type Cidr } from '../../net/cidr';
import { addressesAfter, compareAddresses, CONTROL_PLANE_SUBNET_OVERHEAD, firstHost, lastHost } from '../../net/control-plane-block';
import { forEachCluster, type Rule } from './rule';

const FIELDS = ['nodeCidr', 'controlPlaneCidr', 'podCidr', 'serviceCidr'] as const;
type Field = (typeof FIELDS)[number];

/**
 * CIDRs parse, are network addresses, and the node, control-plane, pod and service networks do
 * not overlap. The VIP lies in the control-plane subnet (`controlPlaneCidr` when set, else
 * `nodeCidr`); in keepalived-haproxy mode the pinned machine addresses after it fit in that subnet
 * and collide with no etcd member. `controlPlaneCidr` is required on OpenStack with
 * keepalived-haproxy (its allocation pool is what makes the machines get the pinned addresses).
 */
export const networkRanges: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const net = cluster.network;
    const parsed: Partial<Record<Field, Cidr>> = {};
    for (const field of FIELDS) {
      const text = net[field];
      if (text === undefined) continue;
      const range = parseCidr(text);
      if (!range) issues.error([...path, 'network', field], 'is not a valid CIDR', text);
      else if (range[0].kind() !== 'ipv4' && field === 'controlPlaneCidr') issues.error([...path, 'network', field], 'must be an IPv4 CIDR', text);
      else if (!isNetworkAddress(range)) issues.error([...path, 'network', field], 'has host bits set; use the network address', text);
      else parsed[field] = range;
    }
    for (let i = 0; i < FIELDS.length; i++)
      for (let j = i + 1; j < FIELDS.length; j++) {
        const a = parsed[FIELDS[i]];
        const b = parsed[FIELDS[j]];
        if (a && b && cidrsOverlap(a, b)) issues.error([...path, 'network', FIELDS[j]], `overlaps ${FIELDS[i]} ${net[FIELDS[i]]}`, net[FIELDS[j]]);
      }

    const endpoint = cluster.controlPlane.endpoint;
    const cpPath = [...path, 'network', 'controlPlaneCidr'];
    if (net.controlPlaneCidr === undefined && endpoint.mode === 'keepalived-haproxy' && cluster.infrastructure.provider === 'openstack')
      issues.error(
        cpPath,
        'is required with infrastructure.provider openstack and endpoint.mode keepalived-haproxy: a small CIDR outside nodeCidr on the same network holding the VIP and the pinned control-plane addresses after it (CAPO cannot give each machine its own fixed IP, so the subnet allocation pool does)',
        undefined,
      );

    const node = parsed.nodeCidr;
    const cpField: Field = net.controlPlaneCidr !== undefined ? 'controlPlaneCidr' : 'nodeCidr';
    const cpRange = parsed[cpField];
    const vipPath = [...path, 'controlPlane', 'endpoint', 'vip'];
    if (cpRange && endpoint.vip && !cidrContains(cpRange, endpoint.vip))
      issues.error(vipPath, `must lie inside ${cpField === 'nodeCidr' ? 'the node network' : 'network.controlPlaneCidr'} ${net[cpField]}`, endpoint.vip);

    // A replica count controlPlaneShape refuses (negative, huge) would make the pinned range meaningless (or enormous).
    const replicasValid = [1, 3, 5, 7].includes(cluster.controlPlane.replicas);
    const pinned = replicasValid && endpoint.mode === 'keepalived-haproxy' && endpoint.vip && cpRange && cidrContains(cpRange, endpoint.vip);
    const pinnedAddresses = pinned ? addressesAfter(endpoint.vip!, cluster.controlPlane.replicas + 1) : [];
    if (pinned) {
      const cidr = net[cpField]!;
      const needed = cluster.controlPlane.replicas + 1 + CONTROL_PLANE_SUBNET_OVERHEAD;
      const last = pinnedAddresses[pinnedAddresses.length - 1];
      if (cpField === 'controlPlaneCidr' && cidrSize(cpRange) < needed)
        issues.error(cpPath, `is too small: needs at least ${needed} addresses (network, gateway, VIP, ${cluster.controlPlane.replicas + 1} control-plane machines, broadcast)`, cidr);
      else if (compareAddresses(last, lastHost(cidr)) > 0)
        issues.error(vipPath, `leaves no room for ${pinnedAddresses.length} control-plane addresses after it inside network.${cpField} ${cidr} (would end at ${last}); choose a lower VIP`, endpoint.vip);
      else if (cpField === 'controlPlaneCidr' && compareAddresses(endpoint.vip!, firstHost(cidr)) <= 0)
        issues.error(vipPath, `must come after the gateway ${firstHost(cidr)} (first host of network.controlPlaneCidr ${cidr})`, endpoint.vip);
    }

    const etcd = cluster.controlPlane.etcd;
    for (const key of ['external', 'events'] as const)
      etcd[key]?.members.forEach((m, i) => {
        const ipPath = [...path, 'controlPlane', 'etcd', key, 'members', i, 'ip'];
        if (node && !cidrContains(node, m.ip)) issues.error(ipPath, `must lie inside the node network ${net.nodeCidr}`, m.ip);
        if (endpoint.vip === m.ip) issues.error(ipPath, 'collides with the endpoint VIP', m.ip);
        else if (pinnedAddresses.includes(m.ip))
          issues.error(ipPath, `collides with the pinned control-plane addresses ${pinnedAddresses[0]}–${pinnedAddresses[pinnedAddresses.length - 1]} (after the VIP)`, m.ip);
      });
  });
