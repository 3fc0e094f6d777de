/**
 * PodMonitors kprod adds for its own host-network agents (kube-prometheus-stack does not know
 * them). They live in the `monitoring-rules` folder, after the chart has installed the CRDs.
 */
import { KUBE_PROMETHEUS_STACK, MONITORING_NAMESPACE } from './monitoring-application';

/** node-problem-detector's Prometheus port (its default, `--prometheus-port`). */
export const NPD_METRICS_PORT = 20257;

/** A PodMonitor selecting the pods labelled `app.kubernetes.io/name: <app>` in `namespace`, on their container port `port`. */
export function podMonitor(app: string, namespace: string, port = 'metrics'): { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> } {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: app, namespace: MONITORING_NAMESPACE, labels: { release: KUBE_PROMETHEUS_STACK.releaseName, 'app.kubernetes.io/part-of': 'kprod' } },
    spec: {
      jobLabel: 'app.kubernetes.io/name',
      namespaceSelector: { matchNames: [namespace] },
      selector: { matchLabels: { 'app.kubernetes.io/name': app } },
      podMetricsEndpoints: [{ port, scheme: 'http', path: '/metrics' }],
    },
  };
}
