import { cidrContains, cidrsOverlap, isNetworkAddress, parseCidr, type Cidr } from '../../net/cidr';
import { forEachCluster, type Rule } from './rule';

const FIELDS = ['nodeCidr', 'podCidr', 'serviceCidr'] as const;

/** CIDRs parse, are network addresses, and the node, pod and service networks do not overlap. */
export const networkRanges: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const parsed: Partial<Record<(typeof FIELDS)[number], Cidr>> = {};
    for (const field of FIELDS) {
      const text = cluster.network[field];
      const range = parseCidr(text);
      if (!range) issues.error([...path, 'network', field], 'is not a valid CIDR', text);
      else if (!isNetworkAddress(range)) issues.error([...path, 'network', field], 'has host bits set; use the network address', text);
      else parsed[field] = range;
    }
    for (let i = 0; i < FIELDS.length; i++)
      for (let j = i + 1; j < FIELDS.length; j++) {
        const a = parsed[FIELDS[i]];
        const b = parsed[FIELDS[j]];
        if (a && b && cidrsOverlap(a, b))
          issues.error([...path, 'network', FIELDS[j]], `overlaps ${FIELDS[i]} ${cluster.network[FIELDS[i]]}`, cluster.network[FIELDS[j]]);
      }
    const node = parsed.nodeCidr;
    const endpoint = cluster.controlPlane.endpoint;
    if (node && endpoint.vip && !cidrContains(node, endpoint.vip))
      issues.error([...path, 'controlPlane', 'endpoint', 'vip'], `must lie inside the node network ${cluster.network.nodeCidr}`, endpoint.vip);
    const etcd = cluster.controlPlane.etcd;
    for (const key of ['external', 'events'] as const)
      etcd[key]?.members.forEach((m, i) => {
        if (node && !cidrContains(node, m.ip))
          issues.error([...path, 'controlPlane', 'etcd', key, 'members', i, 'ip'], `must lie inside the node network ${cluster.network.nodeCidr}`, m.ip);
        if (endpoint.vip === m.ip)
          issues.error([...path, 'controlPlane', 'etcd', key, 'members', i, 'ip'], 'collides with the endpoint VIP', m.ip);
      });
  });
