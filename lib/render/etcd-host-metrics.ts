/**
 * Host metrics of the external etcd VMs: the distribution's node_exporter (Debian/Ubuntu package
 * `prometheus-node-exporter`) on the member's own address, with its textfile collector reading a
 * kprod directory into which the backup script writes the time of its last success
 * (`kprod_etcd_backup_last_success_timestamp_seconds`). Prometheus in the workload cluster scrapes
 * it as the `etcd-hosts` job (lib/observability/monitoring-application.ts), so that the
 * backup-age alert has a target. A textfile rather than a Pushgateway: nothing to run besides the
 * exporter, and a VM that is down shows as a failed scrape instead of a stale pushed value.
 */
import { ETCD_BACKUP_METRIC } from '../observability/scrape-jobs';
import type { HostFile } from './types';

export const NODE_EXPORTER_PORT = 9100;
export const NODE_EXPORTER_PACKAGE = 'prometheus-node-exporter';
/** The package's unit; kprod adds a drop-in with its own arguments. */
export const NODE_EXPORTER_UNIT = 'prometheus-node-exporter.service';
export const NODE_EXPORTER_DROP_IN_PATH = `/etc/systemd/system/${NODE_EXPORTER_UNIT}.d/kprod.conf`;
/** Written by the backup script (user etcd), read by node_exporter (user prometheus). */
export const NODE_EXPORTER_TEXTFILE_DIR = '/var/lib/kprod/node-exporter';
export const BACKUP_METRIC_FILE = `${NODE_EXPORTER_TEXTFILE_DIR}/etcd-backup.prom`;

/**
 * Drop-in for the package's unit: listen on the member address only (the security group opens
 * it to the workload cluster's workers) and read kprod's textfile directory. The package's unit
 * runs `prometheus-node-exporter $ARGS` with `EnvironmentFile=/etc/default/...`; an `Environment=`
 * in a drop-in would lose against that file, so the drop-in replaces ExecStart instead.
 */
export function renderNodeExporterDropIn(listenIp: string): string {
  return [
    '# Rendered by kprod: node_exporter on the member address, with the etcd backup textfile.',
    '[Service]',
    'ExecStart=',
    `ExecStart=/usr/bin/prometheus-node-exporter --web.listen-address=${listenIp}:${NODE_EXPORTER_PORT} --collector.textfile.directory=${NODE_EXPORTER_TEXTFILE_DIR}`,
    '',
  ].join('\n');
}

export function nodeExporterHostFiles(listenIp: string): HostFile[] {
  return [{ path: NODE_EXPORTER_DROP_IN_PATH, content: renderNodeExporterDropIn(listenIp), owner: 'root:root', permissions: '0644' }];
}

/**
 * Shell lines the backup script runs after a snapshot is complete: the success time, written to a
 * temporary file and renamed, so node_exporter never reads half a file.
 */
export function backupSuccessMetricLines(memberName: string, file: string = BACKUP_METRIC_FILE): string[] {
  const tmp = `${file}.$$`;
  return [
    `printf '# HELP ${ETCD_BACKUP_METRIC} Unix time of the last successful etcd snapshot.\\n# TYPE ${ETCD_BACKUP_METRIC} gauge\\n${ETCD_BACKUP_METRIC}{member="%s"} %s\\n' '${memberName}' "$(date +%s)" > "${tmp}"`,
    `chmod 0644 "${tmp}"`,
    `mv "${tmp}" '${file}'`,
  ];
}
