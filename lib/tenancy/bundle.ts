import type { ClusterSpec, TenantSpec } from '../spec';
import type { Manifest } from './manifest';
import { tenantFlowControl } from './flow-control';
import { tenantNamespace } from './namespace';
import { tenantNetworkPolicies } from './network-policy';
import { priorityClasses } from './priority-classes';
import { tenantLimitRange, tenantQuotas } from './quota';
import { clusterRole, NAMESPACE_ADMIN_ROLE, NAMESPACE_VIEWER_ROLE, namespaceAdminRules, namespaceViewerRules, roleBinding, subjectsOf } from './rbac';

/** Names of the RoleBindings in every tenant namespace. */
export const OWNERS_BINDING = 'kprod-tenant-owners';
export const VIEWERS_BINDING = 'kprod-tenant-viewers';

/**
 * Every object of one tenant: per namespace the Namespace, RBAC, quotas, LimitRange and
 * NetworkPolicies; then the tenant's API Priority and Fairness level and FlowSchema.
 */
export function tenantBundle(cluster: ClusterSpec, tenant: TenantSpec): Manifest[] {
  const owners = subjectsOf(cluster, tenant.owners);
  const viewers = subjectsOf(cluster, tenant.viewers);
  const perNamespace = tenant.namespaces.flatMap((ns) => [
    tenantNamespace(cluster, tenant, ns),
    ...[roleBinding(OWNERS_BINDING, ns.name, NAMESPACE_ADMIN_ROLE, owners), roleBinding(VIEWERS_BINDING, ns.name, NAMESPACE_VIEWER_ROLE, viewers)].filter(
      (m): m is Manifest => m !== undefined,
    ),
    ...tenantQuotas(cluster, tenant, ns.name),
    tenantLimitRange(tenant, ns.name),
    ...tenantNetworkPolicies(tenant, ns.name),
  ]);
  return [...perNamespace, ...tenantFlowControl(cluster, tenant)];
}

/** Cluster-wide objects tenants rely on: PriorityClasses and the two shared ClusterRoles. */
export function tenancyBaseObjects(cluster: ClusterSpec): Manifest[] {
  return [
    ...priorityClasses(cluster),
    clusterRole(NAMESPACE_ADMIN_ROLE, namespaceAdminRules()),
    clusterRole(NAMESPACE_VIEWER_ROLE, namespaceViewerRules()),
  ];
}
