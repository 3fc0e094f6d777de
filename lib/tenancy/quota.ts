import type { ClusterSpec, TenantSpec } from '../spec';
import type { Manifest } from './manifest';

type Quota = Readonly<Record<string, unknown>>;

/** Quota keys that bound compute and storage; the rest are object counts. */
const COMPUTE_KEYS = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage']);

/** Pod scopes a ResourceQuota can name in `spec.scopes`, in the order they are rendered. */
export const POD_SCOPES = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating'] as const;

/** `spec.hard` of a quota: every set entry as a quantity string, in a stable order. */
function hard(quota: Quota, keep: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(quota)
      .filter(([key, value]) => value !== undefined && typeof value !== 'object' && keep(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => [key, String(value)]),
  );
}

function resourceQuota(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec };
}

/** Extended resources of the namespace quota as `requests.<name>` quota keys (the only form the apiserver accepts). */
export function extendedQuotaHard(quota: Pick<TenantSpec['quota'], 'extended'>): Record<string, string> {
  return Object.fromEntries(
    Object.keys(quota.extended)
      .sort()
      .map((name) => [`requests.${name}`, String(quota.extended[name])]),
  );
}

/** The PriorityClass-scoped quota of one tier: `spec.scopeSelector` PriorityClass In [tier]. */
function priorityQuota(tier: string, namespace: string, tierHard: Record<string, string>): Manifest {
  return resourceQuota(`priority-${tier}`, namespace, {
    hard: tierHard,
    scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [tier] }] },
  });
}

/**
 * The namespace's ResourceQuotas:
 * - `compute`: requests/limits of cpu, memory, ephemeral storage, storage and extended resources;
 * - `object-counts`;
 * - `priority-<class>` for every PriorityClass of the cluster: the tenant's tier quota, or, when
 *   `tenancy.priorityClassesNeedQuota` is on (the default), `pods: 0` for a class the tenant was not
 *   given (with the ResourceQuota admission configuration a class without a covering quota is refused
 *   anyway; the zero quota makes the refusal visible in the namespace);
 * - `scope-<scope>` per pod scope of `scopeQuotas`.
 * Empty compute/count/scope quotas are not rendered.
 */
export function tenantQuotas(
  cluster: Pick<ClusterSpec, 'priorityClasses' | 'tenancy'>,
  tenant: Pick<TenantSpec, 'quota' | 'priorityQuotas' | 'scopeQuotas'>,
  namespace: string,
): Manifest[] {
  const out: Manifest[] = [];
  const compute = { ...hard(tenant.quota, (k) => COMPUTE_KEYS.has(k)), ...extendedQuotaHard(tenant.quota) };
  if (Object.keys(compute).length) out.push(resourceQuota('compute', namespace, { hard: compute }));
  const counts = hard(tenant.quota, (k) => !COMPUTE_KEYS.has(k));
  if (Object.keys(counts).length) out.push(resourceQuota('object-counts', namespace, { hard: counts }));
  const restrict = cluster.tenancy.priorityClassesNeedQuota;
  const tiers = new Set([...Object.keys(tenant.priorityQuotas), ...(restrict ? cluster.priorityClasses.map((pc) => pc.name) : [])]);
  for (const tier of [...tiers].sort()) {
    const given = tenant.priorityQuotas[tier];
    if (!given) {
      out.push(priorityQuota(tier, namespace, { pods: '0' }));
      continue;
    }
    const tierHard = hard(given, () => true);
    // Under restriction an empty tier still needs its (unlimited) covering quota.
    if (Object.keys(tierHard).length || restrict) out.push(priorityQuota(tier, namespace, tierHard));
  }
  for (const scope of POD_SCOPES) {
    const q = tenant.scopeQuotas[scope];
    if (!q) continue;
    const scopeHard = hard(q, () => true);
    if (Object.keys(scopeHard).length) out.push(resourceQuota(`scope-${scope.toLowerCase()}`, namespace, { hard: scopeHard, scopes: [scope] }));
  }
  return out;
}

/** The namespace's LimitRange: per-container default request, default limit and maximum. */
export function tenantLimitRange(tenant: Pick<TenantSpec, 'limits'>, namespace: string): Manifest {
  const { defaultRequest, default: defaultLimit, max } = tenant.limits;
  return {
    apiVersion: 'v1',
    kind: 'LimitRange',
    metadata: { name: 'container-defaults', namespace },
    spec: {
      limits: [
        {
          type: 'Container',
          defaultRequest: { cpu: defaultRequest.cpu, memory: defaultRequest.memory },
          default: { cpu: defaultLimit.cpu, memory: defaultLimit.memory },
          max: { cpu: max.cpu, memory: max.memory },
        },
      ],
    },
  };
}
