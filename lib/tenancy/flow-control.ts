/**
 * API Priority and Fairness per tenant (flowcontrol.apiserver.k8s.io/v1): every request of a
 * tenant's people (its OIDC owners and viewers, with the apiserver's prefixes) and of the service
 * accounts in its namespaces lands on a priority level of the tenant's own. That level has a small
 * nominal share of the apiserver's concurrency, may lend half of it when idle and may borrow none,
 * so a runaway tenant client queues (and is eventually rejected) inside its own level while
 * controllers, kubelets and other tenants keep theirs.
 */
import { FlowSchema } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/FlowSchema';
import { PriorityLevelConfiguration } from 'kubernetes-models/flowcontrol.apiserver.k8s.io/v1/PriorityLevelConfiguration';
import type { ClusterSpec, TenantSpec } from '../spec';
import type { Manifest } from './manifest';
import { subjectsOf } from './rbac';

/**
 * Precedence of tenant FlowSchemas: after the built-in system schemas (exempt 1 … kube-system
 * service accounts 900), before `service-accounts` (9000) and `global-default` (9900) that would
 * otherwise take tenant traffic.
 */
export const TENANT_FLOW_SCHEMA_PRECEDENCE = 1000;

/** Name of the tenant's FlowSchema and PriorityLevelConfiguration. */
export const tenantFlowName = (tenant: string) => `kprod-tenant-${tenant}`;

/** The tenant's PriorityLevelConfiguration and FlowSchema, shaped by `tenancy.apiFairness`. */
export function tenantFlowControl(cluster: Pick<ClusterSpec, 'controlPlane' | 'tenancy'>, tenant: TenantSpec): Manifest[] {
  const fairness = cluster.tenancy.apiFairness;
  const name = tenantFlowName(tenant.name);
  const level = new PriorityLevelConfiguration({
    metadata: { name },
    spec: {
      type: 'Limited',
      limited: {
        nominalConcurrencyShares: fairness.nominalConcurrencyShares,
        lendablePercent: fairness.lendablePercent,
        // Explicit 0: an unset borrowing limit is unlimited.
        borrowingLimitPercent: 0,
        limitResponse: { type: 'Queue', queuing: { queues: fairness.queues, handSize: fairness.handSize, queueLengthLimit: fairness.queueLengthLimit } },
      },
    },
  });
  const people = [...subjectsOf(cluster, tenant.owners), ...subjectsOf(cluster, tenant.viewers)];
  const unique = [...new Map(people.map((s) => [`${s.kind}/${s.name}`, s])).values()];
  const subjects = [
    ...unique.map((s) => (s.kind === 'Group' ? { kind: 'Group' as const, group: { name: s.name } } : { kind: 'User' as const, user: { name: s.name } })),
    ...tenant.namespaces.map((ns) => ({ kind: 'ServiceAccount' as const, serviceAccount: { namespace: ns.name, name: '*' } })),
  ];
  const schema = new FlowSchema({
    metadata: { name },
    spec: {
      priorityLevelConfiguration: { name },
      matchingPrecedence: TENANT_FLOW_SCHEMA_PRECEDENCE,
      distinguisherMethod: { type: 'ByUser' },
      rules: [
        {
          subjects,
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        },
      ],
    },
  });
  return [level.toJSON() as unknown as Manifest, schema.toJSON() as unknown as Manifest];
}
