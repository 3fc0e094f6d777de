import { allocatableReport } from '../sizing/allocatable';
import { toMilli, toUnits, tryParseQuantity } from '../sizing/quantity';
import { poolMaxNodes } from '../spec/validate/scale';
import type { ClusterSpec, TenantSpec } from '../spec';
import { isIsolated } from './isolation';

// The overcommit ratios are cluster settings: `tenancy.overcommitWarnRatio` / `overcommitMaxRatio`.

/** Quota resources compared with allocatable capacity. */
export const CAPACITY_RESOURCES = ['requests.cpu', 'requests.memory'] as const;
export type CapacityResource = (typeof CAPACITY_RESOURCES)[number];

/** cpu in millicores, memory in bytes. */
function amount(resource: CapacityResource, text: string | undefined): number | undefined {
  const q = text === undefined ? undefined : tryParseQuantity(text);
  if (!q) return undefined;
  return resource === 'requests.cpu' ? toMilli(q) : toUnits(q);
}

/**
 * What one namespace of the tenant may request of `resource`: the namespace quota, else the sum of
 * its PriorityClass tier quotas, else nothing known (unbounded, not counted).
 */
export function namespaceRequestBound(tenant: Pick<TenantSpec, 'quota' | 'priorityQuotas'>, resource: CapacityResource): number | undefined {
  const direct = amount(resource, tenant.quota[resource]);
  if (direct !== undefined) return direct;
  const tiers = Object.values(tenant.priorityQuotas)
    .map((q) => amount(resource, q[resource]))
    .filter((v): v is number => v !== undefined);
  return tiers.length ? tiers.reduce((a, b) => a + b, 0) : undefined;
}

/** The pools a set of tenants shares and what those tenants may request in total. */
export interface CapacityGroup {
  /** "shared pools" or "pools dedicated to <tenant>". */
  readonly label: string;
  readonly pools: readonly string[];
  /** Allocatable of the pools at their maximum size: cpu millicores, memory bytes. */
  readonly allocatable: Readonly<Record<CapacityResource, number>>;
  /** Per tenant (index in `cluster.tenants`): namespaces × per-namespace bound. */
  readonly requests: ReadonlyArray<{ readonly tenant: number; readonly namespaces: number; readonly perNamespace: Readonly<Partial<Record<CapacityResource, number>>> }>;
}

/**
 * Splits the cluster into capacity groups: every isolated tenant with its dedicated pools, and all
 * other tenants with the pools dedicated to nobody. Allocatable comes from each pool's rendered
 * KubeletConfiguration (reservations and hard eviction thresholds) times its maximum node count.
 */
export function capacityGroups(cluster: ClusterSpec): CapacityGroup[] {
  const perPool = new Map(allocatableReport(cluster).map((row) => [row.pool, row.allocatable]));
  const sum = (pools: readonly string[]) => {
    const total = { 'requests.cpu': 0, 'requests.memory': 0 };
    for (const name of pools) {
      const pool = cluster.nodePools.find((p) => p.name === name);
      const alloc = perPool.get(name);
      if (!pool || !alloc) continue;
      const nodes = poolMaxNodes(pool);
      total['requests.cpu'] += Math.max(0, alloc.cpu) * nodes;
      total['requests.memory'] += Math.max(0, alloc.memory) * nodes;
    }
    return total;
  };
  const requestsOf = (indexes: number[]) =>
    indexes.map((t) => {
      const tenant = cluster.tenants[t];
      const perNamespace: Partial<Record<CapacityResource, number>> = {};
      for (const r of CAPACITY_RESOURCES) {
        const bound = namespaceRequestBound(tenant, r);
        if (bound !== undefined) perNamespace[r] = bound;
      }
      return { tenant: t, namespaces: tenant.namespaces.length, perNamespace };
    });
  const groups: CapacityGroup[] = [];
  const shared = cluster.nodePools.filter((p) => !p.dedicatedTo).map((p) => p.name);
  const sharedTenants = cluster.tenants.flatMap((t, i) => (isIsolated(t) ? [] : [i]));
  if (sharedTenants.length) groups.push({ label: 'shared pools', pools: shared, allocatable: sum(shared), requests: requestsOf(sharedTenants) });
  cluster.tenants.forEach((t, i) => {
    if (isIsolated(t)) groups.push({ label: `pools dedicated to ${t.name}`, pools: t.nodePools, allocatable: sum(t.nodePools), requests: requestsOf([i]) });
  });
  return groups;
}
