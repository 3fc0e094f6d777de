/**
 * The backup-age threshold of a cluster's etcd: twice the longest gap between two runs of
 * `controlPlane.etcd.backup.schedule` (the same schedule the stacked CronJob and the external
 * members' systemd timers run), so that one missed run is tolerated and two are not.
 */
import { cronMaxIntervalSeconds } from '../render/cron-calendar';
import type { ClusterSpec } from '../spec';
import type { EtcdBackupAlertParameters } from './alerts';

/** Parameters of the backup-age alert; `undefined` when backups are off; `error` when the schedule cannot be measured. */
export function etcdBackupAlertParameters(cluster: ClusterSpec): EtcdBackupAlertParameters | { readonly error: string } | undefined {
  const etcd = cluster.controlPlane.etcd;
  if (!etcd.backup.enabled) return undefined;
  const topology = etcd.topology === 'external' ? 'external' : 'stacked';
  if (topology === 'external' && !etcd.external) return undefined;
  const interval = cronMaxIntervalSeconds(etcd.backup.schedule);
  if ('error' in interval) return { error: `controlPlane.etcd.backup.schedule: no backup-age alert: ${interval.error}` };
  return { topology, maxAgeSeconds: 2 * interval.seconds, schedule: etcd.backup.schedule };
}
