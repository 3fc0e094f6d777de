/**
 * The one way kprod writes RBAC: ServiceAccounts, (Cluster)Roles and their bindings as plain
 * manifests, so that constructs (constructs/rbac.ts) and pure renderers build them alike.
 */
export const RBAC_API_GROUP = 'rbac.authorization.k8s.io';
const RBAC_API_VERSION = `${RBAC_API_GROUP}/v1`;

export type Labels = Readonly<Record<string, string>>;
/** One PolicyRule (apiGroups, resources, verbs, resourceNames, nonResourceURLs). */
export type PolicyRule = Readonly<Record<string, unknown>>;
export interface ObjectMeta {
  readonly name: string;
  /** @default cluster-scoped */
  readonly namespace?: string;
  /** @default none */
  readonly labels?: Labels;
}
export interface Subject {
  readonly kind: 'ServiceAccount' | 'User' | 'Group';
  readonly name: string;
  /** ServiceAccounts only. */
  readonly namespace?: string;
  /** Users and groups: rbac.authorization.k8s.io. */
  readonly apiGroup?: string;
}
export type Manifest = Record<string, unknown>;

const meta = (m: ObjectMeta) => ({ name: m.name, ...(m.namespace ? { namespace: m.namespace } : {}), ...(m.labels ? { labels: { ...m.labels } } : {}) });

/** A ServiceAccount; `automountToken` sets automountServiceAccountToken (unset: the cluster's default). */
export function serviceAccount(m: ObjectMeta & { readonly automountToken?: boolean }): Manifest {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(m), ...(m.automountToken !== undefined ? { automountServiceAccountToken: m.automountToken } : {}) };
}

/** A ClusterRole (no namespace) or Role (with one) holding `rules`. */
export function role(m: ObjectMeta, rules: readonly PolicyRule[]): Manifest {
  return { apiVersion: RBAC_API_VERSION, kind: m.namespace ? 'Role' : 'ClusterRole', metadata: meta(m), rules: structuredClone(rules) };
}

/**
 * A ClusterRoleBinding (no namespace) or RoleBinding (with one) of `subjects` to the role named
 * `roleRef` (a ClusterRole unless `roleKind` says Role).
 */
export function binding(m: ObjectMeta, roleRef: { readonly name: string; readonly kind?: 'ClusterRole' | 'Role' }, subjects: readonly Subject[]): Manifest {
  return {
    apiVersion: RBAC_API_VERSION,
    kind: m.namespace ? 'RoleBinding' : 'ClusterRoleBinding',
    metadata: meta(m),
    roleRef: { apiGroup: RBAC_API_GROUP, kind: roleRef.kind ?? 'ClusterRole', name: roleRef.name },
    subjects: subjects.map((s) => ({ ...s })),
  };
}
