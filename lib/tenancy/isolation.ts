import type { ClusterSpec, TenantSpec } from '../spec';

/** Label carried by tenant namespaces and by the nodes of pools dedicated to a tenant. */
export const TENANT_LABEL = 'kprod.io/tenant';
/** Label naming the fleet on tenant namespaces. */
export const FLEET_LABEL = 'kprod.io/fleet';

/** Namespace annotations read by the PodNodeSelector and PodTolerationRestriction admission plugins. */
export const NODE_SELECTOR_ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';
export const DEFAULT_TOLERATIONS_ANNOTATION = 'scheduler.alpha.kubernetes.io/defaultTolerations';
export const TOLERATIONS_WHITELIST_ANNOTATION = 'scheduler.alpha.kubernetes.io/tolerationsWhitelist';

/** A core/v1 Toleration. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/**
 * Taints Kubernetes itself puts on nodes (node conditions). The DefaultTolerationSeconds plugin and
 * the DaemonSet controller add tolerations for them, so every tenant whitelist must allow them.
 */
const NODE_CONDITION_TAINTS = [
  'node.kubernetes.io/not-ready',
  'node.kubernetes.io/unreachable',
  'node.kubernetes.io/disk-pressure',
  'node.kubernetes.io/memory-pressure',
  'node.kubernetes.io/pid-pressure',
  'node.kubernetes.io/unschedulable',
  'node.kubernetes.io/network-unavailable',
];

/** True when the tenant runs on node pools of its own. */
export function isIsolated(tenant: Pick<TenantSpec, 'nodePools'>): boolean {
  return tenant.nodePools.length > 0;
}

/** True when at least one tenant of the cluster is isolated onto dedicated pools. */
export function anyTenantIsolated(cluster: Pick<ClusterSpec, 'tenants'>): boolean {
  return cluster.tenants.some(isIsolated);
}

/** Node selector (PodNodeSelector annotation syntax `k=v`) forced onto an isolated tenant's pods. */
export function tenantNodeSelector(tenant: string): string {
  return `${TENANT_LABEL}=${tenant}`;
}

/** Toleration of the `kprod.io/tenant=<tenant>:NoSchedule` taint of the tenant's dedicated pools. */
export function tenantToleration(tenant: string): Toleration {
  return { key: TENANT_LABEL, operator: 'Equal', value: tenant, effect: 'NoSchedule' };
}

/** Tolerations of the node-condition taints (any effect, any value). */
export function nodeConditionTolerations(): Toleration[] {
  return NODE_CONDITION_TAINTS.map((key) => ({ key, operator: 'Exists' as const }));
}

/**
 * Tolerations a tenant's pods may carry: the node conditions, plus its own dedicated-pool taint when
 * isolated. Never another tenant's taint, so nobody can land on a pool dedicated to someone else.
 */
export function tolerationsWhitelist(tenant: Pick<TenantSpec, 'name' | 'nodePools'>): Toleration[] {
  return [...(isIsolated(tenant) ? [tenantToleration(tenant.name)] : []), ...nodeConditionTolerations()];
}
