/** Assembly: the ClusterConfiguration and the whole KubeadmConfigSpec from the per-purpose pieces beside this file. */
import type { KubeadmClusterConfiguration, KubeadmConfigSpec } from '../../api';
import type { ClusterSpec } from '../../spec';
import { KUBEADM_PATCHES_DIR } from '../kubelet';
import { SCHEDULER_CONFIG_DIR } from '../scheduler-config';
import type { ExtraArg } from '../types';
import { apiServerArgs, apiServerCertSANs, apiServerExtraVolumes } from './apiserver-args';
import { controllerManagerArgs, schedulerArgs } from './component-args';
import { controlPlaneFiles } from './control-plane-files';
import { etcdDiskSetup } from './disk-setup';
import { etcdConfiguration } from './etcd-config';
import { mergeExtraArgs } from './extra-args';
import { controlPlaneNodeRegistration } from './node-registration';
import type { KubeadmOptions } from './options';
import { controlPlanePostKubeadmCommands, controlPlanePreKubeadmCommands } from './phase-commands';

/** `kubeadmConfigSpec.clusterConfiguration` (controlPlaneEndpoint and networking live on the Cluster object). */
export function clusterConfiguration(cluster: ClusterSpec, options: KubeadmOptions = {}, etcdArgs?: (c: ClusterSpec) => ExtraArg[]): KubeadmClusterConfiguration {
  return {
    apiServer: {
      certSANs: apiServerCertSANs(cluster),
      extraArgs: mergeExtraArgs(apiServerArgs(cluster, options), cluster.controlPlane.apiServer.extraArgs),
      extraVolumes: apiServerExtraVolumes(cluster),
    },
    controllerManager: { extraArgs: mergeExtraArgs(controllerManagerArgs(cluster, options), cluster.controlPlane.controllerManager.extraArgs) },
    scheduler: {
      extraArgs: mergeExtraArgs(schedulerArgs(cluster), cluster.controlPlane.scheduler.extraArgs),
      extraVolumes: [{ name: 'scheduler-config', hostPath: SCHEDULER_CONFIG_DIR, mountPath: SCHEDULER_CONFIG_DIR, readOnly: true, pathType: 'DirectoryOrCreate' }],
    },
    etcd: etcdConfiguration(cluster, etcdArgs),
  };
}

/** The whole `spec.kubeadmConfigSpec` of the cluster's KubeadmControlPlane. */
export function kubeadmConfigSpec(cluster: ClusterSpec, options: KubeadmOptions = {}, etcdArgs?: (c: ClusterSpec) => ExtraArg[]): KubeadmConfigSpec {
  const nodeRegistration = controlPlaneNodeRegistration(cluster);
  const patches = { directory: KUBEADM_PATCHES_DIR };
  const post = controlPlanePostKubeadmCommands(cluster);
  return {
    clusterConfiguration: clusterConfiguration(cluster, options, etcdArgs),
    initConfiguration: { nodeRegistration, patches },
    joinConfiguration: { nodeRegistration, patches },
    files: controlPlaneFiles(cluster, options),
    preKubeadmCommands: controlPlanePreKubeadmCommands(cluster),
    ...(post.length ? { postKubeadmCommands: post } : {}),
    ...etcdDiskSetup(cluster),
  };
}
