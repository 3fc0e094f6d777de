import { controlPlaneSize, pickControlPlaneSku, type ControlPlaneSize } from '../../lib/sizing/control-plane';
import type { ClusterSpec, FleetSpec, Sku } from '../../lib/spec';

/** What the control-plane machines run on. */
export interface ControlPlaneMachine {
  readonly size: ControlPlaneSize;
  /** OpenStack flavor (openstack) — set when known. */
  readonly flavor?: string;
  /** Metal3 host class (metal3) — set when known. */
  readonly hostClass?: string;
  /** The catalogue SKU chosen when `controlPlane.flavor` is unset. */
  readonly skuName?: string;
  readonly sku?: Sku;
}

/**
 * `controlPlane.flavor` when set (an OpenStack flavor or a Metal3 host class), else the smallest
 * SKU of the fleet's catalogue that fits the size computed from the cluster's maximum node count.
 * Throws naming the field when nothing fits.
 */
export function controlPlaneMachine(fleet: Pick<FleetSpec, 'skus'>, cluster: ClusterSpec): ControlPlaneMachine {
  const size = controlPlaneSize(cluster);
  const explicit = cluster.controlPlane.flavor;
  const openstack = cluster.infrastructure.provider === 'openstack';
  if (explicit) return { size, ...(openstack ? { flavor: explicit } : { hostClass: explicit }) };
  const pick = pickControlPlaneSku(fleet.skus as Record<string, Sku>, size);
  const what = openstack ? 'flavor' : 'hostClass';
  if (!pick || !pick.sku[what])
    throw new Error(
      `environments.${cluster.environment}.clusters.${cluster.name}.controlPlane.flavor: not set, and no SKU in the fleet catalogue with a ${what} has at least ${size.cpu} CPUs and ${size.memoryGiB}Gi (needed for ${size.nodes} nodes); add such a SKU or set controlPlane.flavor`,
    );
  return { size, skuName: pick.name, sku: pick.sku, ...(openstack ? { flavor: pick.sku.flavor } : { hostClass: pick.sku.hostClass }) };
}
