/**
 * The NVIDIA device plugin (NVIDIA/k8s-device-plugin, chart `nvidia-device-plugin`) on the nodes of
 * GPU pools: it advertises `nvidia.com/gpu` to the scheduler, which tenants' quotas and the
 * autoscaler's scale-from-zero annotations name. One DaemonSet, only on nodes kprod labels
 * `cluster-api/accelerator=nvidia`, tolerating every taint of those pools (the vendor taint and a
 * dedicated tenant's). The chart's default node affinity wants Node Feature Discovery labels, which
 * kprod does not deploy, so it is replaced by kprod's label. Its namespace enforces `privileged`:
 * the plugin needs the kubelet's device-plugin socket directory (hostPath).
 */
import { ACCELERATOR_LABEL } from '../sizing/gpu';
import type { HelmAddon } from './helm-application';

// pin: NVIDIA/k8s-device-plugin tag v0.20.0 (1b826acc6af3079d8923bac395c3124b8861a9a6, 2026-08-19), newest tag on 2026-12-01; chart version = tag without "v"
export const NVIDIA_DEVICE_PLUGIN = {
  repoURL: 'https://nvidia.github.io/k8s-device-plugin',
  chart: 'nvidia-device-plugin',
  version: '0.20.0',
  releaseName: 'nvidia-device-plugin',
  namespace: 'nvidia-device-plugin',
} as const;

/** A toleration as the chart's `tolerations` value takes it. */
export interface DevicePluginToleration {
  readonly key: string;
  readonly operator: 'Exists';
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Sync wave: after the CNI and platform pieces, with the other add-ons. */
export const GPU_DEVICE_PLUGIN_SYNC_WAVE = 0;

/** The device plugin add-on for `tolerations` (the taints of the cluster's NVIDIA pools, deduplicated by the caller). */
export function nvidiaDevicePluginAddon(tolerations: readonly DevicePluginToleration[]): HelmAddon {
  return {
    name: 'nvidia-device-plugin',
    repoURL: NVIDIA_DEVICE_PLUGIN.repoURL,
    chart: NVIDIA_DEVICE_PLUGIN.chart,
    version: NVIDIA_DEVICE_PLUGIN.version,
    namespace: NVIDIA_DEVICE_PLUGIN.namespace,
    releaseName: NVIDIA_DEVICE_PLUGIN.releaseName,
    syncWave: GPU_DEVICE_PLUGIN_SYNC_WAVE,
    podSecurity: 'privileged',
    values: {
      nodeSelector: { [ACCELERATOR_LABEL]: 'nvidia' },
      // Replaces the chart's NFD-label affinity (lists are replaced whole by Helm).
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ACCELERATOR_LABEL, operator: 'In', values: ['nvidia'] }] }] } } },
      tolerations: tolerations.map((t) => ({ ...t })),
      // Exclusive cores (static CPU manager) must not lose their GPU when the CPU manager updates cgroups.
      compatWithCPUManager: true,
      priorityClassName: 'system-node-critical',
    },
  };
}
