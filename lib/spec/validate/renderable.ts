import { controlPlaneSize, pickControlPlaneSku, skusWith } from '../../sizing/control-plane';
import type { Sku } from '../types';
import { cronProblem } from './cron';
import { forEachCluster, type Rule } from './rule';

/** A Linux network interface name as keepalived and kube-vip take it (IFNAMSIZ 16, so 15 characters). */
const INTERFACE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}$/;

/*
 * Inputs the schema accepts but a renderer or construct would fail on (or carry unchecked into a
 * host file): raised here so that `kprod validate` reports them, with their indexed paths, before
 * any synth. Each check mirrors the place that would otherwise throw, named in its comment.
 */

/**
 * The checks that read the SKU catalogue: skipped (like `references`) when the catalogue itself
 * failed the schema, where every SKU would look missing.
 */
export const skuRenderable: Rule = (fleet, issues) => {
  // An empty flavor reads as "no flavor" in the OpenStack machine template.
  for (const [name, sku] of Object.entries(fleet.skus)) if (sku.flavor === '') issues.error(['skus', name, 'flavor'], 'must not be empty; omit it instead', '');

  forEachCluster(fleet, (cluster, path) => {
    const openstack = cluster.infrastructure.provider === 'openstack';
    const cp = cluster.controlPlane;

    // constructs/cluster-api/machine-template.ts: an OpenStack machine needs a flavor.
    if (openstack)
      cluster.nodePools.forEach((pool, p) => {
        const sku = fleet.skus[pool.sku] as Sku | undefined;
        if (sku && !sku.flavor) issues.error([...path, 'nodePools', p, 'sku'], `SKU ${pool.sku} has no flavor; an OpenStack pool needs one (set skus.${pool.sku}.flavor)`, pool.sku);
      });

    // constructs/control-plane/sizing.ts controlPlaneMachine: without controlPlane.flavor the
    // smallest fitting catalogue SKU that says what to boot (flavor or host class) is used.
    if (!cp.flavor) {
      const size = controlPlaneSize(cluster);
      const what = openstack ? 'flavor' : 'hostClass';
      if (!pickControlPlaneSku(skusWith(fleet.skus as Record<string, Sku>, what), size))
        issues.error(
          [...path, 'controlPlane', 'flavor'],
          `not set, and no non-GPU SKU of the fleet catalogue with a ${what} has at least ${size.cpu} CPUs and ${size.memoryGiB}Gi (the control plane of up to ${size.nodes} nodes needs that); add such a SKU or set controlPlane.flavor`,
          undefined,
        );
    }
  });
};

/** The checks that need no SKU: CronJob schedules, interface names. */
export const renderableInputs: Rule = (fleet, issues) => {
  forEachCluster(fleet, (cluster, path) => {
    const cp = cluster.controlPlane;

    // Stacked etcd runs backup and defrag as CronJobs (external etcd: systemd timers, etcd-schedules.ts).
    if (cp.etcd.topology === 'stacked')
      for (const job of ['backup', 'defrag'] as const) {
        const settings = cp.etcd[job];
        const problem = settings.enabled ? cronProblem(settings.schedule) : undefined;
        if (problem) issues.error([...path, 'controlPlane', 'etcd', job, 'schedule'], `not a CronJob schedule: ${problem}`, settings.schedule);
      }

    // lib/render/keepalived.ts and the kube-vip manifest write the interface into host config.
    const iface = cp.endpoint.interface;
    if (cp.endpoint.mode !== 'loadbalancer' && !INTERFACE_NAME.test(iface))
      issues.error([...path, 'controlPlane', 'endpoint', 'interface'], 'must be a network interface name such as "eth0" or "bond0.100" (at most 15 letters, digits, "_", ".", ":", "@", "-")', iface);
  });
};
