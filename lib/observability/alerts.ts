/**
 * kprod's alert rules as data. Each alert carries severity, summary, description and a
 * runbook URL `<runbookBaseUrl>/<alertname>`. The groups are plain Prometheus rule groups:
 * promtool reads them as a rule file, the operator reads them in `PrometheusRule.spec.groups`.
 */

import { ETCD_BACKUP_METRIC, SCRAPE_JOBS } from './scrape-jobs';

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
  /** The cluster's CNI, whose node agent must be ready everywhere. @default no CNI alert */
  readonly cni?: CniPlugin;
  /** Backup-age alert of the cluster's etcd. @default no backup alert */
  readonly etcdBackup?: EtcdBackupAlertParameters;
}

export type CniPlugin = 'calico' | 'cilium';

export interface EtcdBackupAlertParameters {
  /** `stacked`: the etcd-backup CronJob (kube-state-metrics); `external`: the members' backup timers (node_exporter textfile). */
  readonly topology: 'stacked' | 'external';
  /** Age after which the newest snapshot is too old: twice the longest gap of the backup schedule. */
  readonly maxAgeSeconds: number;
  /** The schedule, for the alert text. */
  readonly schedule: string;
}

/** kube-prometheus-stack's etcd job (stacked pods or external members alike). */
const ETCD = `job="${SCRAPE_JOBS.etcd}"`;
const ksm = `job="${SCRAPE_JOBS.kubeStateMetrics}"`;
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

/** kube-scheduler and kube-controller-manager: scraped through the metrics proxy on the control-plane nodes (lib/render/metrics-proxy.ts). */
export function controlPlaneComponentAlerts(): AlertDefinition[] {
  const down = (alert: string, job: string, what: string): AlertDefinition => ({
    alert,
    expr: `absent(up{job="${job}"} == 1)`,
    for: '15m',
    severity: 'critical',
    summary: `No ${job} is reachable.`,
    description: `Prometheus has not scraped any ${job} for 15 minutes: ${what}.`,
  });
  return [
    down('KubeSchedulerDown', SCRAPE_JOBS.scheduler, 'new pods stay Pending'),
    down('KubeControllerManagerDown', SCRAPE_JOBS.controllerManager, 'no controller reconciles (ReplicaSets, node lifecycle, service accounts, certificates)'),
  ];
}

export function corednsAlerts(): AlertDefinition[] {
  const job = `job="${SCRAPE_JOBS.coredns}"`;
  return [
    {
      alert: 'CoreDNSDown',
      expr: `absent(up{${job}} == 1)`,
      for: '5m',
      severity: 'critical',
      summary: 'No CoreDNS is reachable.',
      description: 'Prometheus has not scraped any CoreDNS pod for 5 minutes: in-cluster name resolution is probably down.',
    },
    {
      alert: 'CoreDNSHighLatency',
      expr: `histogram_quantile(0.99, sum by (instance, le) (rate(coredns_dns_request_duration_seconds_bucket{${job}}[5m]))) > 0.5`,
      for: '10m',
      severity: 'warning',
      summary: 'CoreDNS answers slowly.',
      description: 'CoreDNS {{ $labels.instance }} p99 request latency is {{ $value | humanizeDuration }}: check its upstream resolvers and CPU limits.',
    },
    {
      alert: 'CoreDNSErrors',
      expr: `sum by (instance) (rate(coredns_dns_responses_total{${job},rcode="SERVFAIL"}[5m])) / sum by (instance) (rate(coredns_dns_responses_total{${job}}[5m])) > 0.03`,
      for: '10m',
      severity: 'warning',
      summary: 'CoreDNS answers many requests with SERVFAIL.',
      description: 'CoreDNS {{ $labels.instance }} answers {{ $value | humanizePercentage }} of requests with SERVFAIL.',
    },
  ];
}

/** The DaemonSet of each CNI's node agent (namespaces as the tigera-operator and the cilium chart create them). */
export const CNI_AGENTS: Readonly<Record<CniPlugin, { readonly namespace: string; readonly daemonset: string }>> = {
  calico: { namespace: 'calico-system', daemonset: 'calico-node' },
  cilium: { namespace: 'kube-system', daemonset: 'cilium' },
};

