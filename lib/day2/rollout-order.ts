/**
 * The order of an upgrade inside a cluster's `cluster/` Application (management cluster). Argo CD
 * applies sync waves in order and starts a wave only when every resource of the previous waves is
 * healthy; with the health checks of ./health-checks.ts a KubeadmControlPlane is healthy only once
 * every control-plane machine runs `spec.version`. So:
 *
 * - wave 0: Cluster, KubeadmControlPlane, templates, MachineHealthChecks;
 * - wave 1: the MachineDeployments (their `version` moves only after the whole control plane runs
 *   the new one) and the cluster-autoscaler (bound to the minor, never newer than an apiserver).
 *
 * Cluster API's MachineSet preflight checks (on by default in v1.14, kept on by the bootstrap, never
 * skipped) are the second guard: a MachineSet creates no machine while the control plane upgrades
 * or when its version would be newer than the control plane's.
 */
export const ROLLOUT_WAVES = {
  controlPlane: 0,
  workers: 1,
  minorBoundAddons: 1,
} as const;

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/** The annotation that puts an object of the `cluster/` folder into its rollout wave. */
export function rolloutWave(stage: keyof typeof ROLLOUT_WAVES): Record<string, string> {
  return { [SYNC_WAVE]: String(ROLLOUT_WAVES[stage]) };
}
