/**
 * The promises tenants rely on, checked on the objects the example fleet synthesizes: who can do
 * what (through an RBAC evaluator), what the default-deny policy selects, which tiers have quota,
 * and that no tenant's objects point into another tenant's namespaces.
 */
import { addTenancy } from '../../../constructs/tenancy';
import { parseFleet, type ClusterSpec, type TenantSpec } from '../../../lib/spec';
import { ALL_VERBS, RbacModel, type Identity } from '../../../lib/tenancy/rbac-eval';
import type { Manifest } from '../../../lib/tenancy/manifest';
import { exampleFleet } from '../../helpers/fleet';
import { synthObjects } from '../../helpers/synth';

const { spec } = parseFleet(exampleFleet());
const objects = synthObjects(exampleFleet(), [addTenancy]);
const READ = ['get', 'list', 'watch'];
const RBAC_KINDS = [
  ['rbac.authorization.k8s.io', 'roles'],
  ['rbac.authorization.k8s.io', 'rolebindings'],
  ['rbac.authorization.k8s.io', 'clusterroles'],
  ['rbac.authorization.k8s.io', 'clusterrolebindings'],
] as const;

const clusters = spec.environments.flatMap((env) => env.clusters.map((cluster) => ({ env: env.name, cluster })));

/** Objects synthesized for one cluster (tenant folders and shared add-ons). */
function clusterObjects(env: string, cluster: ClusterSpec): Manifest[] {
  return objects.filter((o) => o.file.startsWith(`${env}/${cluster.name}/`)).map((o) => o.obj);
}

/** Objects of one tenant's folder. */
function tenantObjects(env: string, cluster: ClusterSpec, tenant: TenantSpec): Manifest[] {
  return objects.filter((o) => o.file.startsWith(`${env}/${cluster.name}/tenants/${tenant.name}/`)).map((o) => o.obj);
}

/** A member of the tenant's first owner group, as the apiserver sees it with OIDC. */
function owner(cluster: ClusterSpec, tenant: TenantSpec): Identity {
  const prefix = cluster.controlPlane.oidc?.groupsPrefix ?? '';
  return { user: 'oidc:someone@example.com', groups: tenant.owners.groups.map((g) => `${prefix}${g}`) };
}

function viewer(cluster: ClusterSpec, tenant: TenantSpec): Identity {
  const prefix = cluster.controlPlane.oidc?.groupsPrefix ?? '';
  return { user: 'oidc:reader@example.com', groups: tenant.viewers.groups.map((g) => `${prefix}${g}`) };
}

const namespacesOf = (tenant: TenantSpec) => tenant.namespaces.map((n) => n.name);

