/**
 * Ingress the workload cluster's Prometheus needs: the scrape ports of host-network targets,
 * opened from the worker nodes only (Prometheus runs there; kprod gives it no control-plane
 * toleration). Pod-network targets (CoreDNS, kube-state-metrics) need no rule: their traffic is
 * the CNI's. Nothing when `addons.monitoring.enabled` is false.
 */
import { NODE_EXPORTER_PORT } from '../../lib/render/etcd-host-metrics';
import { ETCD_METRICS_PORT } from '../../lib/render/etcd';
import { KUBELET_PORT } from '../../lib/observability/scrape-targets';
import { CILIUM_AGENT_METRICS_PORT, cniPodMonitor } from '../../lib/observability/cni-metrics';
import { NPD_METRICS_PORT } from '../../lib/observability/pod-monitors';
import { metricsProxyListeners } from '../../lib/render/metrics-proxy';
import type { ClusterSpec } from '../../lib/spec';
import type { IngressRule, MachineRole } from './security-rules';

/** Where scrapes come from. */
export const MONITORING_SOURCE: MachineRole = 'worker';

export function monitoringIngressRules(cluster: Pick<ClusterSpec, 'controlPlane' | 'addons' | 'network'>, etcdMachines: boolean): IngressRule[] {
  if (!cluster.addons.monitoring.enabled) return [];
  const from = { group: MONITORING_SOURCE };
  const tcp = (group: MachineRole, port: number, description: string): IngressRule => ({ group, protocol: 'tcp', ports: [port, port], from, description: `${description} (Prometheus)` });
  const rules: IngressRule[] = [];
  for (const group of ['control-plane', 'worker'] as const) {
    rules.push(tcp(group, KUBELET_PORT, 'kubelet metrics'), tcp(group, NODE_EXPORTER_PORT, 'node-exporter'));
    if (cluster.addons.nodeProblemDetector.enabled) rules.push(tcp(group, NPD_METRICS_PORT, 'node-problem-detector metrics'));
    if (cniPodMonitor(cluster.network.cni.plugin)) rules.push(tcp(group, CILIUM_AGENT_METRICS_PORT, 'cilium agent metrics'));
  }
  for (const l of metricsProxyListeners(cluster)) rules.push(tcp('control-plane', l.port, `${l.name} metrics via kprod-metrics-proxy`));
  if (etcdMachines) rules.push(tcp('etcd', ETCD_METRICS_PORT, 'etcd metrics'), tcp('etcd', NODE_EXPORTER_PORT, 'etcd host node_exporter'));
  return rules;
}
