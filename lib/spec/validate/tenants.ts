// Owned by the tenancy helper.
import { parseCidr } from '../../net/cidr';
import { tryParseQuantity, type Quantity } from '../../sizing/quantity';
import { capacityGroups, quotaValue, type CapacityResource } from '../../tenancy/capacity';
import { reservedNamespaceReason } from '../../tenancy/reserved';
import type { IssueCollector } from '../errors';
import type { ClusterSpec, TenantSpec } from '../types';
import { forEachCluster, type Rule } from './rule';

type Path = (string | number)[];
type Quota = Readonly<Record<string, unknown>>;

const QUANTITY_KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage'] as const;

/** Parses every quantity of a quota, reporting the ones the apiserver would refuse. */
function parseQuota(quota: Quota, path: Path, issues: IssueCollector): Partial<Record<(typeof QUANTITY_KEYS)[number], Quantity>> {
  const parsed: Partial<Record<(typeof QUANTITY_KEYS)[number], Quantity>> = {};
  for (const key of QUANTITY_KEYS) {
    const text = quota[key] as string | undefined;
    if (text === undefined) continue;
    const q = tryParseQuantity(text);
    if (!q) issues.error([...path, key], 'is not a Kubernetes quantity (examples: "500m", "4Gi", "2")', text);
    else if (q.nanos < 0n) issues.error([...path, key], 'must not be negative', text);
    else parsed[key] = q;
  }
  return parsed;
}

/** requests.* must not exceed limits.* of the same quota: such a quota admits no pod that uses both. */
function checkQuota(quota: Quota, path: Path, issues: IssueCollector): ReturnType<typeof parseQuota> {
  const q = parseQuota(quota, path, issues);
  for (const resource of ['cpu', 'memory', 'ephemeral-storage'] as const) {
    const req = q[`requests.${resource}`];
    const lim = q[`limits.${resource}`];
    if (req && lim && req.nanos > lim.nanos)
      issues.error([...path, `requests.${resource}`], `must not exceed limits.${resource} (${quota[`limits.${resource}`]}) of the same quota`, quota[`requests.${resource}`]);
  }
  return q;
}

/** Extended resources are counted in whole devices: the apiserver refuses a fractional quota for them. */
function checkExtendedQuota(tenant: TenantSpec, path: Path, issues: IssueCollector): void {
  for (const [name, text] of Object.entries(tenant.quota.extended)) {
    const q = tryParseQuantity(text);
    const at = [...path, 'quota', 'extended', name];
    if (!q) issues.error(at, 'is not a Kubernetes quantity (examples: "4", "8")', text);
    else if (q.nanos < 0n || q.nanos % 1_000_000_000n !== 0n) issues.error(at, 'must be a whole, non-negative number of devices', text);
  }
}

function checkTenantQuotas(tenant: TenantSpec, path: Path, issues: IssueCollector): void {
  const namespaceQuota = checkQuota(tenant.quota, [...path, 'quota'], issues);
  checkExtendedQuota(tenant, path, issues);
  const capped = (quota: Quota, qpath: Path) => {
    const q = checkQuota(quota, qpath, issues);
    for (const key of QUANTITY_KEYS) {
      const own = q[key];
      const cap = namespaceQuota[key];
      if (own && cap && own.nanos > cap.nanos)
        issues.warn([...qpath, key], `exceeds the namespace quota (${tenant.quota[key]}), which caps this one anyway`, quota[key]);
    }
  };
  for (const [tier, quota] of Object.entries(tenant.priorityQuotas)) capped(quota, [...path, 'priorityQuotas', tier]);
  for (const [scope, quota] of Object.entries(tenant.scopeQuotas)) if (quota) capped(quota, [...path, 'scopeQuotas', scope]);
}

/** LimitRange defaults must fit: defaultRequest ≤ default ≤ max, or the apiserver rejects the LimitRange. */
function checkLimits(tenant: TenantSpec, path: Path, issues: IssueCollector): void {
  const lpath = [...path, 'limits'];
  const { defaultRequest, default: defaultLimit, max } = tenant.limits;
  for (const resource of ['cpu', 'memory'] as const) {
    const parse = (field: string, text: string) => {
      const q = tryParseQuantity(text);
      if (!q) issues.error([...lpath, field, resource], 'is not a Kubernetes quantity (examples: "500m", "4Gi", "2")', text);
      return q;
    };
    const req = parse('defaultRequest', defaultRequest[resource]);
    const def = parse('default', defaultLimit[resource]);
    const mx = parse('max', max[resource]);
    if (req && def && req.nanos > def.nanos)
      issues.error([...lpath, 'defaultRequest', resource], `must not exceed limits.default.${resource} (${defaultLimit[resource]})`, defaultRequest[resource]);
    if (def && mx && def.nanos > mx.nanos) issues.error([...lpath, 'default', resource], `must not exceed limits.max.${resource} (${max[resource]})`, defaultLimit[resource]);
    else if (req && mx && req.nanos > mx.nanos)
      issues.error([...lpath, 'defaultRequest', resource], `must not exceed limits.max.${resource} (${max[resource]})`, defaultRequest[resource]);
  }
}

function checkNamespacesAndNetwork(tenant: TenantSpec, path: Path, issues: IssueCollector): void {
  tenant.namespaces.forEach((ns, n) => {
    const reason = reservedNamespaceReason(ns.name);
    if (reason) issues.error([...path, 'namespaces', n, 'name'], `${reason}; tenants may not use it`, ns.name);
  });
  tenant.network.allowEgressToCidrs.forEach((cidr, i) => {
    if (!parseCidr(cidr)) issues.error([...path, 'network', 'allowEgressToCidrs', i], 'must be a CIDR such as 10.20.0.0/16', cidr);
  });
  if (tenant.owners.groups.length + tenant.owners.users.length === 0)
    issues.warn([...path, 'owners'], 'names no group or user: nobody can manage the tenant\'s namespaces', tenant.owners);
}

