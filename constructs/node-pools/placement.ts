/**
 * Where a pool's machines go and how their nodes are marked: the split over failure domains,
 * the taints registered at join and the labels (by the kubelet, or by Cluster API label sync
 * for the prefixes NodeRestriction keeps from the kubelet).
 */
import type { ClusterSpec, NodePoolSpec } from '../../lib/spec';
import { ACCELERATOR_LABEL, GPU_RESOURCE } from '../../lib/sizing/gpu';
import { kubeletMaySet } from '../../lib/spec/validate/node-pools';

export interface PoolTaint {
  readonly key: string;
  readonly value?: string;
  readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export { GPU_RESOURCE } from '../../lib/sizing/gpu';

export const TENANT_KEY = 'kprod.io/tenant';
export const POOL_LABEL = 'kprod.io/pool';
/**
 * Tenant label only Cluster API can put on a node: the kubelet may not set
 * `node-restriction.kubernetes.io/` labels, so a compromised node cannot claim a tenant's pods.
 */
export const TENANT_RESTRICTED_LABEL = 'node-restriction.kubernetes.io/kprod-tenant';
export { ACCELERATOR_LABEL } from '../../lib/sizing/gpu';

/** The failure domains a pool spreads over. */
export function poolFailureDomains(cluster: ClusterSpec, pool: NodePoolSpec): readonly string[] {
  return pool.failureDomains?.length ? pool.failureDomains : cluster.failureDomains;
}

/**
 * Splits `total` over `parts` as evenly as possible; the first `total % parts` parts get one more.
 * Deterministic: the same inputs always give the same list.
 */
export function splitEvenly(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  const extra = total % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Taints registered at join: the pool's own; GPU pools without own taints get the vendor's; dedicated pools the tenant's. */
export function poolTaints(cluster: ClusterSpec, pool: NodePoolSpec): PoolTaint[] {
  const taints: PoolTaint[] = pool.taints.map((t) => ({ ...t }));
  const gpu = cluster.skus[pool.sku]?.gpu;
  if (gpu && taints.length === 0) taints.push({ key: GPU_RESOURCE[gpu.vendor], value: 'present', effect: 'NoSchedule' });
  if (pool.dedicatedTo && !taints.some((t) => t.key === TENANT_KEY))
    taints.push({ key: TENANT_KEY, value: pool.dedicatedTo, effect: 'NoSchedule' });
  return taints;
}

export interface PoolLabels {
  /** Set by the kubelet at registration (`--node-labels`). */
  readonly kubelet: Record<string, string>;
  /** Put on the Machines; Cluster API syncs them to the Nodes. */
  readonly machine: Record<string, string>;
}

/** The node labels of a pool, split by who may set them. */
export function poolLabels(cluster: ClusterSpec, pool: NodePoolSpec): PoolLabels {
  const all: Record<string, string> = { ...pool.labels, [POOL_LABEL]: pool.name, 'node-role.kubernetes.io/worker': '' };
  const gpu = cluster.skus[pool.sku]?.gpu;
  if (gpu) all[ACCELERATOR_LABEL] = gpu.vendor;
  if (pool.dedicatedTo) {
    all[TENANT_KEY] = pool.dedicatedTo;
    all[TENANT_RESTRICTED_LABEL] = pool.dedicatedTo;
  }
  const kubelet: Record<string, string> = {};
  const machine: Record<string, string> = {};
  for (const key of Object.keys(all).sort()) {
    if (kubeletMaySet(key)) kubelet[key] = all[key];
    else machine[key] = all[key];
  }
  return { kubelet, machine };
}

/** `k=v,k2=v2` for the kubelet's `--node-labels`. */
export function nodeLabelsArg(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** A DNS-label-safe form of a failure domain name for object names (`AZ_1` → `az-1`). */
export function failureDomainSlug(fd: string): string {
  return fd.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'fd';
}
