// PLACEHOLDER owned by the node-pools helper: replaced with the real KubeletConfiguration renderer.
import type { ClusterSpec, NodePoolSpec } from '../spec';
import type { HostFile } from './types';

/** Host files that make the kubelet of a control-plane machine (pool undefined) or a pool's node use kprod's KubeletConfiguration. */
export function kubeletHostFiles(cluster: ClusterSpec, pool?: NodePoolSpec): HostFile[] {
  void cluster;
  void pool;
  return [];
}
