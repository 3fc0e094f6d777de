/**
 * The Argo CD Application that installs kube-prometheus-stack (Helm) into a workload cluster.
 * Pure data, an instance of the generic Helm add-on (lib/addons/helm-application.ts).
 */
import { helmAddonOptions, type HelmAddon } from '../addons/helm-application';
import { helmApplication } from '../platform/helm-application';
import { mergeValues, type Values } from '../addons/values';
import type { ClusterSpec, EnvironmentSpec } from '../spec';
import { CHARTS } from '../versions/pins';

export const KUBE_PROMETHEUS_STACK = {
  repoURL: CHARTS.kubePrometheusStack.repoURL,
  chart: CHARTS.kubePrometheusStack.chart,
  /** Pinned chart version; `addons.monitoring.chartVersion` overrides it. */
  version: CHARTS.kubePrometheusStack.version,
  /** Helm release name; the operator selects PrometheusRules labelled `release: <this>`. */
  releaseName: 'kube-prometheus-stack',
} as const;
export const MONITORING_NAMESPACE = 'monitoring';
/** Secret (created outside git) with the Grafana admin login: keys `admin-user`, `admin-password`. */
export const GRAFANA_ADMIN_SECRET = 'grafana-admin';

export { mergeValues } from '../addons/values';
/** kprod's Helm values: HA Prometheus and Alertmanager with storage, no default Grafana password, etcd endpoints. */
export function kprodMonitoringValues(cluster: ClusterSpec): Values {
  const etcd = cluster.controlPlane.etcd;
  const external = etcd.topology === 'external' && etcd.external ? etcd.external.members.map((m) => m.ip) : undefined;
  return {
    prometheus: {
      prometheusSpec: {
        replicas: 2,
        retention: '15d',
        retentionSize: '45GB',
        externalLabels: { cluster: cluster.name, environment: cluster.environment },
        storageSpec: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } } },
        resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: 2,
        storage: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } } },
      },
    },
    grafana: { admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: 'admin-user', passwordKey: 'admin-password' } },
    // External etcd members are not pods: scrape them by address.
    ...(external ? { kubeEtcd: { enabled: true, endpoints: external } } : {}),
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
  return addon && helmApplication(cluster, env, helmAddonOptions(addon));
}
