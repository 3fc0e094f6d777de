/**
 * The Argo CD Application that installs kube-prometheus-stack (Helm) into a workload cluster.
 * Pure data: the lead adds it to `dist/<env>/argocd/` next to the folder Applications.
 */
import { names } from '../naming';
import type { ClusterSpec, EnvironmentSpec } from '../spec';

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

type Values = Record<string, unknown>;
const isPlainObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges `override` into `base`: objects recursively, everything else (arrays included) replaced. */
export function mergeValues(base: Values, override: Readonly<Values>): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeValues(out[k] as Values, v) : v;
  return out;
}

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

/**
 * The Application manifest, or undefined when `addons.monitoring.enabled` is false.
 * Spec values (`addons.monitoring.values`) are merged over kprod's defaults.
 */
export function monitoringHelmApplication(cluster: ClusterSpec, env: EnvironmentSpec): Record<string, unknown> | undefined {
  const monitoring = cluster.addons.monitoring;
  if (!monitoring.enabled) return undefined;
  const gitops = env.gitops;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${cluster.name}-monitoring`,
      namespace: gitops.argocdNamespace,
      labels: { 'kprod.io/cluster': cluster.name, 'kprod.io/folder': 'addon' },
      // The CRDs must exist before the `monitoring-rules` folder (wave 0) applies PrometheusRules.
      annotations: { 'argocd.argoproj.io/sync-wave': '-1' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: gitops.project,
      source: {
        repoURL: KUBE_PROMETHEUS_STACK.repoURL,
        chart: KUBE_PROMETHEUS_STACK.chart,
        targetRevision: monitoring.chartVersion ?? KUBE_PROMETHEUS_STACK.version,
        helm: { releaseName: KUBE_PROMETHEUS_STACK.releaseName, valuesObject: mergeValues(kprodMonitoringValues(cluster), monitoring.values as Values) },
      },
      destination: { name: names.argocdCluster(cluster), namespace: MONITORING_NAMESPACE },
      syncPolicy: {
        automated: { prune: gitops.prune, selfHeal: gitops.selfHeal },
        // ServerSideApply: the chart's CRDs exceed the client-side last-applied annotation limit.
        syncOptions: ['CreateNamespace=true', 'ServerSideApply=true'],
      },
    },
  };
}
