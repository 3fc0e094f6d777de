import { names } from '../../lib/naming';
import type { ClusterSpec } from '../../lib/spec';
import { poolDeployments } from './node-pool';

/** An entry of an Argo CD Application's `spec.ignoreDifferences`. */
export interface IgnoreDifference {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly jsonPointers: string[];
}

/**
 * What the Argo CD Application of the cluster's `cluster/` folder must ignore so that it and the
 * cluster-autoscaler do not fight over the size of autoscaled MachineDeployments (Cluster API
 * issues 7293, 10343): kprod leaves `spec.replicas` unset on them and the autoscaler owns it.
 * One entry per autoscaled MachineDeployment, by name, so fixed-size pools stay fully reconciled.
 * Pair it with the `RespectIgnoreDifferences=true` sync option, or a sync may still reset the field.
 */
export function autoscaledIgnoreDifferences(cluster: ClusterSpec): IgnoreDifference[] {
  const namespace = names.capiNamespace(cluster);
  return cluster.nodePools
    .filter((pool) => pool.autoscaling)
    .flatMap((pool) => poolDeployments({ cluster }, pool))
    .map((md) => ({ group: 'cluster.x-k8s.io', kind: 'MachineDeployment', name: md.name, namespace, jsonPointers: ['/spec/replicas'] }));
}
