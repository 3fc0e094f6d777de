import type { KubeadmOptions } from '../render/kubeadm';
import type { ClusterSpec } from '../spec';
import type { CisComponent } from './checks';
import { clusterCisInputs } from './cluster-inputs';
import { evaluateCis, type CisResult } from './evaluate';

/** Spec field of each component's extraArgs override. */
const OVERRIDE_FIELD: Partial<Record<CisComponent, string>> = {
  apiserver: 'controlPlane.apiServer.extraArgs',
  controllerManager: 'controlPlane.controllerManager.extraArgs',
  scheduler: 'controlPlane.scheduler.extraArgs',
};

export interface CisWeakening {
  readonly id: string;
  readonly title: string;
  /** The spec field holding the override. */
  readonly field: string;
  /** The flags of the failed check with the values the override gave them ("unset" when removed). */
  readonly flags: Readonly<Record<string, string | undefined>>;
}

/** The CIS result of the cluster as rendered (with its overrides). */
export function clusterCisResult(cluster: ClusterSpec, options: KubeadmOptions = {}): CisResult {
  return evaluateCis(clusterCisInputs(cluster, options, true));
}

/** Checks that pass with kprod's defaults but fail once the spec's extraArgs overrides are merged in. */
export function cisWeakenings(cluster: ClusterSpec, options: KubeadmOptions = {}): CisWeakening[] {
  const before = evaluateCis(clusterCisInputs(cluster, options, false));
  const after = clusterCisResult(cluster, options);
  const passedBefore = new Set(before.passed.map((c) => c.id));
  return after.failed
    .filter((f) => passedBefore.has(f.check.id))
    .map((f) => ({ id: f.check.id, title: f.check.title, field: OVERRIDE_FIELD[f.check.component] ?? 'controlPlane', flags: f.values }));
}

/** `warning: CIS 1.2.15 profiling=true weakens "profiling is false" (controlPlane.apiServer.extraArgs)`. */
export function describeCisWeakening(w: CisWeakening): string {
  const flags = Object.entries(w.flags)
    .map(([k, v]) => `${k}=${v ?? '(unset)'}`)
    .join(' ');
  return `warning: CIS ${w.id} ${flags} weakens "${w.title}" (${w.field})`;
}
