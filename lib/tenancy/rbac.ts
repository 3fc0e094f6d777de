import type { ClusterSpec, TenantSpec } from '../spec';
import type { Manifest } from './manifest';

export const NAMESPACE_ADMIN_ROLE = 'kprod:namespace-admin';
export const NAMESPACE_VIEWER_ROLE = 'kprod:namespace-viewer';

/** One PolicyRule of a ClusterRole. */
export interface PolicyRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'update', 'patch', 'delete', 'deletecollection'];
const ALL = [...READ, ...WRITE];

/** Workload resources a tenant owns: full control inside its namespaces. */
const WORKLOADS: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'endpoints', 'configmaps', 'secrets', 'persistentvolumeclaims', 'serviceaccounts', 'replicationcontrollers'], verbs: ALL },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets', 'deployments/scale', 'statefulsets/scale', 'replicasets/scale'], verbs: ALL },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ALL },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ALL },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ALL },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ALL },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ALL },
];

/** Interactive access to running pods. */
const POD_ACCESS: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods/exec', 'pods/attach', 'pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/eviction'], verbs: ['create'] },
];

/** Read-only companions of the workload resources (logs, status, events, discovery). */
const OBSERVE: PolicyRule[] = [
  { apiGroups: [''], resources: ['pods/log', 'pods/status', 'events'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
];

/** The workload resources read-only, without secrets: viewers never read them. */
const WORKLOADS_READ_ONLY: PolicyRule[] = WORKLOADS.map((rule) => ({
  apiGroups: rule.apiGroups,
  resources: rule.resources.filter((r) => r !== 'secrets' && !r.endsWith('/scale')),
  verbs: READ,
}));

/** Objects the platform owns in tenant namespaces: tenants see them, never change them. */
const PLATFORM_OWNED: PolicyRule[] = [
  { apiGroups: [''], resources: ['resourcequotas', 'limitranges'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['networkpolicies'], verbs: READ },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: READ },
];

/**
 * Rules of `kprod:namespace-admin`: full control of workloads inside the namespace, read-only on what
 * the platform owns (quota, limits, network policies, RBAC). No RBAC write and no bind/escalate/
 * impersonate verbs, so an owner cannot grant itself or others more than this.
 */
export function namespaceAdminRules(): PolicyRule[] {
  return [...WORKLOADS, ...POD_ACCESS, ...OBSERVE, ...PLATFORM_OWNED];
}

/** Rules of `kprod:namespace-viewer`: read-only, without secrets. */
export function namespaceViewerRules(): PolicyRule[] {
  return [...WORKLOADS_READ_ONLY, ...OBSERVE, ...PLATFORM_OWNED];
}

export function clusterRole(name: string, rules: PolicyRule[]): Manifest {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'kprod' } },
    rules,
  };
}

/** An RBAC subject. */
export interface Subject {
  readonly kind: 'Group' | 'User';
  readonly name: string;
  readonly apiGroup: 'rbac.authorization.k8s.io';
}

/** The apiserver's `-` prefix means "no prefix". */
function prefix(value: string | undefined): string {
  return value === undefined || value === '-' ? '' : value;
}

/**
 * RBAC subjects of a tenant's owners or viewers. With OIDC, names carry the apiserver's
 * `--oidc-groups-prefix` / `--oidc-username-prefix`, which is how the apiserver presents them.
 */
export function subjectsOf(cluster: Pick<ClusterSpec, 'controlPlane'>, who: TenantSpec['owners']): Subject[] {
  const oidc = cluster.controlPlane.oidc;
  const groupPrefix = prefix(oidc?.groupsPrefix);
  const userPrefix = prefix(oidc?.usernamePrefix);
  return [
    ...who.groups.map((g) => ({ kind: 'Group' as const, name: `${groupPrefix}${g}`, apiGroup: 'rbac.authorization.k8s.io' as const })),
    ...who.users.map((u) => ({ kind: 'User' as const, name: `${userPrefix}${u}`, apiGroup: 'rbac.authorization.k8s.io' as const })),
  ];
}

/** RoleBinding of `subjects` to a shared ClusterRole inside one namespace; none when nobody is named. */
export function roleBinding(name: string, namespace: string, role: string, subjects: Subject[]): Manifest | undefined {
  if (subjects.length === 0) return undefined;
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name, namespace },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects,
  };
}
