import { upgradeStepViolation } from '../../versions/skew';
import { forEachCluster, type Rule } from './rule';

/**
 * `controlPlane.upgradeTo` is one legal step from `kubernetesVersion`: newer, no skipped minor,
 * a supported minor (Kubernetes version skew policy; kubeadm upgrades one minor at a time).
 */
export const upgradeRules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const to = cluster.controlPlane.upgradeTo;
    if (to === undefined) return;
    const problem = upgradeStepViolation(cluster.kubernetesVersion, to);
    if (problem) issues.error([...path, 'controlPlane', 'upgradeTo'], problem, to);
  });