describe.each(clusters)('tenancy promises on $env/$cluster.name', ({ env, cluster }) => {
  const all = clusterObjects(env, cluster);
  const rbac = new RbacModel(all);
  // Every namespace a request could name: the tenants', some platform ones, and cluster scope.
  const namespaces = [...cluster.tenants.flatMap(namespacesOf), 'default', 'kube-system', 'monitoring', undefined];

  it('has tenants to check', () => {
    expect(cluster.tenants.length).toBeGreaterThan(0);
    expect(all.some((o) => o.kind === 'RoleBinding')).toBe(true);
  });

  describe.each(cluster.tenants.map((t) => ({ tenant: t, name: t.name })))('tenant $name', ({ tenant }) => {
    const own = namespacesOf(tenant);
    const who = owner(cluster, tenant);

    it('owners run workloads in their namespaces (the evaluator sees the grant)', () => {
      for (const ns of own) {
        expect(rbac.can(who, { verb: 'create', group: 'apps', resource: 'deployments', namespace: ns })).toBe(true);
        expect(rbac.can(who, { verb: 'create', group: '', resource: 'pods/exec', namespace: ns })).toBe(true);
      }
    });

    it('owners can at most read Roles and RoleBindings, only in their namespaces, and never ClusterRoles or their bindings', () => {
      for (const ns of namespaces)
        for (const [group, resource] of RBAC_KINDS) {
          const verbs = rbac.allowedVerbs(who, { group, resource, namespace: ns });
          const mayRead = ns !== undefined && own.includes(ns) && (resource === 'roles' || resource === 'rolebindings');
          expect({ ns, resource, verbs: verbs.filter((v) => !(mayRead && READ.includes(v))) }).toEqual({ ns, resource, verbs: [] });
        }
    });

    it('owners hold no escalate, bind or impersonate anywhere', () => {
      const targets: Array<readonly [string, string]> = [...RBAC_KINDS, ['', 'users'], ['', 'groups'], ['', 'serviceaccounts'], ['authentication.k8s.io', 'userextras/scopes'], ['authentication.k8s.io', 'uids']];
      for (const ns of namespaces)
        for (const [group, resource] of targets)
          expect({ ns, resource, verbs: rbac.allowedVerbs(who, { group, resource, namespace: ns }, ['escalate', 'bind', 'impersonate']) }).toEqual({ ns, resource, verbs: [] });
    });

    it('owners have no access at all in the namespaces of other tenants or the platform', () => {
      const foreign = namespaces.filter((ns) => ns === undefined || !own.includes(ns));
      for (const ns of foreign)
        for (const [group, resource] of [['', 'pods'], ['', 'secrets'], ['apps', 'deployments'], ['', 'namespaces'], ['', 'nodes']] as const)
          expect({ ns, resource, verbs: rbac.allowedVerbs(who, { group, resource, namespace: ns }) }).toEqual({ ns, resource, verbs: [] });
    });

    it('viewers only read, and never Secrets', () => {
      const reader = viewer(cluster, tenant);
      if (reader.groups.length === 0) return expect(all.filter((o) => o.kind === 'RoleBinding' && o.metadata.name.includes('viewer') && own.includes(o.metadata.namespace!))).toEqual([]);
      for (const ns of namespaces)
        for (const [group, resource] of [['', 'pods'], ['', 'configmaps'], ['apps', 'deployments'], ...RBAC_KINDS] as const) {
          const verbs = rbac.allowedVerbs(reader, { group, resource, namespace: ns });
          expect({ ns, resource, writes: verbs.filter((v) => !READ.includes(v)) }).toEqual({ ns, resource, writes: [] });
        }
      for (const ns of namespaces) expect(rbac.allowedVerbs(reader, { group: '', resource: 'secrets', namespace: ns })).toEqual([]);
      expect(rbac.can(reader, { verb: 'list', group: '', resource: 'pods', namespace: own[0] })).toBe(true);
    });

    it('isolates every pod of each namespace by default, both directions', () => {
      for (const ns of own) {
        const policies = all.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.namespace === ns) as any[];
        const denyAll = policies.filter(
          (p) =>
            Object.keys(p.spec.podSelector ?? { missing: true }).length === 0 &&
            p.spec.policyTypes?.includes('Ingress') &&
            p.spec.policyTypes?.includes('Egress') &&
            (p.spec.ingress ?? []).length === 0 &&
            (p.spec.egress ?? []).length === 0,
        );
        expect({ ns, denyAll: denyAll.length }).toEqual({ ns, denyAll: 1 });
      }
    });

    it('quotas every priority tier the tenant may use, scoped to exactly that PriorityClass', () => {
      const tiers = Object.keys(tenant.priorityQuotas);
      const priorityClasses = all.filter((o) => o.kind === 'PriorityClass').map((o) => o.metadata.name);
      for (const tier of tiers) expect(priorityClasses).toContain(tier);
      for (const ns of own) {
        const quotas = all.filter((o) => o.kind === 'ResourceQuota' && o.metadata.namespace === ns);
        const tiersOf = (q: any): string[] =>
          (q.spec.scopeSelector?.matchExpressions ?? []).filter((e: any) => e.scopeName === 'PriorityClass' && e.operator === 'In').flatMap((e: any) => e.values);
        const scoped = quotas.map(tiersOf).filter((v) => v.length);
        for (const tier of tiers) expect({ ns, tier, quotas: scoped.filter((v: string[]) => v.length === 1 && v[0] === tier).length }).toEqual({ ns, tier, quotas: 1 });
        // A scoped quota for a tier the tenant was not given admits no pod.
        const foreign = quotas.filter((q: any) => tiersOf(q).some((t) => !tiers.includes(t)));
        for (const q of foreign) expect({ ns, quota: q.metadata.name, hard: (q as any).spec.hard }).toEqual({ ns, quota: q.metadata.name, hard: { pods: '0' } });
      }
    });

    it("never references another tenant's namespaces, except where the spec allows it", () => {
      const allowed = new Set([...tenant.network.allowIngressFromNamespaces, ...tenant.network.allowEgressToNamespaces]);
      const others = cluster.tenants.filter((t) => t.name !== tenant.name);
      const forbidden = new Set(others.flatMap(namespacesOf).filter((ns) => !allowed.has(ns)));
      const otherTenantNames = new Set(others.map((t) => t.name));
      const hits: string[] = [];
      const walk = (value: unknown, path: string, key?: string) => {
        if (typeof value === 'string') {
          if (forbidden.has(value)) hits.push(`${path} = ${value}`);
          // Tenant labels select all of a tenant's namespaces at once.
          if (key === 'kprod.io/tenant' && otherTenantNames.has(value)) hits.push(`${path} = ${value}`);
        } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, key));
        else if (value && typeof value === 'object')
          for (const [k, v] of Object.entries(value)) {
            if (forbidden.has(k)) hits.push(`${path}.${k} (key)`);
            walk(v, `${path}.${k}`, k);
          }
      };
      const mine = tenantObjects(env, cluster, tenant);
      expect(mine.length).toBeGreaterThan(0);
      for (const obj of mine) walk(obj, `${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}`);
      expect(hits).toEqual([]);
      // Every namespaced object of the folder lives in one of the tenant's own namespaces.
      expect(mine.filter((o) => o.metadata.namespace && !own.includes(o.metadata.namespace)).map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([]);
    });
  });
});