/** The CNI's node agent not ready on some node, or its DaemonSet gone (kube-state-metrics). */
export function cniAlerts(plugin: CniPlugin): AlertDefinition[] {
  const { namespace, daemonset } = CNI_AGENTS[plugin];
  const sel = `${ksm},namespace="${namespace}",daemonset="${daemonset}"`;
  return [
    {
      alert: 'CNIAgentNotReady',
      expr:
        `(kube_daemonset_status_desired_number_scheduled{${sel}} - kube_daemonset_status_number_ready{${sel}} > 0)` +
        ` or absent(kube_daemonset_status_number_ready{${sel}})`,
      for: '10m',
      severity: 'critical',
      summary: `The ${plugin} node agent is not ready on every node.`,
      description: `DaemonSet {{ $labels.namespace }}/{{ $labels.daemonset }} is missing or has {{ $value }} node(s) without a ready ${plugin} agent: pods there have no network.`,
    },
  ];
}

/**
 * Newest etcd snapshot older than `maxAgeSeconds` (twice the schedule's longest gap).
 * Stacked: the etcd-backup CronJob's last success (kube-state-metrics), or a CronJob that has
 * existed that long without one. External: the newest success any member's backup timer wrote
 * to its node_exporter textfile, or no member reporting one while their exporters are up.
 */
export function etcdBackupAlerts(p: EtcdBackupAlertParameters): AlertDefinition[] {
  const age = p.maxAgeSeconds;
  const text = `older than ${age} s (twice the "${p.schedule}" schedule)`;
  if (p.topology === 'stacked') {
    const sel = `${ksm},namespace="${STACKED_BACKUP_CRONJOB.namespace}",cronjob="${STACKED_BACKUP_CRONJOB.name}"`;
    return [
      {
        alert: 'EtcdBackupTooOld',
        expr:
          `(time() - kube_cronjob_status_last_successful_time{${sel}} > ${age})` +
          ` or ((time() - kube_cronjob_created{${sel}} > ${age}) unless on (namespace, cronjob) kube_cronjob_status_last_successful_time{${sel}})`,
        for: '10m',
        severity: 'critical',
        summary: 'The newest etcd backup is too old.',
        description: `The last successful run of CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} is ${text}, or it never succeeded: check its Jobs' logs.`,
      },
    ];
  }
  const sel = `job="${SCRAPE_JOBS.etcdHosts}"`;
  return [
    {
      alert: 'ExternalEtcdBackupTooOld',
      expr: `time() - max(${ETCD_BACKUP_METRIC}{${sel}}) > ${age}`,
      for: '10m',
      severity: 'critical',
      summary: 'The newest external etcd backup is too old.',
      description: `The newest snapshot of any external etcd member is {{ $value | humanizeDuration }} old, ${text}: check etcd-backup.service on the members.`,
    },
    {
      alert: 'ExternalEtcdBackupMissing',
      expr: `absent(${ETCD_BACKUP_METRIC}{${sel}}) and on () count(up{${sel}} == 1) > 0`,
      for: `${age}s`,
      severity: 'critical',
      summary: 'No external etcd member reports a successful backup.',
      description: `The etcd members' node_exporters are up but none has reported a successful snapshot for ${age} s: check etcd-backup.timer on the members.`,
    },
  ];
}

/** The stacked-etcd backup CronJob (constructs/etcd/backup.ts). */
export const STACKED_BACKUP_CRONJOB = { namespace: 'etcd-backup', name: 'etcd-backup' } as const;

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
    toRuleGroup('kprod.control-plane', controlPlaneComponentAlerts(), p.runbookBaseUrl),
    toRuleGroup('kprod.coredns', corednsAlerts(), p.runbookBaseUrl),
    ...(p.cni ? [toRuleGroup('kprod.cni', cniAlerts(p.cni), p.runbookBaseUrl)] : []),
    ...(p.etcdBackup ? [toRuleGroup('kprod.etcd-backup', etcdBackupAlerts(p.etcdBackup), p.runbookBaseUrl)] : []),
  ];
}

/** NPD conditions that take a node out of service page; the others warn. */
export const CRITICAL_NODE_CONDITIONS = new Set(['KernelDeadlock', 'ReadonlyFilesystem', 'KubeletUnhealthy', 'ContainerRuntimeUnhealthy']);
