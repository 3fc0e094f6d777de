import { forEachCluster, type Rule } from './rule';

/** Upstream scalability thresholds (kubernetes.io "Considerations for large clusters"). */
export const SCALE_LIMITS = { nodes: 5000, podsPerNode: 110, pods: 150000, containers: 300000 } as const;
/** Containers per pod assumed when estimating the container count. */
export const CONTAINERS_PER_POD = 2;
const KUBELET_DEFAULT_MAX_PODS = 110;

/** Largest size a pool can reach. */
export function poolMaxNodes(pool: { replicas?: number; autoscaling?: { max: number } }): number {
  return pool.autoscaling?.max ?? pool.replicas ?? 3;
}

/** The cluster stays within upstream scale limits, computed from its pools' maximum sizes. */
export const scaleLimits: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    let nodes = cluster.controlPlane.replicas;
    let pods = 0;
    cluster.nodePools.forEach((pool, p) => {
      const maxPods = pool.kubelet.maxPods ?? KUBELET_DEFAULT_MAX_PODS;
      if (maxPods > cluster.maxPodsPerNodeLimit)
        issues.error(
          [...path, 'nodePools', p, 'kubelet', 'maxPods'],
          `exceeds ${cluster.maxPodsPerNodeLimit} pods per node; raise maxPodsPerNodeLimit on the cluster to acknowledge the upstream limit of ${SCALE_LIMITS.podsPerNode}`,
          maxPods,
        );
      if (pool.autoscaling && pool.autoscaling.min > pool.autoscaling.max)
        issues.error([...path, 'nodePools', p, 'autoscaling', 'min'], `must not exceed max ${pool.autoscaling.max}`, pool.autoscaling.min);
      const max = poolMaxNodes(pool);
      nodes += max;
      pods += max * maxPods;
    });
    if (nodes > SCALE_LIMITS.nodes)
      issues.error([...path, 'nodePools'], `can grow to ${nodes} nodes, above the upstream limit of ${SCALE_LIMITS.nodes}`, nodes);
    if (pods > SCALE_LIMITS.pods)
      issues.error([...path, 'nodePools'], `can hold ${pods} pods (max nodes × maxPods), above the upstream limit of ${SCALE_LIMITS.pods}`, pods);
    const containers = pods * CONTAINERS_PER_POD;
    if (containers > SCALE_LIMITS.containers)
      issues.error(
        [...path, 'nodePools'],
        `can hold about ${containers} containers (${CONTAINERS_PER_POD} per pod), above the upstream limit of ${SCALE_LIMITS.containers}`,
        containers,
      );
  });
