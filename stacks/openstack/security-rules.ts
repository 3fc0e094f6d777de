/**
 * The ingress rules of a cluster's security groups, as plain data, decided from the spec:
 * endpoint mode and port, etcd topology and CNI. Components turn each entry into one
 * `openstack.networking.SecGroupRule`. Machine-to-machine traffic is always allowed by
 * remote security group, never by CIDR; the only CIDR rules are the endpoint's.
 */
import { CILIUM_VXLAN_PORT } from '../../lib/platform/cni';
import { ETCD_CLIENT_PORT, ETCD_PEER_PORT } from '../../lib/render/etcd';
import { APISERVER_PORT } from '../../lib/render/haproxy';
import type { ClusterSpec } from '../../lib/spec';
import { monitoringIngressRules } from './monitoring-ingress';

/** Security groups of a cluster (names from `names.securityGroup`). `etcd` exists only for external etcd. */
export type MachineRole = 'control-plane' | 'worker' | 'etcd';

/** One ingress rule. */
export interface IngressRule {
  /** Group receiving the traffic. */
  readonly group: MachineRole;
  /** Neutron protocol: `tcp`, `udp`, or an IP protocol number (`112` VRRP, `4` IP-in-IP). */
  readonly protocol: 'tcp' | 'udp' | '112' | '4';
  /** Port range for tcp/udp. */
  readonly ports?: readonly [number, number];
  /** Where traffic may come from: a security group of the cluster or a CIDR. */
  readonly from: { readonly group: MachineRole } | { readonly cidr: string };
  readonly description: string;
}

const KUBELET = 10250;

/** Ports of each CNI mode between all nodes (control plane and workers). */
export function cniRules(cluster: Pick<ClusterSpec, 'network'>): Array<Pick<IngressRule, 'protocol' | 'ports' | 'description'>> {
  const { plugin, encapsulation } = cluster.network.cni;
  // A CNI brought by a capability declares its own ports in the spec (network.cni.rules).
  if (plugin === 'none') return cluster.network.cni.rules.map((r) => ({ protocol: r.protocol, ports: r.ports && ([r.ports[0], r.ports[1]] as const), description: r.description }));
  if (plugin === 'calico') {
    // Typha (5473) is deployed by the Tigera operator on every install; felix on each node dials it.
    const typha = { protocol: 'tcp' as const, ports: [5473, 5473] as const, description: 'calico typha' };
    if (encapsulation === 'ipip')
      return [
        { protocol: 'tcp', ports: [179, 179], description: 'calico BGP' },
        { protocol: '4', description: 'calico IP-in-IP' },
        typha,
      ];
    if (encapsulation === 'vxlan') return [{ protocol: 'udp', ports: [4789, 4789], description: 'calico VXLAN' }, typha];
    return [{ protocol: 'tcp', ports: [179, 179], description: 'calico BGP' }, typha];
  }
  const health = { protocol: 'tcp' as const, ports: [4240, 4240] as const, description: 'cilium health' };
  // Cilium's VXLAN uses the Linux-assigned port 8472, not IANA 4789.
  if (encapsulation === 'vxlan') return [{ protocol: 'udp', ports: [CILIUM_VXLAN_PORT, CILIUM_VXLAN_PORT], description: 'cilium VXLAN' }, health];
  if (encapsulation === 'bgp') return [{ protocol: 'tcp', ports: [179, 179], description: 'cilium BGP (native routing)' }, health];
  throw new Error(`network.cni.encapsulation: cilium does not support "${encapsulation}"; use vxlan or bgp`);
}

/** Every ingress rule the cluster's machines need, and nothing else. */
export function ingressRules(cluster: Pick<ClusterSpec, 'network' | 'controlPlane' | 'addons'>): IngressRule[] {
  const cp = 'control-plane' as const;
  const worker = 'worker' as const;
  const nodes = [cp, worker] as const;
  const ep = cluster.controlPlane.endpoint;
  const rules: IngressRule[] = [];
  const tcp = (group: MachineRole, port: number | readonly [number, number], from: IngressRule['from'], description: string) =>
    rules.push({ group, protocol: 'tcp', ports: typeof port === 'number' ? [port, port] : port, from, description });

  // apiserver between cluster machines (HAProxy backends, kubelets, in-cluster clients).
  for (const src of nodes) tcp(cp, APISERVER_PORT, { group: src }, `kube-apiserver from ${src}`);
  // The endpoint clients dial: from the node network, and from anywhere only when public.
  tcp(cp, ep.port, { cidr: cluster.network.nodeCidr }, 'API endpoint from the node network');
  // Control-plane machines on their own subnet dial the VIP too (kubelets, HAProxy's own checks).
  if (cluster.network.controlPlaneCidr) tcp(cp, ep.port, { cidr: cluster.network.controlPlaneCidr }, 'API endpoint from the control-plane subnet');
  if (ep.public) tcp(cp, ep.port, { cidr: '0.0.0.0/0' }, 'public API endpoint');
  if (ep.mode === 'keepalived-haproxy') rules.push({ group: cp, protocol: '112', from: { group: cp }, description: 'keepalived VRRP' });

  const etcd = cluster.controlPlane.etcd;
  if (etcd.topology === 'stacked') tcp(cp, [ETCD_CLIENT_PORT, ETCD_PEER_PORT], { group: cp }, 'stacked etcd client and peer');
  if (hasEtcdMachines(cluster)) {
    tcp('etcd', ETCD_PEER_PORT, { group: 'etcd' }, 'etcd peer');
    tcp('etcd', ETCD_CLIENT_PORT, { group: cp }, 'etcd client from kube-apiserver');
  }

  for (const dst of nodes) tcp(dst, KUBELET, { group: cp }, 'kubelet from the control plane');
  for (const c of cniRules(cluster))
    for (const dst of nodes)
      for (const src of nodes) rules.push({ group: dst, protocol: c.protocol, ports: c.ports, from: { group: src }, description: `${c.description} from ${src}` });
  rules.push(...monitoringIngressRules(cluster, hasEtcdMachines(cluster)));
  return rules;
}

/** The security groups a cluster needs. */
export function machineRoles(cluster: Pick<ClusterSpec, 'controlPlane'>): MachineRole[] {
  return hasEtcdMachines(cluster) ? ['control-plane', 'worker', 'etcd'] : ['control-plane', 'worker'];
}

/** Dedicated etcd VMs exist for external etcd and for a separate events etcd. */
export function hasEtcdMachines(cluster: Pick<ClusterSpec, 'controlPlane'>): boolean {
  const etcd = cluster.controlPlane.etcd;
  return (etcd.topology === 'external' && !!etcd.external) || !!etcd.events;
}
