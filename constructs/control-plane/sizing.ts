import { controlPlaneSize, pickControlPlaneSku, skusWith, type ControlPlaneSize } from '../../lib/sizing/control-plane';
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
  const what = openstack ? 'flavor' : 'hostClass';
  const pick = pickControlPlaneSku(skusWith(fleet.skus as Record<string, Sku>, what), size);
  // parseFleet refuses such a fleet first (lib/spec/validate/renderable.ts, with the indexed path).
  if (!pick)
    throw new Error(
      `cluster ${cluster.environment}/${cluster.name}: controlPlane.flavor is not set, and no SKU in the fleet catalogue with a ${what} has at least ${size.cpu} CPUs and ${size.memoryGiB}Gi (needed for ${size.nodes} nodes)`,
    );
  return { size, skuName: pick.name, sku: pick.sku, ...(openstack ? { flavor: pick.sku.flavor } : { hostClass: pick.sku.hostClass }) };
}
