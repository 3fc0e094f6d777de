// Admission rules of CAPO v0.14.7 (kubernetes-sigs/cluster-api-provider-openstack, tag v0.14.7, commit a4694b4),
// written from pkg/webhooks for the kinds kprod emits.
import { at, deepEqual, err, isObject, str, type Json, type WebhookFinding, type WebhookRule } from './rule';

// cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackmachinetemplate_webhook.go ValidateCreate / ValidateUpdate
export const openStackMachineTemplate: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  if (at(obj, 'spec', 'template', 'spec', 'providerID') !== undefined) out.push(err(['spec', 'template', 'spec', 'providerID'], 'cannot be set in templates'));
  if (old && !deepEqual(at(old, 'spec', 'template', 'spec'), at(obj, 'spec', 'template', 'spec'))) {
    out.push(err(['spec', 'template', 'spec'], 'OpenStackMachineTemplate spec.template.spec field is immutable. Please create a new resource instead.'));
  }
  return out;
};

/**
 * What CAPO's OpenStackCluster ValidateUpdate makes of a spec update (old → new); the webhook rule
 * below and kprod's day-2 transition rule (lib/day2/transitions.ts) both decide with it.
 */
export interface OpenStackClusterUpdate {
  /** Refusals of particular fields: a bastion removed before it was disabled, managed subnets added, removed or re-addressed. */
  readonly refusals: WebhookFinding[];
  /**
   * Top-level spec fields that still differ once every change the webhook lets through is blanked
   * on both sides, sorted: any one is its `spec: cannot be modified` (which names no field).
   */
  readonly immutableChanges: string[];
}

const RULE_LISTS = ['allNodesSecurityGroupRules', 'controlPlaneNodesSecurityGroupRules', 'workerNodesSecurityGroupRules'];

/**
 * The fields an OpenStackCluster update may change, in words, for messages that tell what to do
 * instead; kept true with openStackClusterUpdate (test/day2/upstream-facts.test.ts pins both to
 * upstream/day2/update-rules.json).
 */
export const OPENSTACK_CLUSTER_MUTABLE_SUMMARY =
  "identityRef, bastion, security-group rules, the load balancer's allowedCIDRs and monitor, managed subnets' DNS nameservers and control-plane availability zones";

/**
 * cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackcluster_webhook.go ValidateUpdate,
 * step by step on copies of both specs. Status-dependent allowances (subnet filter → ID, network
 * ID, floating IP of the load balancer) need the live status and are not granted here.
 */
export function openStackClusterUpdate(oldSpec: Json, newSpec: Json): OpenStackClusterUpdate {
  const refusals: WebhookFinding[] = [];
  const o = structuredClone(oldSpec);
  const n = structuredClone(newSpec);
  delete o.identityRef;
  delete n.identityRef;
  // The endpoint may be set while the old one is unset or has no host.
  if (o.controlPlaneEndpoint === undefined) delete n.controlPlaneEndpoint;
  else if (!at(o, 'controlPlaneEndpoint', 'host')) {
    delete o.controlPlaneEndpoint;
    delete n.controlPlaneEndpoint;
  }
  // Without a floating IP, the fixed IP and the port may be set once.
  if (o.disableAPIServerFloatingIP === true && !o.apiServerFixedIP) {
    delete o.apiServerFixedIP;
    delete n.apiServerFixedIP;
  }
  if (o.disableAPIServerFloatingIP === true && o.apiServerPort === undefined) delete n.apiServerPort;
  // IsEnabled: a bastion is on unless `enabled: false`.
  if (n.bastion === undefined && o.bastion !== undefined && at(o, 'bastion', 'enabled') !== false) {
    refusals.push(err(['spec', 'bastion'], 'cannot be removed before disabling it'));
  }
  delete o.bastion;
  delete n.bastion;
  if (isObject(n.managedSecurityGroups)) {
    const om = (o.managedSecurityGroups = isObject(o.managedSecurityGroups) ? o.managedSecurityGroups : {}) as Json;
    for (const k of [...RULE_LISTS, 'allowAllInClusterTraffic']) {
      delete om[k];
      delete n.managedSecurityGroups[k];
    }
  }
  if (Array.isArray(n.managedSubnets) && Array.isArray(o.managedSubnets)) {
    if (n.managedSubnets.length !== o.managedSubnets.length) refusals.push(err(['spec', 'managedSubnets'], 'cannot add or remove subnets'));
    else {
      // As upstream's map by CIDR: the last old subnet of a CIDR is the one matched.
      const oldByCidr = new Map(o.managedSubnets.map((s) => [at(s, 'cidr'), s]));
      for (const s of n.managedSubnets) {
        const old = oldByCidr.get(at(s, 'cidr'));
        if (!old) {
          refusals.push(err(['spec', 'managedSubnets'], `cannot change subnet CIDR from existing value to ${str(at(s, 'cidr'))}`));
          continue;
        }
        if (isObject(old)) delete old.dnsNameservers;
        if (isObject(s)) delete s.dnsNameservers;
      }
    }
  }
  if (isObject(n.apiServerLoadBalancer) && isObject(o.apiServerLoadBalancer)) {
    for (const k of ['allowedCIDRs', 'monitor']) {
      delete o.apiServerLoadBalancer[k];
      delete n.apiServerLoadBalancer[k];
    }
  }
  for (const k of ['controlPlaneAvailabilityZones', 'controlPlaneOmitAvailabilityZone']) {
    delete o[k];
    delete n[k];
  }
  const fields = [...new Set([...Object.keys(o), ...Object.keys(n)])].sort();
  return { refusals, immutableChanges: fields.filter((k) => !deepEqual(o[k], n[k])) };
}

// cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackcluster_webhook.go ValidateCreate / ValidateUpdate
export const openStackCluster: WebhookRule = (obj, old) => {
  const spec = (at(obj, 'spec') ?? {}) as Json;
  if (old) {
    const { refusals, immutableChanges } = openStackClusterUpdate((at(old, 'spec') ?? {}) as Json, spec);
    return immutableChanges.length ? [...refusals, err(['spec'], 'cannot be modified')] : refusals;
  }
  const out: WebhookFinding[] = [];
  const rules = at(spec, 'managedSecurityGroups', 'allNodesSecurityGroupRules');
  for (const r of Array.isArray(rules) ? rules : []) {
    const managed = at(r, 'remoteManagedGroups') !== undefined;
    const group = at(r, 'remoteGroupID') !== undefined;
    const prefix = at(r, 'remoteIPPrefix') !== undefined;
    const path = ['spec', 'managedSecurityGroups', 'allNodesSecurityGroupRules'];
    if (managed && (group || prefix)) out.push(err(path, 'remoteManagedGroups cannot be used with remoteGroupID or remoteIPPrefix'));
    if (group && (managed || prefix)) out.push(err(path, 'remoteGroupID cannot be used with remoteManagedGroups or remoteIPPrefix'));
    if (prefix && (managed || group)) out.push(err(path, 'remoteIPPrefix cannot be used with remoteManagedGroups or remoteGroupID'));
  }
  return out;
};
