import type { ClusterSpec } from '../spec';
import { SKEW_POLICY, upgradeStepViolation } from './skew';
import { withV } from './supported';

/** One step of an upgrade, applied in order. */
export interface UpgradeStep {
  /** What is upgraded: the KubeadmControlPlane, or one node pool's MachineDeployment. */
  readonly target: 'control-plane' | `node-pool/${string}`;
  readonly from: string;
  readonly to: string;
  /** What to change and what to wait for, for the summary. */
  readonly action: string;
}

export interface UpgradePlan {
  readonly from: string;
  readonly to: string;
  /** Empty when `problems` is not. */
  readonly steps: readonly UpgradeStep[];
  /** Why the upgrade is not allowed (downgrade, skipped minor, unsupported target). */
  readonly problems: readonly string[];
}

/**
 * The ordered plan to move a cluster from `from` to `to`: control plane first (kube-apiserver,
 * then controller-manager and scheduler, which KubeadmControlPlane rolls together machine by
 * machine), then every node pool. Between the steps the skew stays legal: kubelets one minor
 * behind the apiserver is within the 3-minor allowance, controllers never run newer than an apiserver.
 */
export function planUpgrade(from: string, to: string, nodePools: readonly string[]): UpgradePlan {
  const problem = upgradeStepViolation(from, to);
  if (problem) return { from: withV(from), to: withV(to), steps: [], problems: [problem] };
  const f = withV(from);
  const t = withV(to);
  const steps: UpgradeStep[] = [
    {
      target: 'control-plane',
      from: f,
      to: t,
      action: `set KubeadmControlPlane spec.version to ${t} (kubernetesVersion in the spec) and wait until every control-plane machine is replaced and Ready`,
    },
    ...nodePools.map(
      (pool): UpgradeStep => ({
        target: `node-pool/${pool}`,
        from: f,
        to: t,
        action: `roll node pool ${pool} to ${t}; kubelets may stay up to ${SKEW_POLICY.kubeletMaxLag} minors behind meanwhile, never ahead`,
      }),
    ),
  ];
  return { from: f, to: t, steps, problems: [] };
}

/** The cluster's pending upgrade (from `kubernetesVersion` to `controlPlane.upgradeTo`), or undefined when none is set. */
export function upgradePlan(cluster: ClusterSpec): UpgradePlan | undefined {
  const to = cluster.controlPlane.upgradeTo;
  if (!to) return undefined;
  return planUpgrade(cluster.kubernetesVersion, to, cluster.nodePools.map((p) => p.name));
}

/** One line per step for the CLI summary. */
export function describeUpgradePlan(plan: UpgradePlan): string[] {
  if (plan.problems.length) return plan.problems.map((p) => `upgrade ${plan.from} -> ${plan.to} not allowed: ${p}`);
  return plan.steps.map((s, i) => `upgrade step ${i + 1}: ${s.target} ${s.from} -> ${s.to}: ${s.action}`);
}
