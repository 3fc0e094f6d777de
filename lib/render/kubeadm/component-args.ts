/** kube-controller-manager and kube-scheduler flags (CIS 1.3, 1.4) and their shared leader-election flags. */
import { congestionSettings } from '../../sizing/control-plane';
import type { ClusterSpec } from '../../spec';
import { SCHEDULER_CONFIG_PATH } from '../scheduler-config';
import type { ExtraArg } from '../types';
import { arg } from './extra-args';
import type { KubeadmOptions } from './options';

/** Leader election of controller-manager and scheduler (upstream defaults, set explicitly so they are visible and reviewed). */
export const LEADER_ELECTION = { leaseDuration: '15s', renewDeadline: '10s', retryPeriod: '2s' } as const;

/**
 * kube-controller-manager arguments (CIS section 1.3) and its client and node-lifecycle settings
 * sized from the cluster's maximum node count (lib/sizing/control-plane CONGESTION_TIERS).
 * RotateKubeletServerCertificate is on by default upstream and not set.
 */
export function controllerManagerArgs(cluster: Pick<ClusterSpec, 'nodePools'>, options: KubeadmOptions = {}): ExtraArg[] {
  const sized = congestionSettings(cluster).controllerManager;
  return [
    arg('profiling', false),
    arg('terminated-pod-gc-threshold', options.terminatedPodGcThreshold ?? 1000),
    arg('use-service-account-credentials', true),
    arg('bind-address', '127.0.0.1'),
    arg('kube-api-qps', sized.kubeApiQps),
    arg('kube-api-burst', sized.kubeApiBurst),
    arg('node-monitor-grace-period', sized.nodeMonitorGracePeriod),
    arg('large-cluster-size-threshold', sized.largeClusterSizeThreshold),
    arg('unhealthy-zone-threshold', sized.unhealthyZoneThreshold),
    ...leaderElectionArgs(),
  ];
}

/**
 * kube-scheduler arguments (CIS section 1.4) and `--config` (lib/render/scheduler-config: spread
 * defaults, client rate limits; profiling is off there too, because --config makes kube-scheduler
 * ignore the deprecated --profiling flag).
 */
export function schedulerArgs(cluster: ClusterSpec): ExtraArg[] {
  void cluster;
  return [arg('profiling', false), arg('bind-address', '127.0.0.1'), arg('config', SCHEDULER_CONFIG_PATH), ...leaderElectionArgs()];
}

function leaderElectionArgs(): ExtraArg[] {
  return [
    arg('leader-elect', true),
    arg('leader-elect-lease-duration', LEADER_ELECTION.leaseDuration),
    arg('leader-elect-renew-deadline', LEADER_ELECTION.renewDeadline),
    arg('leader-elect-retry-period', LEADER_ELECTION.retryPeriod),
  ];
}
