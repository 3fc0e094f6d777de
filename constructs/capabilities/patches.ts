/**
 * The escape hatch: `patches[]` of a cluster's spec, RFC 6902 JSON patches of rendered objects,
 * applied with cdk8s `JsonPatch` after every capability has built (so before `kprod check` and
 * before anything is written). A target that matches no object, or several, is a spec error with
 * the patch's path.
 */
import { JsonPatch } from 'cdk8s';
import type { Construct } from 'constructs';
import { IssueCollector, SpecError, type ClusterSpec, type EnvironmentSpec, type FleetSpec, type JsonPatchOperation } from '../../lib/spec';
import { findObjects } from './find';

function toJsonPatch(op: JsonPatchOperation): JsonPatch {
  switch (op.op) {
    case 'add':
      return JsonPatch.add(op.path, op.value);
    case 'replace':
      return JsonPatch.replace(op.path, op.value);
    case 'test':
      return JsonPatch.test(op.path, op.value);
    case 'remove':
      return JsonPatch.remove(op.path);
    case 'move':
      return JsonPatch.move(op.from, op.path);
    case 'copy':
      return JsonPatch.copy(op.from, op.path);
  }
}

/** Applies the cluster's `patches` to the objects under `root` (the cluster's App). */
export function applySpecPatches(root: Construct, fleet: FleetSpec, environment: EnvironmentSpec, cluster: ClusterSpec): void {
  if (!cluster.patches.length) return;
  const e = fleet.environments.indexOf(environment);
  const c = environment.clusters.indexOf(cluster);
  const issues = new IssueCollector();
  cluster.patches.forEach((p, k) => {
    const found = findObjects(root, p.target);
    const where = ['environments', e, 'clusters', c, 'patches', k, 'target'];
    if (found.length === 1) found[0].addJsonPatch(...p.patch.map(toJsonPatch));
    else if (!found.length) issues.error(where, `no rendered object is a ${p.target.kind} named "${p.target.name}"${p.target.namespace ? ` in namespace ${p.target.namespace}` : ''}`, p.target);
    else issues.error(where, `matches ${found.length} objects (${found.map((o) => `${o.metadata.namespace ?? '(cluster)'}/${o.metadata.name}`).join(', ')}); give the namespace or apiVersion`, p.target);
  });
  if (issues.errors.length) throw new SpecError(issues.issues);
}
