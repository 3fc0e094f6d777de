/**
 * Optional synthetic load (`--synthetic N`): N tenant-bundle-like objects per tenant namespace, so
 * the pipeline can be measured at the intended ~1000 objects per cluster while the real
 * capabilities are still being written. Off by default; the report says when it was on.
 * Loaded by path in worker threads (functions cannot be sent to them); N travels in SYNTHETIC_ENV.
 */
import { ApiObject } from 'cdk8s';
import { CAPABILITIES, type Capability } from '../constructs/fleet';

/** Environment variable holding N in workers and child processes. */
export const SYNTHETIC_ENV = 'KPROD_BENCH_SYNTHETIC';

/** Synthetic objects per tenant namespace (0 = off). */
export function syntheticPerNamespace(): number {
  const n = Number(process.env[SYNTHETIC_ENV] ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** Objects shaped like a tenant bundle (quota, limits, RBAC, network policy, config). */
function syntheticObject(ns: string, tenant: string, i: number): Record<string, unknown> {
  const labels = { 'kprod.io/tenant': tenant, 'app.kubernetes.io/managed-by': 'kprod' };
  const name = `bench-${i}`;
  switch (i % 4) {
    case 0:
      return {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: { name, namespace: ns, labels },
        spec: { hard: { 'requests.cpu': '4', 'requests.memory': '16Gi', pods: '100' }, scopeSelector: { matchExpressions: [{ operator: 'In', scopeName: 'PriorityClass', values: ['medium'] }] } },
      };
    case 1:
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name, namespace: ns, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `oidc:${tenant}-admins` }],
      };
    case 2:
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name, namespace: ns, labels },
        spec: {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
          ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kprod.io/tenant': tenant } } }] }],
          egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] }],
        },
      };
    default:
      return {
        apiVersion: 'v1',
        kind: 'LimitRange',
        metadata: { name, namespace: ns, labels },
        spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '100m', memory: '128Mi' }, max: { cpu: '8', memory: '32Gi' } }] },
      };
  }
}

// Adds to the tenants' folders, which the tenancy capability owns.
const syntheticLoad: Capability = {
  id: 'bench-synthetic-load',
  extends: ['tenancy'],
  build(ctx) {
    const n = syntheticPerNamespace();
    if (!n) return;
    for (const tenant of ctx.cluster.tenants) {
      const chart = ctx.tenantChart(tenant.name);
      for (const ns of tenant.namespaces) for (let i = 0; i < n; i++) new ApiObject(chart, `bench-${ns.name}-${i}`, syntheticObject(ns.name, tenant.name, i) as never);
    }
  },
};

/** kprod's capabilities plus the synthetic load (empty when the variable is unset). */
export const BENCH_CAPABILITIES: Capability[] = [...CAPABILITIES, syntheticLoad];
