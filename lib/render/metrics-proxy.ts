/**
 * `kprod-metrics-proxy`: a HAProxy static pod on every control-plane machine that makes the
 * metrics of components bound to loopback scrapeable from Prometheus in the workload cluster,
 * without changing their bind addresses.
 *
 * Why: CIS 1.3.7 and 1.4.2 want `--bind-address=127.0.0.1` for kube-controller-manager and
 * kube-scheduler (kprod keeps it), and kubeadm's stacked etcd serves metrics on
 * http://127.0.0.1:2381 only, so kube-prometheus-stack's monitors, which scrape the node address,
 * reach nothing. The proxy listens on the node on its own ports and forwards raw TCP to loopback:
 * - controller-manager 10357 → 127.0.0.1:10257 and scheduler 10359 → 127.0.0.1:10259: TLS passes
 *   through untouched, so the components still authenticate every scrape themselves (delegated
 *   authentication: Prometheus' ServiceAccount token via TokenReview) and authorise it
 *   (SubjectAccessReview for `get /metrics`); the proxy adds no credential and sees no plaintext.
 *   The benchmark's concern (the old unauthenticated insecure port, removed upstream) does not
 *   come back: anonymous callers reach only the health paths the components always allow.
 * - stacked etcd 12381 → 127.0.0.1:2381: etcd's metrics listener (plain HTTP, /metrics and
 *   /health only; the KV API stays on 2379 with client certificates).
 * A TCP passthrough was chosen over kube-rbac-proxy because it needs no credential of its own
 * and works in every endpoint mode (it is not the API endpoint's HAProxy). The OpenStack
 * security groups open these ports to the worker nodes (where Prometheus runs) only.
 */
import type { ClusterSpec } from '../spec';
import { ETCD_METRICS_PORT } from './etcd';
import { HAPROXY_IMAGE } from './endpoint-files';
import { STATIC_POD_DIR, staticPod, staticPodYaml } from './static-pods';
import type { HostFile } from './types';

export const METRICS_PROXY_NAME = 'kprod-metrics-proxy';
export const METRICS_PROXY_CONFIG_DIR = '/etc/kubernetes/kprod-metrics-proxy';
export const METRICS_PROXY_CONFIG_PATH = `${METRICS_PROXY_CONFIG_DIR}/haproxy.cfg`;
export const METRICS_PROXY_MANIFEST_PATH = `${STATIC_POD_DIR}/${METRICS_PROXY_NAME}.yaml`;

/** Secure ports of the components (kubeadm defaults). */
export const CONTROLLER_MANAGER_SECURE_PORT = 10257;
export const SCHEDULER_SECURE_PORT = 10259;

/** One forwarded port: the proxy listens on `port` on every address and forwards to 127.0.0.1:`upstreamPort`. */
export interface MetricsProxyListener {
  readonly name: string;
  readonly port: number;
  readonly upstreamPort: number;
  /** What the upstream speaks; TLS is passed through, never terminated. */
  readonly scheme: 'https' | 'http';
}

/** The proxy's listeners, by component; `etcd` only for stacked etcd. */
export const METRICS_PROXY_LISTENERS = {
  controllerManager: { name: 'kube-controller-manager', port: 10357, upstreamPort: CONTROLLER_MANAGER_SECURE_PORT, scheme: 'https' },
  scheduler: { name: 'kube-scheduler', port: 10359, upstreamPort: SCHEDULER_SECURE_PORT, scheme: 'https' },
  etcd: { name: 'etcd', port: 12381, upstreamPort: ETCD_METRICS_PORT, scheme: 'http' },
} as const satisfies Record<string, MetricsProxyListener>;

/** The listeners a cluster's control-plane machines run. */
export function metricsProxyListeners(cluster: Pick<ClusterSpec, 'controlPlane'>): MetricsProxyListener[] {
  const l = METRICS_PROXY_LISTENERS;
  return [l.controllerManager, l.scheduler, ...(cluster.controlPlane.etcd.topology === 'stacked' ? [l.etcd] : [])];
}

/** haproxy.cfg of the proxy; `bindAddress` (default: every address) is only set by tests. */
export function renderMetricsProxyConfig(listeners: readonly MetricsProxyListener[], bindAddress = ''): string {
  const lines = [
    '# Rendered by kprod: TCP passthrough from the node to loopback-bound metrics (see lib/render/metrics-proxy.ts).',
    'global',
    '    log stdout format raw local0 notice',
    '    maxconn 256',
    '',
    'defaults',
    '    mode tcp',
    '    log global',
    '    timeout connect 5s',
    '    timeout client 60s',
    '    timeout server 60s',
  ];
  for (const l of listeners) lines.push('', `listen ${l.name}`, `    bind ${bindAddress}:${l.port}`, `    server local 127.0.0.1:${l.upstreamPort}`);
  return `${lines.join('\n')}\n`;
}

/** The config and the static pod; written on every control-plane machine. Empty when monitoring is off. */
export function metricsProxyHostFiles(cluster: ClusterSpec): HostFile[] {
  if (!cluster.addons.monitoring.enabled) return [];
  const pod = staticPod({
    name: METRICS_PROXY_NAME,
    image: HAPROXY_IMAGE,
    mounts: [{ name: 'config', hostPath: METRICS_PROXY_CONFIG_DIR, mountPath: '/usr/local/etc/haproxy', type: 'Directory' }],
    requests: { cpu: '10m', memory: '32Mi' },
  });
  return [
    { path: METRICS_PROXY_CONFIG_PATH, content: renderMetricsProxyConfig(metricsProxyListeners(cluster)), permissions: '0644', owner: 'root:root' },
    { path: METRICS_PROXY_MANIFEST_PATH, content: staticPodYaml(pod), permissions: '0644', owner: 'root:root' },
  ];
}
