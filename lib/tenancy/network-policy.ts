import type { TenantSpec } from '../spec';
import { TENANT_LABEL } from './isolation';
import type { Manifest } from './manifest';

/** Label the apiserver sets on every namespace (immutable, so it can be trusted in selectors). */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function policy(name: string, namespace: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec: { podSelector: {}, ...spec } };
}

const namespacesNamed = (names: readonly string[]) => ({
  namespaceSelector: { matchExpressions: [{ key: NAMESPACE_NAME_LABEL, operator: 'In', values: [...names].sort() }] },
});

/**
 * Network policies of one tenant namespace: deny everything, then allow DNS to kube-dns, traffic
 * among the tenant's own namespaces, and the spec's extra allowances.
 */
export function tenantNetworkPolicies(tenant: Pick<TenantSpec, 'name' | 'network'>, namespace: string): Manifest[] {
  const sameTenant = { namespaceSelector: { matchLabels: { [TENANT_LABEL]: tenant.name } } };
  const out: Manifest[] = [
    policy('default-deny', namespace, { policyTypes: ['Ingress', 'Egress'] }),
    policy('allow-dns', namespace, {
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
    policy('allow-same-tenant', namespace, {
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [sameTenant] }],
      egress: [{ to: [sameTenant] }],
    }),
  ];
  const { allowIngressFromNamespaces: from, allowEgressToNamespaces: to, allowEgressToCidrs: cidrs } = tenant.network;
  if (from.length) out.push(policy('allow-ingress-from-namespaces', namespace, { policyTypes: ['Ingress'], ingress: [{ from: [namespacesNamed(from)] }] }));
  if (to.length) out.push(policy('allow-egress-to-namespaces', namespace, { policyTypes: ['Egress'], egress: [{ to: [namespacesNamed(to)] }] }));
  if (cidrs.length)
    out.push(policy('allow-egress-to-cidrs', namespace, { policyTypes: ['Egress'], egress: [{ to: [...cidrs].sort().map((cidr) => ({ ipBlock: { cidr } })) }] }));
  return out;
}
