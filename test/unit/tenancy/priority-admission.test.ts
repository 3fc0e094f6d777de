import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { admissionConfiguration } from '../../../lib/render/admission-config';
import { parseFleet, SpecError, type ClusterSpec } from '../../../lib/spec';
import { tenantBundle } from '../../../lib/tenancy/bundle';
import type { Manifest } from '../../../lib/tenancy/manifest';
import { priorityAdmission } from '../../../lib/tenancy/priority-admission';
import { exampleFleet } from '../../helpers/fleet';

const clustersOf = (input: unknown): ClusterSpec[] => parseFleet(input).spec.environments.flatMap((e) => e.clusters);

/** The ResourceQuota plugin's configuration as the apiserver would load it from the rendered AdmissionConfiguration. */
function quotaPluginConfig(cluster: ClusterSpec): Record<string, unknown> | undefined {
  const plugins = admissionConfiguration(cluster).plugins as Array<{ name: string; configuration?: Record<string, unknown> }>;
  return plugins.find((p) => p.name === 'ResourceQuota')?.configuration;
}

const tenantObjects = (cluster: ClusterSpec): Manifest[] => cluster.tenants.flatMap((t) => tenantBundle(cluster, t));

describe('PriorityClasses only where a quota names them', () => {
  const clusters = clustersOf(exampleFleet());

  it('configures the ResourceQuota plugin to limit pods of every kprod class', () => {
    for (const cluster of clusters) {
      expect(quotaPluginConfig(cluster)).toEqual({
        apiVersion: 'apiserver.config.k8s.io/v1',
        kind: 'ResourceQuotaConfiguration',
        limitedResources: [{ resource: 'pods', matchScopes: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high', 'medium', 'low'] }] }],
      });
    }
  });

  it('admits a tenant pod at a class exactly when the tenant was given that class (every tenant, namespace and class of both examples)', () => {
    let checked = 0;
    for (const cluster of clusters) {
      const config = quotaPluginConfig(cluster);
      const objects = tenantObjects(cluster);
      for (const tenant of cluster.tenants)
        for (const ns of tenant.namespaces)
          for (const pc of cluster.priorityClasses) {
            const given = tenant.priorityQuotas[pc.name];
            const expected = given !== undefined && given.pods !== 0;
            expect({ ns: ns.name, class: pc.name, admitted: priorityAdmission(config, objects, ns.name, pc.name).admitted }).toEqual({ ns: ns.name, class: pc.name, admitted: expected });
            checked++;
          }
    }
    // prod: payments 2 namespaces + ml 1, staging: payments 1; three classes each
    expect(checked).toBe(12);
  });

  it('refuses staging payments (no priorityQuotas) at high, and ml at high, but lets payments-prod run at high', () => {
    const [prod, staging] = clusters;
    expect(priorityAdmission(quotaPluginConfig(staging), tenantObjects(staging), 'payments-staging', 'high')).toEqual({ admitted: false, reason: expect.stringMatching(/exceeded quota: priority-high/) });
    expect(priorityAdmission(quotaPluginConfig(prod), tenantObjects(prod), 'ml-training', 'high').admitted).toBe(false);
    expect(priorityAdmission(quotaPluginConfig(prod), tenantObjects(prod), 'ml-training', 'low').admitted).toBe(true);
    expect(priorityAdmission(quotaPluginConfig(prod), tenantObjects(prod), 'payments-prod', 'high').admitted).toBe(true);
  });

  it('refuses a limited class in a namespace without any covering quota (the admission configuration alone)', () => {
    const [prod] = clusters;
    expect(priorityAdmission(quotaPluginConfig(prod), [], 'someone-else', 'high')).toEqual({ admitted: false, reason: expect.stringMatching(/insufficient quota to match these scopes/) });
    // system classes are not limited
    expect(priorityAdmission(quotaPluginConfig(prod), [], 'someone-else', 'system-cluster-critical').admitted).toBe(true);
  });

  it('renders a zero quota for each class a tenant was not given, and valid ResourceQuotas', () => {
    const [, staging] = clusters;
    const quotas = tenantObjects(staging).filter((m) => m.kind === 'ResourceQuota');
    const high = quotas.find((q) => q.metadata.name === 'priority-high')!;
    expect(high.spec).toEqual({ hard: { pods: '0' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } });
    for (const q of quotas) expect(() => new ResourceQuota(q as never).validate()).not.toThrow();
  });

  it('leaves everything open when tenancy.priorityClassesNeedQuota is false', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].tenancy = { priorityClassesNeedQuota: false };
    const [, staging] = clustersOf(input);
    expect(quotaPluginConfig(staging)).toBeUndefined();
    expect(tenantObjects(staging).filter((m) => m.metadata.name.startsWith('priority-'))).toEqual([]);
    expect(priorityAdmission(undefined, tenantObjects(staging), 'payments-staging', 'high').admitted).toBe(true);
  });

  it('rejects a non-boolean switch with its path', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].tenancy = { priorityClassesNeedQuota: 'yes' };
    try {
      parseFleet(input);
      throw new Error('expected rejection');
    } catch (e) {
      expect((e as SpecError).issues.map((i) => i.path)).toContain('environments[1].clusters[0].tenancy.priorityClassesNeedQuota');
    }
  });
});
