/**
 * kprod's alert rules as data. Each alert carries severity, summary, description and a
 * runbook URL `<runbookBaseUrl>/<alertname>`. The groups are plain Prometheus rule groups:
 * promtool reads them as a rule file, the operator reads them in `PrometheusRule.spec.groups`.
 */

export type Severity = 'critical' | 'warning' | 'info';

/** One alert as kprod writes it. */
export interface AlertDefinition {
  readonly alert: string;
  readonly expr: string;
  /** Pending duration before firing, e.g. "5m". */
  readonly for: string;
  readonly severity: Severity;
  readonly summary: string;
  /** May use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly description: string;
}

/** A rule as Prometheus reads it. */
export interface PrometheusAlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export interface PrometheusRuleGroup {
  name: string;
  rules: PrometheusAlertRule[];
}

/** A node condition reported by node-problem-detector. */
export interface NodeConditionAlert {
  readonly type: string;
  readonly severity: Severity;
}

export interface AlertParameters {
  /** etcd backend quota in bytes (the cluster's `quotaBackendBytes`). */
  readonly etcdQuotaBytes: number;
  /** Runbook base URL, without trailing slash. */
  readonly runbookBaseUrl: string;
  /** NPD conditions to alert on. */
  readonly nodeConditions: readonly NodeConditionAlert[];
}

const ETCD = 'job=~".*etcd.*"';
const DAY = 86400;

export function etcdAlerts(quotaBytes: number): AlertDefinition[] {
  const gib = (quotaBytes / 2 ** 30).toFixed(1);
  return [
    {
      alert: 'EtcdNoLeader',
      expr: `etcd_server_has_leader{${ETCD}} == 0`,
      for: '1m',
      severity: 'critical',
      summary: 'etcd member has no leader.',
      description: 'etcd member {{ $labels.instance }} has had no leader for 1 minute: the cluster cannot accept writes.',
    },
    {
      alert: 'EtcdFrequentLeaderChanges',
      expr: `increase(etcd_server_leader_changes_seen_total{${ETCD}}[15m]) >= 3`,
      for: '5m',
      severity: 'warning',
      summary: 'etcd leader changes too often.',
      description: 'etcd member {{ $labels.instance }} saw {{ $value }} leader changes in 15 minutes: check disk latency and network between members.',
    },
    {
      alert: 'EtcdDatabaseNearQuota',
      expr: `etcd_mvcc_db_total_size_in_bytes{${ETCD}} > ${Math.floor(quotaBytes * 0.8)}`,
      for: '10m',
      severity: 'warning',
      summary: 'etcd database above 80% of its quota.',
      description: `etcd member {{ $labels.instance }} database is {{ $value | humanize1024 }}B of the ${gib} GiB quota; defragment or raise quotaBackendBytes before writes are refused.`,
    },
    {
      alert: 'EtcdDatabaseQuotaCritical',
      expr: `etcd_mvcc_db_total_size_in_bytes{${ETCD}} > ${Math.floor(quotaBytes * 0.95)}`,
      for: '2m',
      severity: 'critical',
      summary: 'etcd database above 95% of its quota.',
      description: `etcd member {{ $labels.instance }} database is {{ $value | humanize1024 }}B of the ${gib} GiB quota; at the quota etcd raises NOSPACE and refuses writes.`,
    },
    {
      alert: 'EtcdHighFsyncLatency',
      expr: `histogram_quantile(0.99, sum by (instance, le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{${ETCD}}[5m]))) > 0.5`,
      for: '10m',
      severity: 'warning',
      summary: 'etcd WAL fsync is slow.',
      description: 'etcd member {{ $labels.instance }} p99 WAL fsync latency is {{ $value | humanizeDuration }}: the disk is too slow for etcd.',
    },
  ];
}

export function apiserverAlerts(): AlertDefinition[] {
  return [
    {
      alert: 'KubeAPIServerDown',
      expr: 'absent(up{job="apiserver"} == 1)',
      for: '5m',
      severity: 'critical',
      summary: 'No kube-apiserver is reachable.',
      description: 'Prometheus has not scraped any kube-apiserver for 5 minutes.',
    },
    {
      alert: 'KubeAPIServerHighErrorRate',
      expr:
        'sum by (instance) (rate(apiserver_request_total{job="apiserver",code=~"5.."}[5m])) / sum by (instance) (rate(apiserver_request_total{job="apiserver"}[5m])) > 0.05',
      for: '10m',
      severity: 'critical',
      summary: 'kube-apiserver returns many 5xx errors.',
      description: 'kube-apiserver {{ $labels.instance }} answers {{ $value | humanizePercentage }} of requests with 5xx.',
    },
    {
      alert: 'KubeAPIServerHighLatency',
      expr:
        'histogram_quantile(0.99, sum by (instance, verb, le) (rate(apiserver_request_duration_seconds_bucket{job="apiserver",verb!~"WATCH|CONNECT|LIST"}[5m]))) > 1',
      for: '10m',
      severity: 'warning',
      summary: 'kube-apiserver requests are slow.',
      description: 'kube-apiserver {{ $labels.instance }} p99 latency of {{ $labels.verb }} is {{ $value | humanizeDuration }}.',
    },
  ];
}

export function certificateAlerts(): AlertDefinition[] {
  return [
    {
      alert: 'KubeClientCertificateExpiration',
      expr:
        'apiserver_client_certificate_expiration_seconds_count{job="apiserver"} > 0 and on (job, instance) histogram_quantile(0.01, sum by (job, instance, le) (rate(apiserver_client_certificate_expiration_seconds_bucket{job="apiserver"}[5m]))) < ' +
        `${14 * DAY}`,
      for: '5m',
      severity: 'warning',
      summary: 'A client certificate used against the apiserver expires within 14 days.',
      description: 'Clients of kube-apiserver {{ $labels.instance }} present certificates expiring in less than 14 days: renew the control-plane certificates (a KubeadmControlPlane rollout renews them).',
    },
    {
      alert: 'KubeletServingCertificateExpiration',
      expr: `kubelet_certificate_manager_server_ttl_seconds < ${7 * DAY}`,
      for: '5m',
      severity: 'warning',
      summary: 'Kubelet serving certificate expires within 7 days.',
      description: 'The serving certificate of kubelet {{ $labels.node }} expires in {{ $value | humanizeDuration }}: check that kubelet-serving CSRs are approved.',
    },
    {
      alert: 'KubeletClientCertificateExpiration',
      expr: `kubelet_certificate_manager_client_ttl_seconds < ${7 * DAY}`,
      for: '5m',
      severity: 'warning',
      summary: 'Kubelet client certificate expires within 7 days.',
      description: 'The client certificate of kubelet {{ $labels.node }} expires in {{ $value | humanizeDuration }}: client rotation is failing.',
    },
  ];
}

export function nodeAlerts(conditions: readonly NodeConditionAlert[]): AlertDefinition[] {
  const npd = conditions.map(
    (c): AlertDefinition => ({
      alert: `Node${c.type}`,
      expr: `kube_node_status_condition{condition="${c.type}",status="true"} == 1`,
      for: '5m',
      severity: c.severity,
      summary: `Node reports ${c.type}.`,
      description: `node-problem-detector reports condition ${c.type} on node {{ $labels.node }}; see the node's events for the reason.`,
    }),
  );
  return [
    ...npd,
    {
      alert: 'NodeUnderPressure',
      expr: 'kube_node_status_condition{condition=~"MemoryPressure|DiskPressure|PIDPressure",status="true"} == 1',
      for: '5m',
      severity: 'warning',
      summary: 'Node is under resource pressure.',
      description: 'Node {{ $labels.node }} reports {{ $labels.condition }}: the kubelet is evicting pods.',
    },
    {
      alert: 'KubeletDown',
      expr: 'up{job="kubelet",metrics_path="/metrics"} == 0',
      for: '5m',
      severity: 'critical',
      summary: 'Kubelet cannot be scraped.',
      description: 'Kubelet {{ $labels.node }} ({{ $labels.instance }}) has been down or unreachable for 5 minutes.',
    },
    {
      alert: 'PersistentVolumeNearlyFull',
      expr:
        'kubelet_volume_stats_available_bytes{job="kubelet"} / kubelet_volume_stats_capacity_bytes{job="kubelet"} < 0.10 and kubelet_volume_stats_used_bytes{job="kubelet"} > 0',
      for: '5m',
      severity: 'warning',
      summary: 'PersistentVolume is over 90% full.',
      description: 'PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} space left.',
    },
    {
      alert: 'PersistentVolumeFull',
      expr:
        'kubelet_volume_stats_available_bytes{job="kubelet"} / kubelet_volume_stats_capacity_bytes{job="kubelet"} < 0.03 and kubelet_volume_stats_used_bytes{job="kubelet"} > 0',
      for: '2m',
      severity: 'critical',
      summary: 'PersistentVolume is over 97% full.',
      description: 'PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} space left.',
    },
  ];
}

/**
 * Machines left unhealthy because a MachineHealthCheck may not remediate (its unhealthy limit,
 * `maxUnhealthy`/`unhealthyLessThanOrEqualTo`, is exceeded — Cluster API issue 3163). Uses the
 * `capi_machinehealthcheck_*` metrics of kube-state-metrics' CustomResourceState config for
 * Cluster API (from MHC `.status.expectedMachines`, `.status.currentHealthy`,
 * `.status.remediationsAllowed`): it exists on the management cluster only.
 * @param namespace restrict to the cluster's Cluster API namespace
 */
export function machineHealthCheckAlerts(namespace?: string): AlertDefinition[] {
  const sel = namespace ? `{namespace="${namespace}"}` : '';
  return [
    {
      alert: 'MachineHealthCheckRemediationBlocked',
      expr:
        `capi_machinehealthcheck_status_remediations_allowed${sel} == 0 and on (namespace, name) ` +
        `(capi_machinehealthcheck_status_expected_machines${sel} - capi_machinehealthcheck_status_current_healthy${sel}) > 0`,
      for: '15m',
      severity: 'critical',
      summary: 'Unhealthy machines are not remediated: the MachineHealthCheck unhealthy limit is exceeded.',
      description:
        'MachineHealthCheck {{ $labels.namespace }}/{{ $labels.name }} has unhealthy machines but 0 remediations allowed: too many machines are unhealthy at once (maxUnhealthy), so Cluster API leaves them alone. Investigate the common cause, then remediate by hand.',
    },
  ];
}

/** Adds labels, annotations and runbook URLs. */
export function toRuleGroup(name: string, alerts: readonly AlertDefinition[], runbookBaseUrl: string): PrometheusRuleGroup {
  const base = runbookBaseUrl.replace(/\/+$/, '');
  return {
    name,
    rules: alerts.map((a) => ({
      alert: a.alert,
      expr: a.expr,
      for: a.for,
      labels: { severity: a.severity },
      annotations: { summary: a.summary, description: a.description, runbook_url: `${base}/${a.alert}` },
    })),
  };
}

/** The rule groups of a workload cluster. */
export function workloadRuleGroups(p: AlertParameters): PrometheusRuleGroup[] {
  return [
    toRuleGroup('kprod.etcd', etcdAlerts(p.etcdQuotaBytes), p.runbookBaseUrl),
    toRuleGroup('kprod.apiserver', apiserverAlerts(), p.runbookBaseUrl),
    toRuleGroup('kprod.certificates', certificateAlerts(), p.runbookBaseUrl),
    toRuleGroup('kprod.nodes', nodeAlerts(p.nodeConditions), p.runbookBaseUrl),
  ];
}

/** NPD conditions that take a node out of service page; the others warn. */
export const CRITICAL_NODE_CONDITIONS = new Set(['KernelDeadlock', 'ReadonlyFilesystem', 'KubeletUnhealthy', 'ContainerRuntimeUnhealthy']);
