import type { ClusterSpec } from '../spec';
import type { Manifest } from './manifest';

/** The cluster's PriorityClasses (scheduling.k8s.io/v1); none is the global default. */
export function priorityClasses(cluster: Pick<ClusterSpec, 'priorityClasses'>): Manifest[] {
  return cluster.priorityClasses.map((pc) => ({
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name: pc.name },
    value: pc.value,
    globalDefault: false,
    ...(pc.description ? { description: pc.description } : {}),
  }));
}