/** A tenant's `nodePools` and the pools' `dedicatedTo` must name each other. */
function checkDedication(cluster: ClusterSpec, path: Path, issues: IssueCollector): void {
  const tenantIndex = new Map(cluster.tenants.map((t, i) => [t.name, i]));
  cluster.tenants.forEach((tenant, t) =>
    tenant.nodePools.forEach((name, i) => {
      const pool = cluster.nodePools.find((p) => p.name === name);
      if (pool && pool.dedicatedTo !== tenant.name)
        issues.error(
          [...path, 'tenants', t, 'nodePools', i],
          `pool ${name} is ${pool.dedicatedTo ? `dedicated to tenant ${pool.dedicatedTo}` : 'not dedicated to any tenant'}; set its dedicatedTo to "${tenant.name}" so it gets the tenant's taint and label`,
          name,
        );
    }),
  );
  cluster.nodePools.forEach((pool, p) => {
    if (!pool.dedicatedTo) return;
    const t = tenantIndex.get(pool.dedicatedTo);
    if (t !== undefined && !cluster.tenants[t].nodePools.includes(pool.name))
      issues.error(
        [...path, 'nodePools', p, 'dedicatedTo'],
        `tenant ${pool.dedicatedTo} does not list pool ${pool.name} in its nodePools, so its pods would never tolerate the pool's taint`,
        pool.dedicatedTo,
      );
  });
}

const show = (resource: CapacityResource, value: number) =>
  resource === 'requests.cpu'
    ? `${+(value / 1000).toFixed(2)} cores`
    : resource === 'requests.memory' || resource === 'requests.ephemeral-storage'
      ? `${+(value / 2 ** 30).toFixed(1)}Gi`
      : `${value} ${resource.slice('requests.'.length)}`;

/** Where the tenant sets `resource`: `quota.<key>`, `quota.extended.<name>` or (summed) `priorityQuotas`. */
function quotaField(tenant: TenantSpec, resource: CapacityResource): { field: Path; value: unknown } {
  const native = (tenant.quota as Quota)[resource];
  if (native !== undefined) return { field: ['quota', resource], value: native };
  const ext = resource.slice('requests.'.length);
  if (tenant.quota.extended[ext] !== undefined) return { field: ['quota', 'extended', ext], value: tenant.quota.extended[ext] };
  const set = (q: unknown) => (q as Quota | undefined)?.[resource] !== undefined;
  if (Object.values(tenant.priorityQuotas).some(set)) return { field: ['priorityQuotas'], value: tenant.priorityQuotas };
  return { field: ['scopeQuotas'], value: tenant.scopeQuotas };
}

/** Tenants' quotas (namespaces × per-namespace quota) against the allocatable capacity they can use. */
function checkCapacity(cluster: ClusterSpec, path: Path, issues: IssueCollector): void {
  // Pools with an unknown SKU are reported by the references rule; their capacity is unknown, so skip.
  const unknownSku = new Set(cluster.nodePools.filter((p) => !cluster.skus[p.sku]).map((p) => p.name));
  const warnRatio = cluster.tenancy.overcommitWarnRatio;
  const maxRatio = cluster.tenancy.overcommitMaxRatio;
  for (const group of capacityGroups(cluster)) {
    if (group.pools.some((p) => unknownSku.has(p))) continue;
    const resources = [...new Set(group.requests.flatMap((r) => Object.keys(r.perNamespace)))];
    for (const resource of resources) {
      const total = group.requests.reduce((sum, r) => sum + (r.perNamespace[resource] ?? 0) * r.namespaces, 0);
      if (total === 0) continue;
      const capacity = group.allocatable[resource] ?? 0;
      const ratio = capacity > 0 ? total / capacity : Number.POSITIVE_INFINITY;
      if (ratio <= warnRatio) continue;
      const hard = ratio > maxRatio;
      const what =
        capacity > 0
          ? `${group.label} (${group.pools.join(', ')}): tenants may request ${show(resource, total)} but the pools' allocatable at maximum size is ${show(resource, capacity)} (${ratio.toFixed(2)}×; ${hard ? `limit ${maxRatio}× (tenancy.overcommitMaxRatio)` : `warning above ${warnRatio}× (tenancy.overcommitWarnRatio)`})`
          : `${group.label}: tenants may request ${show(resource, total)} but these pools have no allocatable ${resource.slice('requests.'.length)}${group.pools.length ? '' : ' (there is no such pool)'}`;
      for (const r of group.requests) {
        const per = r.perNamespace[resource];
        if (!per) continue;
        const tenant = cluster.tenants[r.tenant];
        const { field, value } = quotaField(tenant, resource);
        const message = `${what}; this tenant: ${r.namespaces} namespace(s) × ${show(resource, per)}`;
        const at = [...path, 'tenants', r.tenant, ...field];
        if (hard) issues.error(at, message, value);
        else issues.warn(at, message, value);
      }
    }
  }
}

/** Tenancy rules (quota vs allocatable capacity, quantities, isolation, reserved namespaces). */
export const tenantRules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    cluster.tenants.forEach((tenant, t) => {
      const tpath = [...path, 'tenants', t];
      checkTenantQuotas(tenant, tpath, issues);
      checkLimits(tenant, tpath, issues);
      checkNamespacesAndNetwork(tenant, tpath, issues);
    });
    checkDedication(cluster, path, issues);
    checkCapacity(cluster, path, issues);
  });

