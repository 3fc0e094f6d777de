import type { TenantSpec } from '../spec';
import type { Manifest } from './manifest';

type Quota = TenantSpec['quota'];

/** Quota keys that bound compute and storage; the rest are object counts. */
const COMPUTE_KEYS = new Set(['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'requests.storage']);

/** `spec.hard` of a quota: every set entry as a quantity string, in a stable order. */
function hard(quota: Quota, keep: (key: string) => boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(quota)
      .filter(([key, value]) => value !== undefined && keep(key))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => [key, String(value)]),
  );
}

function resourceQuota(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name, namespace }, spec };
}

/**
 * The namespace's ResourceQuotas: `compute` (requests/limits/storage), `object-counts`, and one
 * `priority-<tier>` per PriorityClass tier scoped with a PriorityClass scopeSelector. Empty quotas
 * are not rendered.
 */
export function tenantQuotas(tenant: Pick<TenantSpec, 'quota' | 'priorityQuotas'>, namespace: string): Manifest[] {
  const out: Manifest[] = [];
  const compute = hard(tenant.quota, (k) => COMPUTE_KEYS.has(k));
  if (Object.keys(compute).length) out.push(resourceQuota('compute', namespace, { hard: compute }));
  const counts = hard(tenant.quota, (k) => !COMPUTE_KEYS.has(k));
  if (Object.keys(counts).length) out.push(resourceQuota('object-counts', namespace, { hard: counts }));
  for (const tier of Object.keys(tenant.priorityQuotas).sort()) {
    const tierHard = hard(tenant.priorityQuotas[tier], () => true);
    if (!Object.keys(tierHard).length) continue;
    out.push(
      resourceQuota(`priority-${tier}`, namespace, {
        hard: tierHard,
        scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: [tier] }] },
      }),
    );
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