describe('RbacModel', () => {
  const role = (kind: string, name: string, rules: unknown[], namespace?: string, extra: Record<string, unknown> = {}): Manifest => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...((extra.labels ? { labels: extra.labels } : {}) as object) },
    rules,
    ...(extra.aggregationRule ? { aggregationRule: extra.aggregationRule } : {}),
  });
  const binding = (kind: string, name: string, ref: { kind: string; name: string }, subjects: unknown[], namespace?: string): Manifest => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...ref },
    subjects,
  });
  const alice: Identity = { user: 'alice', groups: ['team'] };

  it('limits a RoleBinding of a ClusterRole to its namespace', () => {
    const model = new RbacModel([
      role('ClusterRole', 'edit', [{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]),
      binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'Group', name: 'team' }], 'a'),
    ]);
    expect(model.can(alice, { verb: 'delete', group: '', resource: 'pods', namespace: 'a' })).toBe(true);
    expect(model.can(alice, { verb: 'delete', group: '', resource: 'pods', namespace: 'b' })).toBe(false);
    expect(model.can(alice, { verb: 'delete', group: '', resource: 'pods/log', namespace: 'a' })).toBe(false);
    expect(model.can({ user: 'bob', groups: [] }, { verb: 'get', group: '', resource: 'pods', namespace: 'a' })).toBe(false);
  });

  it('applies ClusterRoleBindings everywhere, wildcards and aggregated rules included', () => {
    const model = new RbacModel([
      role('ClusterRole', 'agg', [], undefined, { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { x: 'y' } }] } }),
      role('ClusterRole', 'piece', [{ apiGroups: ['*'], resources: ['*'], verbs: ['escalate'] }], undefined, { labels: { x: 'y' } }),
      binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'agg' }, [{ kind: 'User', name: 'alice' }]),
    ]);
    expect(model.allowedVerbs(alice, { group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: 'any' })).toEqual(['escalate']);
    expect(model.allowedVerbs(alice, { group: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, ALL_VERBS)).toEqual(['escalate']);
  });

  it('resolves Roles in the binding namespace and ServiceAccount subjects', () => {
    const model = new RbacModel([
      role('Role', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'a'),
      role('Role', 'r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }], 'b'),
      binding('RoleBinding', 'b', { kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'sa', namespace: 'a' }], 'a'),
    ]);
    const sa: Identity = { user: 'system:serviceaccount:a:sa', groups: [] };
    expect(model.allowedVerbs(sa, { group: '', resource: 'secrets', namespace: 'a' })).toEqual(['get']);
  });
});
