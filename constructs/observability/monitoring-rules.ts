import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CRITICAL_NODE_CONDITIONS, machineHealthCheckAlerts, toRuleGroup, workloadRuleGroups, type PrometheusRuleGroup } from '../../lib/observability/alerts';
import { etcdBackupAlertParameters } from '../../lib/observability/backup-age';
import { cniPodMonitor } from '../../lib/observability/cni-metrics';
import { podMonitor } from '../../lib/observability/pod-monitors';
import { KUBE_PROMETHEUS_STACK, MONITORING_NAMESPACE } from '../../lib/observability/monitoring-application';
import { metricsProxyListeners } from '../../lib/render/metrics-proxy';
import { npdConditionTypes } from '../../lib/render/npd';
import { toBytes } from '../../lib/sizing/quantity';
import type { ClusterSpec } from '../../lib/spec';
import type { ClusterContext } from '../context';

export interface MonitoringRulesProps {
  /** The cluster being built. */
  readonly ctx: ClusterContext;
  /**
   * Also write the MachineHealthCheck alert into the cluster's management folder (needs the
   * prometheus-operator CRDs and kube-state-metrics with the Cluster API CustomResourceState
   * config on the management cluster).
   * @default false
   */
  readonly managementRules?: boolean;
  /**
   * Argo CD sync wave of the add-on folder.
   * @default 0
   */
  readonly syncWave?: number;
}

/** The NPD conditions of this cluster (built-in and user monitors) with their alert severity. */
export function npdConditions(cluster: ClusterSpec) {
  const npd = cluster.addons.nodeProblemDetector;
  if (!npd.enabled) return [];
  const types = npdConditionTypes({ customCheckScript: npd.customCheckScript, customMonitors: npd.customMonitors });
  return types.map((type) => ({ type, severity: CRITICAL_NODE_CONDITIONS.has(type) ? ('critical' as const) : ('warning' as const) }));
}

/** kprod's rule groups for a workload cluster. */
export function clusterRuleGroups(cluster: ClusterSpec): PrometheusRuleGroup[] {
  const backup = etcdBackupAlertParameters(cluster);
  const plugin = cluster.network.cni.plugin;
  return workloadRuleGroups({
    etcdQuotaBytes: toBytes(cluster.controlPlane.etcd.quotaBackendBytes),
    runbookBaseUrl: cluster.addons.monitoring.runbookBaseUrl,
    nodeConditions: npdConditions(cluster),
    cni: plugin === 'calico' || plugin === 'cilium' ? plugin : undefined,
    etcdBackup: backup && !('error' in backup) ? backup : undefined,
  });
}

/**
 * PrometheusRule `kprod-alerts` in `addons/monitoring-rules/` (namespace monitoring), labelled
 * for kube-prometheus-stack's rule selector. Nothing when `addons.monitoring.enabled` is false.
 */
export class MonitoringRules extends Construct {
  constructor(scope: Construct, id: string, props: MonitoringRulesProps) {
    super(scope, id);
    const { ctx } = props;
    const monitoring = ctx.cluster.addons.monitoring;
    if (!monitoring.enabled) return;
    const chart = ctx.addonChart('monitoring-rules', { syncWave: props.syncWave ?? 0, namespace: MONITORING_NAMESPACE });
    const labels = { release: KUBE_PROMETHEUS_STACK.releaseName, 'app.kubernetes.io/part-of': 'kprod' };
    new ApiObject(chart, 'rules', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'kprod-alerts', namespace: MONITORING_NAMESPACE, labels },
      spec: { groups: clusterRuleGroups(ctx.cluster) },
    });
    if (ctx.cluster.addons.nodeProblemDetector.enabled) new ApiObject(chart, 'npd-monitor', podMonitor('node-problem-detector', 'kube-system'));
    const cniMonitor = cniPodMonitor(ctx.cluster.network.cni.plugin);
    if (cniMonitor) new ApiObject(chart, 'cni-monitor', cniMonitor);
    const proxied = metricsProxyListeners(ctx.cluster).map((l) => `${l.name} :${l.port}→127.0.0.1:${l.upstreamPort}`);
    ctx.addSummary(`monitoring: loopback-bound metrics (CIS binds kept) scraped through kprod-metrics-proxy on the control-plane nodes: ${proxied.join(', ')}`);
    ctx.addSummary('monitoring: the chart\'s kube-proxy monitor is off: kube-proxy metrics stay on 127.0.0.1:10249 (CIS 4.3.1) and no kprod alert needs them');
    const backup = etcdBackupAlertParameters(ctx.cluster);
    if (backup && 'error' in backup) ctx.addSummary(`WARNING ${backup.error}`);
    else if (backup) ctx.addSummary(`etcd backup-age alert: newest ${backup.topology} snapshot older than ${backup.maxAgeSeconds} s (2 × the "${backup.schedule}" schedule)`);
    if (props.managementRules) {
      new ApiObject(ctx.managementChart, 'mhc-rules', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: `${ctx.cluster.name}-machinehealthcheck`, namespace: ctx.capiNamespace, labels },
        spec: { groups: [toRuleGroup('kprod.machinehealthcheck', machineHealthCheckAlerts(ctx.capiNamespace), monitoring.runbookBaseUrl)] },
      });
    }
  }
}
