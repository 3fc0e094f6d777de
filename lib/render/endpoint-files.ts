// PLACEHOLDER owned by the endpoint/etcd helper: replaced with the real renderers.
import type { ClusterSpec } from '../spec';
import type { HostFile } from './types';

/**
 * Files every control-plane machine needs for the API endpoint (haproxy.cfg, keepalived.conf,
 * check_apiserver.sh and their static pods, or the kube-vip static pod), for `endpoint.mode`.
 * Empty for `loadbalancer`.
 */
export function endpointHostFiles(cluster: ClusterSpec): HostFile[] {
  void cluster;
  return [];
}

/** Commands to run before `kubeadm init` on the first control-plane machine (kube-vip super-admin.conf switch, issue 684). */
export function endpointPreKubeadmCommands(cluster: ClusterSpec, phase: 'init' | 'join'): string[] {
  void cluster;
  void phase;
  return [];
}
