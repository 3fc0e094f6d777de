/** preKubeadmCommands / postKubeadmCommands of control-plane machines, with commands that run only on the init or join machine. */
import type { ClusterSpec } from '../../spec';
import { endpointPostKubeadmCommands, endpointPreKubeadmCommands } from '../endpoint-files';
import { hostSettings } from '../host-settings';

/**
 * Files Cluster API writes before running kubeadm: `/run/kubeadm/kubeadm.yaml` on the machine that
 * runs `kubeadm init`, `/run/kubeadm/kubeadm-join-config.yaml` on the ones that join. A
 * KubeadmControlPlane has one preKubeadmCommands list for both, so phase-specific commands test these.
 */
export const KUBEADM_INIT_CONFIG = '/run/kubeadm/kubeadm.yaml';
export const KUBEADM_JOIN_CONFIG = '/run/kubeadm/kubeadm-join-config.yaml';

/** Runs `command` only on the machine doing `phase` (see KUBEADM_INIT_CONFIG). */
export function onlyOn(phase: 'init' | 'join', command: string): string {
  return `if [ -f ${phase === 'init' ? KUBEADM_INIT_CONFIG : KUBEADM_JOIN_CONFIG} ]; then ${command}; fi`;
}

/**
 * Merges per-phase commands into the single list of a KubeadmControlPlane: commands both phases
 * share run unconditionally (in the init order), the rest only on the machine of their phase.
 */
export function mergePhaseCommands(init: readonly string[], join: readonly string[]): string[] {
  const both = init.filter((c) => join.includes(c));
  return [
    ...both,
    ...init.filter((c) => !both.includes(c)).map((c) => onlyOn('init', c)),
    ...join.filter((c) => !both.includes(c)).map((c) => onlyOn('join', c)),
  ];
}

/** preKubeadmCommands: host settings first, then the endpoint's commands of each phase. */
export function controlPlanePreKubeadmCommands(cluster: ClusterSpec): string[] {
  return [
    ...hostSettings(cluster).preKubeadmCommands,
    ...mergePhaseCommands(endpointPreKubeadmCommands(cluster, 'init'), endpointPreKubeadmCommands(cluster, 'join')),
  ];
}

/** postKubeadmCommands: the endpoint's commands of each phase (kube-vip switches back to admin.conf after init). */
export function controlPlanePostKubeadmCommands(cluster: ClusterSpec): string[] {
  return mergePhaseCommands(endpointPostKubeadmCommands(cluster, 'init'), endpointPostKubeadmCommands(cluster, 'join'));
}
