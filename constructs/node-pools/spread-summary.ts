import type { ClusterSpec } from '../../lib/spec';
import type { NodePool } from './node-pool';

/**
 * Summary lines stating how each pool spreads over failure domains, who puts the zone label on
 * its nodes, and the scheduler's default spread.
 */
export function spreadSummary(cluster: ClusterSpec, pools: readonly NodePool[]): string[] {
  const labeller =
    cluster.infrastructure.provider === 'openstack'
      ? 'topology.kubernetes.io/zone from the Nova availability zone (OpenStack cloud controller)'
      : 'topology.kubernetes.io/zone set by the kubelet from the failure domain (hosts labelled kprod.io/failure-domain=<domain>)';
  const spread = cluster.controlPlane.scheduler.defaultSpread;
  return [
    `zones: ${labeller}; scheduler default spread across zones and hosts (maxSkew ${spread.maxSkew}, ScheduleAnyway${spread.strictProfile ? '; DoNotSchedule with schedulerName kprod-strict-spread' : ''})`,
    ...pools.map((p, i) => {
      const parts = p.deployments.map((d) => `${d.failureDomain} ${d.replicas !== undefined ? d.replicas : `${d.min}-${d.max}`}`);
      return `  pool ${cluster.nodePools[i].name}: ${parts.join(', ')}`;
    }),
  ];
}
