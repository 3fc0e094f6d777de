/**
 * Metrics of the CNI's node agent. Cilium: the agent's Prometheus endpoint (chart value
 * `prometheus.enabled`, port 9962, host network on every node), scraped by kprod's PodMonitor on
 * the agent pods' `prometheus` port; kprod does not turn on the chart's own ServiceMonitor
 * because the CNI syncs before kube-prometheus-stack has installed the CRD. Calico: felix
 * metrics would need the operator's `default` FelixConfiguration changed (the chart's
 * `defaultFelixConfiguration` takes that object over from the operator), so kprod leaves them
 * off; the CNIAgentNotReady alert reads kube-state-metrics for both CNIs.
 */
import type { Values } from '../addons/values';
import type { CniPlugin } from './alerts';
import { podMonitor } from './pod-monitors';

/** The cilium agent's metrics port (chart default `prometheus.port`). */
export const CILIUM_AGENT_METRICS_PORT = 9962;
const CILIUM_AGENT_APP = 'cilium-agent';

/** Values merged into the CNI chart's values. */
export function cniMetricsValues(plugin: string): Values {
  return plugin === 'cilium' ? { prometheus: { enabled: true, port: CILIUM_AGENT_METRICS_PORT } } : {};
}

/** kprod's PodMonitor of the CNI agent; undefined without agent metrics. */
export function cniPodMonitor(plugin: string) {
  return plugin === 'cilium' ? podMonitor(CILIUM_AGENT_APP, 'kube-system', 'prometheus') : undefined;
}

/**
 * What the cilium chart renders for the agent, as far as scraping goes (cilium 1.19 chart,
 * templates/cilium-agent/daemonset.yaml: host network, tolerates every taint, pod label
 * `app.kubernetes.io/name: cilium-agent`, container port `prometheus` when enabled), so the
 * reachability model (scrape-targets.ts) can check the PodMonitor against the chart's values.
 */
export function cniAgentModel(plugin: CniPlugin, values: Values) {
  const prometheus = (values.prometheus ?? {}) as { enabled?: boolean; port?: number };
  if (plugin !== 'cilium' || prometheus.enabled !== true) return undefined;
  return {
    kind: 'DaemonSet',
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      template: {
        metadata: { labels: { 'k8s-app': 'cilium', 'app.kubernetes.io/name': CILIUM_AGENT_APP } },
        spec: {
          hostNetwork: true,
          tolerations: [{ operator: 'Exists' }],
          containers: [{ name: 'cilium-agent', ports: [{ name: 'prometheus', containerPort: prometheus.port ?? CILIUM_AGENT_METRICS_PORT }] }],
        },
      },
    },
  };
}
