import { contentHash } from '../node-pools/worker-bootstrap';

/**
 * `<base>-<8 hex of the SHA-256 of spec>`: the name of a template that KubeadmControlPlane or
 * MachineDeployment references. Upstream templates are immutable (CAPO rejects any update of an
 * OpenStackMachineTemplate's spec, CAPM3 of a Metal3DataTemplate's network data) and Cluster API
 * rolls machines only when a referenced name changes, so a content change must be a new name.
 * The old object is pruned at the end of the sync (folder Applications carry `PruneLast=true`),
 * after the objects that referenced it were moved to the new one.
 */
export function contentName(base: string, spec: unknown): string {
  return `${base}-${contentHash(spec)}`;
}
