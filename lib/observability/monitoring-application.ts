/**
 * The Argo CD Application that installs kube-prometheus-stack (Helm) into a workload cluster.
 * Pure data, an instance of the generic Helm add-on (lib/addons/helm-application.ts).
 */
import { helmApplication, type HelmAddon } from '../addons/helm-application';
import { mergeValues, type Values } from '../addons/values';
import { ETCD_METRICS_PORT } from '../render/etcd';
import { NODE_EXPORTER_PORT } from '../render/etcd-host-metrics';
import { METRICS_PROXY_LISTENERS } from '../render/metrics-proxy';
import type { ClusterSpec, EnvironmentSpec } from '../spec';
import { SCRAPE_JOBS } from './scrape-jobs';

export const KUBE_PROMETHEUS_STACK = {
  repoURL: 'https://prometheus-community.github.io/helm-charts',
  chart: 'kube-prometheus-stack',
  /** Pinned chart version; `addons.monitoring.chartVersion` overrides it. */
  version: '69.8.2',
  /** Helm release name; the operator selects PrometheusRules labelled `release: <this>`. */
  releaseName: 'kube-prometheus-stack',
} as const;
export const MONITORING_NAMESPACE = 'monitoring';
/** Secret (created outside git) with the Grafana admin login: keys `admin-user`, `admin-password`. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

export { mergeValues } from '../addons/values';
/**
 * Where the chart's control-plane monitors scrape (see lib/render/metrics-proxy.ts and
 * lib/render/etcd.ts): controller-manager and scheduler through the metrics proxy on each
 * control-plane node (TLS passed through to the loopback-bound components, which authenticate
 * Prometheus' token themselves; their serving certificates are self-signed, hence no CA check);
 * stacked etcd through the proxy as well; external etcd members on their own address, plain HTTP.
 */
export function controlPlaneMonitorValues(cluster: ClusterSpec): Values {
  const etcd = cluster.controlPlane.etcd;
  const proxy = METRICS_PROXY_LISTENERS;
  const viaProxy = (l: (typeof proxy)['controllerManager' | 'scheduler']) => ({
    service: { port: l.port, targetPort: l.port },
    serviceMonitor: { https: true, insecureSkipVerify: true },
  });
  const external = etcd.topology === 'external' && etcd.external ? etcd.external.members.map((m) => m.ip) : undefined;
  return {
    kubeControllerManager: { enabled: true, ...viaProxy(proxy.controllerManager) },
    kubeScheduler: { enabled: true, ...viaProxy(proxy.scheduler) },
    kubeEtcd: external
      ? // External etcd members are not pods: scrape them by address.
        { enabled: true, endpoints: external, service: { port: ETCD_METRICS_PORT, targetPort: ETCD_METRICS_PORT }, serviceMonitor: { scheme: 'http' } }
      : { enabled: true, service: { port: ETCD_METRICS_PORT, targetPort: proxy.etcd.port }, serviceMonitor: { scheme: 'http' } },
  };
}

/** The external etcd VMs' node_exporters (lib/render/etcd-host-metrics.ts): host metrics and the backup timestamp. */
export function etcdHostScrapeConfigs(cluster: ClusterSpec): Record<string, unknown>[] {
  const etcd = cluster.controlPlane.etcd;
  const groups = [etcd.topology === 'external' ? etcd.external : undefined, etcd.events].filter((g) => g !== undefined);
  const targets = groups.flatMap((g) => g.members.map((m) => `${m.ip}:${NODE_EXPORTER_PORT}`));
  if (targets.length === 0) return [];
  return [{ job_name: SCRAPE_JOBS.etcdHosts, scheme: 'http', static_configs: [{ targets }] }];
}

function etcdHostScrapeValues(cluster: ClusterSpec): Values {
  const configs = etcdHostScrapeConfigs(cluster);
  return configs.length ? { additionalScrapeConfigs: configs } : {};
}

/** kprod's Helm values: HA Prometheus and Alertmanager with storage, no default Grafana password, control-plane monitor targets. */
export function kprodMonitoringValues(cluster: ClusterSpec): Values {
  return {
    prometheus: {
      prometheusSpec: {
        replicas: 2,
        retention: '15d',
        retentionSize: '45GB',
        externalLabels: { cluster: cluster.name, environment: cluster.environment },
        storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
        resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
        ...etcdHostScrapeValues(cluster),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: 2,
        storage: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } },
      },
    },
    grafana: { admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' } },
    ...controlPlaneMonitorValues(cluster),
  };
}

/** kube-prometheus-stack as an instance of the generic Helm add-on; undefined when disabled. */
export function monitoringAddon(cluster: ClusterSpec): HelmAddon | undefined {
  const monitoring = cluster.addons.monitoring;
  if (!monitoring.enabled) return undefined;
  return {
    name: 'monitoring',
    repoURL: KUBE_PROMETHEUS_STACK.repoURL,
    chart: KUBE_PROMETHEUS_STACK.chart,
    version: monitoring.chartVersion ?? KUBE_PROMETHEUS_STACK.version,
    namespace: MONITORING_NAMESPACE,
    releaseName: KUBE_PROMETHEUS_STACK.releaseName,
    values: mergeValues(kprodMonitoringValues(cluster), monitoring.values as Values),
    // The CRDs must exist before the `monitoring-rules` folder (wave 0) applies PrometheusRules.
    syncWave: -1,
    // node-exporter runs with host network, host PID and hostPath mounts.
    podSecurity: 'privileged',
  };
}

/**
 * The Application manifest, or undefined when `addons.monitoring.enabled` is false.
 * Spec values (`addons.monitoring.values`) are merged over kprod's defaults.
 */
export function monitoringHelmApplication(cluster: ClusterSpec, env: EnvironmentSpec): Record<string, unknown> | undefined {
  const addon = monitoringAddon(cluster);
  return addon && helmApplication(cluster, env, addon);
}
