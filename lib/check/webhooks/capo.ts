// Admission rules of CAPO v0.14.7 (kubernetes-sigs/cluster-api-provider-openstack, tag v0.14.7, commit a4694b4),
// written from pkg/webhooks for the kinds kprod emits.
import { at, deepEqual, err, isObject, type Json, type WebhookFinding, type WebhookRule } from './rule';

// cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackmachinetemplate_webhook.go ValidateCreate / ValidateUpdate
export const openStackMachineTemplate: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  if (at(obj, 'spec', 'template', 'spec', 'providerID') !== undefined) out.push(err(['spec', 'template', 'spec', 'providerID'], 'cannot be set in templates'));
  if (old && !deepEqual(at(old, 'spec', 'template', 'spec'), at(obj, 'spec', 'template', 'spec'))) {
    out.push(err(['spec', 'template', 'spec'], 'OpenStackMachineTemplate spec.template.spec field is immutable. Please create a new resource instead.'));
  }
  return out;
};

const RULE_LISTS = ['allNodesSecurityGroupRules', 'controlPlaneNodesSecurityGroupRules', 'workerNodesSecurityGroupRules'];

/**
 * The spec with every field the update webhook lets change blanked out, on both sides alike.
 * Status-dependent allowances (subnet filter → ID, network ID, floating IP of the load balancer)
 * need the live status and are not granted here.
 */
function immutableView(oldSpec: Json, newSpec: Json): [Json, Json] {
  const o = structuredClone(oldSpec);
  const n = structuredClone(newSpec);
  delete o.identityRef;
  delete n.identityRef;
  if (o.controlPlaneEndpoint === undefined) delete n.controlPlaneEndpoint;
  else if (!at(o, 'controlPlaneEndpoint', 'host')) {
    delete o.controlPlaneEndpoint;
    delete n.controlPlaneEndpoint;
  }
  if (o.disableAPIServerFloatingIP === true && !o.apiServerFixedIP) {
    delete o.apiServerFixedIP;
    delete n.apiServerFixedIP;
  }
  if (o.disableAPIServerFloatingIP === true && o.apiServerPort === undefined) delete n.apiServerPort;
  delete o.bastion;
  delete n.bastion;
  if (isObject(n.managedSecurityGroups)) {
    const om = (o.managedSecurityGroups = isObject(o.managedSecurityGroups) ? o.managedSecurityGroups : {}) as Json;
    const nm = n.managedSecurityGroups;
    for (const k of [...RULE_LISTS, 'allowAllInClusterTraffic']) {
      delete om[k];
      delete nm[k];
    }
  }
  if (Array.isArray(n.managedSubnets) && Array.isArray(o.managedSubnets) && n.managedSubnets.length === o.managedSubnets.length) {
    for (const s of [...n.managedSubnets, ...o.managedSubnets]) if (isObject(s)) delete s.dnsNameservers;
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
  return [o, n];
}

// cluster-api-provider-openstack v0.14.7 pkg/webhooks/openstackcluster_webhook.go ValidateCreate / ValidateUpdate
export const openStackCluster: WebhookRule = (obj, old) => {
  const out: WebhookFinding[] = [];
  const spec = (at(obj, 'spec') ?? {}) as Json;
  const rules = at(spec, 'managedSecurityGroups', 'allNodesSecurityGroupRules');
  if (!old) {
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
  }
  const oldSpec = (at(old, 'spec') ?? {}) as Json;
  if (spec.bastion === undefined && at(oldSpec, 'bastion') !== undefined && at(oldSpec, 'bastion', 'enabled') !== false) {
    out.push(err(['spec', 'bastion'], 'cannot be removed before disabling it'));
  }
  const newSubnets = spec.managedSubnets;
  const oldSubnets = oldSpec.managedSubnets;
  if (Array.isArray(newSubnets) && Array.isArray(oldSubnets)) {
    if (newSubnets.length !== oldSubnets.length) out.push(err(['spec', 'managedSubnets'], 'cannot add or remove subnets'));
    else {
      const oldCidrs = new Set(oldSubnets.map((s) => at(s, 'cidr')));
      for (const s of newSubnets) if (!oldCidrs.has(at(s, 'cidr'))) out.push(err(['spec', 'managedSubnets'], `cannot change subnet CIDR from existing value to ${String(at(s, 'cidr'))}`));
    }
  }
  const [o, n] = immutableView(oldSpec, spec);
  if (!deepEqual(o, n)) out.push(err(['spec'], 'cannot be modified'));
  return out;
};
