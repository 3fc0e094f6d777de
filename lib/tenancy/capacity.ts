import { allocatableReport } from '../sizing/allocatable';
import { skuExtendedResources } from '../sizing/gpu';
import { toMilli, toUnits, tryParseQuantity } from '../sizing/quantity';
import { poolMaxNodes } from '../spec/validate/scale';
import type { ClusterSpec, TenantSpec } from '../spec';
import { isIsolated } from './isolation';

// The overcommit ratios are cluster settings: `tenancy.overcommitWarnRatio` / `overcommitMaxRatio`.

/** Native quota resources compared with allocatable capacity (extended resources come on top, as `requests.<name>`). */
export const CAPACITY_RESOURCES = ['requests.cpu', 'requests.memory', 'requests.ephemeral-storage'] as const;
/** A native capacity resource or `requests.<extended resource name>`. */
export type CapacityResource = string;

/** cpu in millicores, everything else in units (bytes, devices). */
function amount(resource: CapacityResource, text: string | number | undefined): number | undefined {
  const q = text === undefined ? undefined : tryParseQuantity(String(text));
  if (!q) return undefined;
  return resource === 'requests.cpu' ? toMilli(q) : toUnits(q);
}

type QuotaOwner = Pick<TenantSpec, 'quota' | 'priorityQuotas'> & Partial<Pick<TenantSpec, 'scopeQuotas'>>;

/** The tenant's own value of a quota key: native keys from `quota`, `requests.<name>` from `quota.extended`. */
export function quotaValue(tenant: QuotaOwner, resource: CapacityResource): string | undefined {
  const native = (tenant.quota as Readonly<Record<string, unknown>>)[resource];
  if (typeof native === 'string' || typeof native === 'number') return String(native);
  const ext = resource.startsWith('requests.') ? tenant.quota.extended[resource.slice('requests.'.length)] : undefined;
  return ext;
}

/**
 * What one namespace of the tenant may request of `resource`: the namespace quota, else the sum of
 * its PriorityClass tier quotas, else its NotBestEffort scope quota (every pod that requests
 * anything is NotBestEffort), else the sum of its Terminating and NotTerminating scope quotas (every
 * pod is one of the two), else nothing known (unbounded, not counted).
 */
export function namespaceRequestBound(tenant: QuotaOwner, resource: CapacityResource): number | undefined {
  const direct = amount(resource, quotaValue(tenant, resource));
  if (direct !== undefined) return direct;
  const of = (q: unknown) => amount(resource, (q as Readonly<Record<string, string | number | undefined>> | undefined)?.[resource]);
  const tiers = Object.values(tenant.priorityQuotas)
    .map(of)
    .filter((v): v is number => v !== undefined);
  if (tiers.length) return tiers.reduce((a, b) => a + b, 0);
  const scopes = tenant.scopeQuotas ?? {};
  const notBestEffort = of(scopes.NotBestEffort);
  if (notBestEffort !== undefined) return notBestEffort;
  const terminating = of(scopes.Terminating);
  const notTerminating = of(scopes.NotTerminating);
  return terminating !== undefined && notTerminating !== undefined ? terminating + notTerminating : undefined;
}

/** Every capacity resource a tenant's quota names: the native ones and its extended resources. */
export function tenantCapacityResources(tenant: QuotaOwner): CapacityResource[] {
  return [...CAPACITY_RESOURCES, ...Object.keys(tenant.quota.extended).sort().map((name) => `requests.${name}`)];
}

/** The pools a set of tenants shares and what those tenants may request in total. */
export interface CapacityGroup {
  /** "shared pools" or "pools dedicated to <tenant>". */
  readonly label: string;
  readonly pools: readonly string[];
  /** Allocatable of the pools at their maximum size per capacity resource: cpu millicores, memory and storage bytes, devices. */
  readonly allocatable: Readonly<Record<CapacityResource, number>>;
  /** Per tenant (index in `cluster.tenants`): namespaces × per-namespace bound. */
  readonly requests: ReadonlyArray<{ readonly tenant: number; readonly namespaces: number; readonly perNamespace: Readonly<Partial<Record<CapacityResource, number>>> }>;
}

/**
 * Splits the cluster into capacity groups: every isolated tenant with its dedicated pools, and all
 * other tenants with the pools dedicated to nobody. Allocatable comes from each pool's rendered
 * KubeletConfiguration (reservations and hard eviction thresholds) times its maximum node count;
 * extended resources (GPUs, SKU `extendedResources`) are the SKU's count times the node count.
 */
export function capacityGroups(cluster: ClusterSpec): CapacityGroup[] {
  const perPool = new Map(allocatableReport(cluster).map((row) => [row.pool, row.allocatable]));
  const sum = (pools: readonly string[]) => {
    const total: Record<CapacityResource, number> = { 'requests.cpu': 0, 'requests.memory': 0, 'requests.ephemeral-storage': 0 };
    for (const name of pools) {
      const pool = cluster.nodePools.find((p) => p.name === name);
      const alloc = perPool.get(name);
      if (!pool || !alloc) continue;
      const nodes = poolMaxNodes(pool);
      total['requests.cpu'] += Math.max(0, alloc.cpu) * nodes;
      total['requests.memory'] += Math.max(0, alloc.memory) * nodes;
      total['requests.ephemeral-storage'] += Math.max(0, alloc.ephemeralStorage) * nodes;
      for (const [resource, count] of Object.entries(skuExtendedResources(cluster.skus[pool.sku]))) {
        total[`requests.${resource}`] = (total[`requests.${resource}`] ?? 0) + count * nodes;
      }
    }
    return total;
  };
  const requestsOf = (indexes: number[]) =>
    indexes.map((t) => {
      const tenant = cluster.tenants[t];
      const perNamespace: Partial<Record<CapacityResource, number>> = {};
      for (const r of tenantCapacityResources(tenant)) {
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
