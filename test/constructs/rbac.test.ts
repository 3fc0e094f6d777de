import { App, Chart } from 'cdk8s';
import { workloadRbac } from '../../constructs/rbac';

describe('workloadRbac: the one RBAC helper', () => {
  it('builds the ServiceAccount, its own ClusterRole and Role, and bindings to existing roles, all bound to the ServiceAccount', () => {
    const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
    const rbac = workloadRbac(chart, {
      name: 'agent',
      namespace: 'ops',
      labels: { app: 'agent' },
      automountToken: false,
      clusterRules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }],
      clusterRoleName: 'kprod:agent',
      namespaceRules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update'] }],
      bindClusterRoles: { 'agent:auth-delegator': 'system:auth-delegator' },
      bindRoles: { 'agent-auth-reader': 'extension-apiserver-authentication-reader' },
    });
    const objs = chart.toJson();
    const byKindName = (kind: string, name: string) => objs.find((o) => o.kind === kind && o.metadata.name === name);
    expect(byKindName('ServiceAccount', 'agent')).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'agent', namespace: 'ops', labels: { app: 'agent' } }, automountServiceAccountToken: false });
    expect(byKindName('ClusterRole', 'kprod:agent').rules).toEqual([{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]);
    expect(byKindName('Role', 'agent').metadata.namespace).toBe('ops');
    const sa = [{ kind: 'ServiceAccount', name: 'agent', namespace: 'ops' }];
    expect(byKindName('ClusterRoleBinding', 'kprod:agent')).toMatchObject({ roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kprod:agent' }, subjects: sa });
    expect(byKindName('RoleBinding', 'agent')).toMatchObject({ metadata: { namespace: 'ops' }, roleRef: { kind: 'Role', name: 'agent' }, subjects: sa });
    expect(byKindName('ClusterRoleBinding', 'agent:auth-delegator').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:auth-delegator' });
    expect(byKindName('RoleBinding', 'agent-auth-reader')).toMatchObject({ metadata: { namespace: 'ops' }, roleRef: { kind: 'Role', name: 'extension-apiserver-authentication-reader' } });
    expect(objs).toHaveLength(7);
    expect(rbac.bindings).toHaveLength(4);
  });

  it('leaves automountServiceAccountToken unset by default and builds no role without rules', () => {
    const chart = new Chart(new App(), 'c', { disableResourceNameHashes: true });
    workloadRbac(chart, { name: 'plain', namespace: 'ops' });
    expect(chart.toJson()).toEqual([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'plain', namespace: 'ops' } }]);
  });
});
