import { kubeletConfiguration } from '../../render/kubelet';
import { kubeletTopologyProblems } from '../../render/kubelet-topology';
import { toUnits, tryParseQuantity } from '../../sizing/quantity';
import { forEachCluster, type Rule } from './rule';

/**
 * Pools whose kubelet would refuse to start: each pool's rendered KubeletConfiguration goes through
 * the kubelet's own start-up checks on CPU, memory and topology managers (lib/render/kubelet-topology).
 */
export const kubeletTopologyRules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) =>
    cluster.nodePools.forEach((pool, p) => {
      const sku = cluster.skus[pool.sku];
      if (!sku) return; // the references rule reports it
      const kpath = [...path, 'nodePools', p, 'kubelet'];
      let config: Record<string, unknown>;
      try {
        config = kubeletConfiguration(cluster, pool);
      } catch {
        return;
      }
      const memory = toUnits(tryParseQuantity(sku.memory) ?? { nanos: 0n });
      for (const problem of kubeletTopologyProblems(config, sku.cpu, memory)) issues.error([...kpath, problem.field], problem.message, pool.kubelet[problem.field] ?? problem.value);
      if (pool.kubelet.reservedMemory && pool.kubelet.memoryManagerPolicy !== 'Static')
        issues.warn([...kpath, 'reservedMemory'], 'is used only by the Static memory manager (memoryManagerPolicy: Static); it is not rendered', pool.kubelet.reservedMemory);
      if (pool.kubelet.topologyManagerScope && (pool.kubelet.topologyManagerPolicy ?? 'none') === 'none')
        issues.warn([...kpath, 'topologyManagerScope'], 'has no effect without a topologyManagerPolicy', pool.kubelet.topologyManagerScope);
    }),
  );
