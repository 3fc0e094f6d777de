/**
 * Names of the Prometheus scrape jobs kprod's alerts select on (`job` label), as
 * kube-prometheus-stack names its ServiceMonitors' jobs, plus kprod's own scrape config of the
 * external etcd hosts. One place, so that alerts (alerts.ts), the monitoring values
 * (monitoring-application.ts) and the reachability model (scrape-targets.ts) agree.
 */
export const SCRAPE_JOBS = {
  apiserver: 'apiserver',
  kubelet: 'kubelet',
  /** kube-prometheus-stack `kubeEtcd` (stacked etcd pods, or the external members' addresses). */
  etcd: 'kube-etcd',
  scheduler: 'kube-scheduler',
  controllerManager: 'kube-controller-manager',
  coredns: 'coredns',
  kubeStateMetrics: 'kube-state-metrics',
  nodeExporter: 'node-exporter',
  /** kprod's additional scrape config: node_exporter on the external etcd VMs (backup timestamps). */
  etcdHosts: 'etcd-hosts',
} as const;

/** Unix time of the last successful snapshot, written by the external members' backup script to node_exporter's textfile collector. */
export const ETCD_BACKUP_METRIC = 'kprod_etcd_backup_last_success_timestamp_seconds';
