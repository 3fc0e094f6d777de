import { FlowSchema } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/FlowSchema';
import { PriorityLevelConfiguration } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration';
import { parseFleet, SpecError } from '../../../lib/spec';
import { tenancyBaseObjects, tenantBundle } from '../../../lib/tenancy/bundle';
import { exampleFleet } from '../../helpers/fleet';

const { spec } = parseFleet(exampleFleet());
const prod = spec.environments[0].clusters[0];
const staging = spec.environments[1].clusters[0];

/** A tenant's APF objects: cluster-scoped, so in tenancy-base (the platform project), never in the tenant's folder. */
const flowObjects = (cluster: typeof prod, tenant: number) =>
  tenancyBaseObjects(cluster).filter((m) => m.apiVersion === 'flowcontrol.apiserver.k8s.io/v1' && m.metadata.name === `kprod-tenant-${cluster.tenants[tenant].name}`) as any[];

describe('API Priority and Fairness objects are not in tenant folders', () => {
  it("no tenant's bundle holds a cluster-scoped flowcontrol object (the tenant AppProject would refuse it)", () => {
    for (const cluster of [prod, staging]) for (const t of cluster.tenants) expect(tenantBundle(cluster, t).filter((m) => m.apiVersion.startsWith('flowcontrol.'))).toEqual([]);
  });
});

// Precedences of the apiserver's built-in FlowSchemas that would otherwise catch tenant requests.
const SERVICE_ACCOUNTS_PRECEDENCE = 9000;
const GLOBAL_DEFAULT_PRECEDENCE = 9900;

describe('API Priority and Fairness per tenant', () => {
  it('gives every tenant of both examples its own valid priority level and FlowSchema', () => {
    for (const cluster of [prod, staging])
      cluster.tenants.forEach((tenant, t) => {
        const objects = flowObjects(cluster, t);
        expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([`PriorityLevelConfiguration/kprod-tenant-${tenant.name}`, `FlowSchema/kprod-tenant-${tenant.name}`]);
        expect(() => new PriorityLevelConfiguration(objects[0]).validate()).not.toThrow();
        expect(() => new FlowSchema(objects[1]).validate()).not.toThrow();
        expect(objects[1].spec.priorityLevelConfiguration.name).toBe(objects[0].metadata.name);
      });
  });

  it('limits the level: its own small share, no borrowing, queued per user', () => {
    const [level, schema] = flowObjects(prod, 0);
    expect(level.spec.type).toBe('Limited');
    expect(level.spec.limited).toEqual({
      nominalConcurrencyShares: 10,
      lendablePercent: 50,
      borrowingLimitPercent: 0,
      limitResponse: { type: 'Queue', queuing: { queues: 16, handSize: 4, queueLengthLimit: 50 } },
    });
    expect(schema.spec.distinguisherMethod).toEqual({ type: 'ByUser' });
    expect(schema.spec.matchingPrecedence).toBeLessThan(SERVICE_ACCOUNTS_PRECEDENCE);
    expect(schema.spec.matchingPrecedence).toBeLessThan(GLOBAL_DEFAULT_PRECEDENCE);
  });

  it("matches the tenant's people as the apiserver names them and its namespaces' service accounts, for every request", () => {
    const [, schema] = flowObjects(prod, 0);
    const [rule] = schema.spec.rules;
    expect(rule.subjects).toEqual([
      { kind: 'Group', group: { name: 'oidc:payments-admins' } },
      { kind: 'Group', group: { name: 'oidc:payments-devs' } },
      { kind: 'ServiceAccount', serviceAccount: { namespace: 'payments-dev', name: '*' } },
      { kind: 'ServiceAccount', serviceAccount: { namespace: 'payments-prod', name: '*' } },
    ]);
    expect(rule.resourceRules).toEqual([{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }]);
    expect(rule.nonResourceRules).toEqual([{ verbs: ['*'], nonResourceURLs: ['*'] }]);
  });

  it('takes its sizes from tenancy.apiFairness and names bad values with their paths', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].tenancy = { apiFairness: { nominalConcurrencyShares: 5, queues: 8, handSize: 2 } };
    const c = parseFleet(input).spec.environments[0].clusters[0];
    expect(flowObjects(c, 1)[0].spec.limited).toMatchObject({ nominalConcurrencyShares: 5, limitResponse: { queuing: { queues: 8, handSize: 2 } } });
    const bad = exampleFleet();
    bad.environments[0].clusters[0].tenancy = { apiFairness: { queues: 4, handSize: 8, lendablePercent: 101 } };
    try {
      parseFleet(bad);
      throw new Error('expected rejection');
    } catch (e) {
      const paths = (e as SpecError).issues.map((i) => i.path);
      expect(paths).toEqual(expect.arrayContaining(['environments[0].clusters[0].tenancy.apiFairness.lendablePercent']));
    }
    const inverted = exampleFleet();
    inverted.environments[0].clusters[0].tenancy = { apiFairness: { queues: 4, handSize: 8 } };
    expect(() => parseFleet(inverted)).toThrow(/tenancy\.apiFairness\.handSize: must not exceed queues/);
  });
});
