import type { KubeadmOptions } from '../render/kubeadm';
import type { ClusterSpec } from '../spec';
import type { CisCheck } from './checks';
import { clusterCisInputs } from './cluster-inputs';
import { evaluateCis, type CisResult } from './evaluate';

export interface CisWeakening {
  readonly id: string;
  readonly title: string;
  /** The spec field whose setting made the check fail. */
  readonly field: string;
  /** The flags of the failed check with the values they ended up with (undefined: not set). */
  readonly flags: Readonly<Record<string, string | undefined>>;
}

/** The CIS result of the cluster as rendered (with its overrides). */
export function clusterCisResult(cluster: ClusterSpec, options: KubeadmOptions = {}): CisResult {
  return evaluateCis(clusterCisInputs(cluster, options, true));
}

/**
 * The cluster with kprod's security defaults in place of the spec's choices that can weaken CIS:
 * extraArgs overrides dropped, AlwaysPullImages on, audit on with the CIS retention values,
 * encryption on (the chosen provider unless it is the non-CIS aesgcm).
 */
function withSecureDefaults(cluster: ClusterSpec): ClusterSpec {
  const cp = cluster.controlPlane;
  const enc = cp.encryptionAtRest;
  return {
    ...cluster,
    controlPlane: {
      ...cp,
      apiServer: { extraArgs: {} },
      controllerManager: { extraArgs: {} },
      scheduler: { extraArgs: {} },
      alwaysPullImages: true,
      audit: { ...cp.audit, enabled: true, maxAgeDays: Math.max(30, cp.audit.maxAgeDays), maxBackup: Math.max(10, cp.audit.maxBackup), maxSizeMB: Math.max(100, cp.audit.maxSizeMB) },
      encryptionAtRest: { ...enc, enabled: true, provider: enc.provider === 'aesgcm' ? 'aescbc' : enc.provider },
    },
  } as ClusterSpec;
}

const COMPONENT_FIELD = { apiserver: 'apiServer', controllerManager: 'controllerManager', scheduler: 'scheduler' } as const;

/** The spec field responsible for a failed check: the extraArgs holding one of its flags, else the setting that controls it. */
function responsibleField(cluster: ClusterSpec, check: CisCheck, flags: Readonly<Record<string, unknown>>): string {
  const cp = cluster.controlPlane;
  if (check.component in COMPONENT_FIELD) {
    const key = COMPONENT_FIELD[check.component as keyof typeof COMPONENT_FIELD];
    if (Object.keys(flags).some((f) => f in cp[key].extraArgs)) return `controlPlane.${key}.extraArgs`;
  }
  if (check.id === '1.2.11') return 'controlPlane.alwaysPullImages';
  if (['1.2.16', '1.2.17', '1.2.18', '1.2.19', '3.2.1'].includes(check.id)) return 'controlPlane.audit';
  if (['1.2.27', '1.2.28'].includes(check.id)) return 'controlPlane.encryptionAtRest';
  return 'controlPlane';
}

/** Checks that pass with kprod's secure defaults but fail with the spec's overrides and choices. */
export function cisWeakenings(cluster: ClusterSpec, options: KubeadmOptions = {}): CisWeakening[] {
  const before = evaluateCis(clusterCisInputs(withSecureDefaults(cluster), options, true));
  const after = clusterCisResult(cluster, options);
  const passedBefore = new Set(before.passed.map((c) => c.id));
  return after.failed
    .filter((f) => passedBefore.has(f.check.id))
    .map((f) => ({ id: f.check.id, title: f.check.title, field: responsibleField(cluster, f.check, f.values), flags: f.values }));
}

/** `warning: CIS 1.2.15 profiling=true weakens "profiling is false" (controlPlane.apiServer.extraArgs)`. */
export function describeCisWeakening(w: CisWeakening): string {
  const flags = Object.entries(w.flags)
    .map(([k, v]) => `${k}=${v ?? '(unset)'}`)
    .join(' ');
  return `warning: CIS ${w.id} ${flags} weakens "${w.title}" (${w.field})`;
}
