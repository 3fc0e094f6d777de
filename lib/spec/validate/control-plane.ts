import { forEachCluster, type Rule } from './rule';

const ODD_REPLICAS = [1, 3, 5, 7];

/** Control-plane replicas, endpoint and etcd topology are coherent (the version: kubernetes-version.ts). */
export const controlPlaneShape: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const cp = cluster.controlPlane;
    const cpPath = [...path, 'controlPlane'];
    if (!ODD_REPLICAS.includes(cp.replicas))
      issues.error([...cpPath, 'replicas'], 'must be 1, 3, 5 or 7 (etcd quorum needs an odd member count)', cp.replicas);
    else if (cp.ha && cp.replicas < 3)
      issues.error([...cpPath, 'replicas'], 'an HA control plane (ha: true) needs at least 3 replicas; set ha: false for a single machine', cp.replicas);

    const ep = cp.endpoint;
    if (ep.mode !== 'loadbalancer' && !ep.vip)
      issues.error([...cpPath, 'endpoint', 'vip'], `is required when endpoint.mode is ${ep.mode}`, ep.vip);
    if (ep.mode === 'loadbalancer' && cluster.infrastructure.provider !== 'openstack')
      issues.error([...cpPath, 'endpoint', 'mode'], 'loadbalancer (Octavia) needs the openstack provider; use keepalived-haproxy or kube-vip on metal3', ep.mode);
    if (ep.mode === 'keepalived-haproxy' && ep.port === 6443)
      issues.error([...cpPath, 'endpoint', 'port'], 'HAProxy runs beside the apiserver (6443) on every control-plane machine; choose another port such as 8443', ep.port);

    const bgpPath = [...cpPath, 'endpoint', 'bgp'];
    const announcesByBgp = ep.mode === 'kube-vip' && ep.kubeVipMode === 'bgp';
    if (announcesByBgp && (ep.bgp?.peers.length ?? 0) === 0)
      issues.error([...bgpPath, 'peers'], 'kube-vip BGP mode needs at least one peer ({ address, as })', ep.bgp?.peers.length ?? 0);
    if (ep.bgp && !announcesByBgp)
      issues.error(bgpPath, `is only allowed when endpoint.mode is kube-vip and kubeVipMode is bgp (mode ${ep.mode}, kubeVipMode ${ep.kubeVipMode})`, 'set');
    if (announcesByBgp && ep.bgp?.routerId && cp.replicas > 1)
      issues.error([...bgpPath, 'routerId'], 'must be unique per machine but the kube-vip manifest is shared by all control-plane replicas; omit it to use the address of endpoint.interface', ep.bgp.routerId);

    const etcd = cp.etcd;
    if (etcd.topology === 'external' && !etcd.external)
      issues.error([...cpPath, 'etcd', 'external'], 'is required when etcd.topology is external', etcd.external);
    if (etcd.topology === 'stacked' && etcd.external)
      issues.error([...cpPath, 'etcd', 'external'], 'is only allowed when etcd.topology is external', 'set');
    for (const key of ['external', 'events'] as const) {
      const members = etcd[key]?.members;
      if (members && !ODD_REPLICAS.includes(members.length))
        issues.error([...cpPath, 'etcd', key, 'members'], 'must have 1, 3, 5 or 7 members', members.length);
      if (members && cp.ha && members.length < 3)
        issues.error([...cpPath, 'etcd', key, 'members'], 'an HA control plane needs at least 3 etcd members', members.length);
    }
  });
