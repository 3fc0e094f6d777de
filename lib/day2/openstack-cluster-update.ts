import { isDeepStrictEqual } from 'node:util';

/**
 * OpenStackCluster fields CAPO v0.14.7 lets an update change (pkg/webhooks/openstackcluster_webhook.go
 * ValidateUpdate, checked 2026-12-01): every other field of `spec` is immutable once created.
 * Nested entries are `parent.child`. Recorded in upstream facts: lib/day2/upstream-facts.ts.
 */
export const OPENSTACK_CLUSTER_MUTABLE = [
  'identityRef',
  'bastion',
  'managedSecurityGroups.allNodesSecurityGroupRules',
  'managedSecurityGroups.controlPlaneNodesSecurityGroupRules',
  'managedSecurityGroups.workerNodesSecurityGroupRules',
  'managedSecurityGroups.allowAllInClusterTraffic',
  'apiServerLoadBalancer.allowedCIDRs',
  'apiServerLoadBalancer.monitor',
  'controlPlaneAvailabilityZones',
  'controlPlaneOmitAvailabilityZone',
] as const;

type Spec = Record<string, unknown>;

function withoutMutable(spec: Spec): Spec {
  const copy: Spec = JSON.parse(JSON.stringify(spec ?? {}));
  for (const path of OPENSTACK_CLUSTER_MUTABLE) {
    const [head, tail] = path.split('.');
    if (!tail) delete copy[head];
    else if (copy[head] && typeof copy[head] === 'object') {
      delete (copy[head] as Spec)[tail];
      // CAPO compares an absent parent as an empty one.
      if (Object.keys(copy[head] as Spec).length === 0) delete copy[head];
    }
  }
  return copy;
}

/** Top-level `spec` fields whose change CAPO's webhook would refuse, sorted. */
export function forbiddenOpenStackClusterChanges(previous: Spec, next: Spec): string[] {
  const a = withoutMutable(previous);
  const b = withoutMutable(next);
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => !isDeepStrictEqual(a[k], b[k]));
}
