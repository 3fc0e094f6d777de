import { managementObjects, firstOfKind, type Tree } from './tree';
import type { FleetSpec } from '../spec';
import { ROLLOUT_WAVES } from './rollout-order';

/**
 * The order an upgrade of each cluster takes, in words, for every cluster whose control-plane
 * version changes from `previous` to the spec.
 */
export function upgradeOrder(previous: Tree, fleet: FleetSpec): string[] {
  const out: string[] = [];
  for (const env of fleet.environments)
    for (const cluster of env.clusters) {
      const live = managementObjects(previous, env.name, cluster.name);
      const was = firstOfKind(live, 'KubeadmControlPlane')?.obj.spec?.version;
      const autoscaler = live.some((o) => o.kind === 'Deployment' && o.name === 'cluster-autoscaler');
      const to = `v${cluster.kubernetesVersion.replace(/^v/, '')}`;
      if (!was || was === to) continue;
      const at = `${env.name}/${cluster.name}`;
      const pools = cluster.nodePools.map((p) => p.name).join(', ');
      out.push(`${at}: 1. control plane ${was} → ${to}, one machine at a time (sync wave ${ROLLOUT_WAVES.controlPlane} of ${cluster.name}-cluster)`);
      out.push(`${at}: 2. pools ${pools}${autoscaler ? ' and the cluster-autoscaler' : ''} once every control-plane machine runs ${to} (sync wave ${ROLLOUT_WAVES.workers}; MachineSet preflight checks hold new machines until then)`);
      if (cluster.infrastructure.provider === 'openstack')
        out.push(`${at}: 3. openstack-cloud-controller-manager for ${to} after the ${cluster.name}-cluster Application is healthy (root sync wave -5 after -10)`);
    }
  return out;
}
