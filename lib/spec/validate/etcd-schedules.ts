import { cronToOnCalendar } from '../../render/cron-calendar';
import { forEachCluster, type Rule } from './rule';

/**
 * External etcd members run backup and defrag from systemd timers, so their cron schedules must
 * translate to an OnCalendar expression; stacked etcd uses Kubernetes CronJobs, which take any cron.
 */
export const etcdSchedules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const etcd = cluster.controlPlane.etcd;
    if (etcd.topology !== 'external') return;
    for (const job of ['backup', 'defrag'] as const) {
      const settings = etcd[job];
      if (!settings.enabled) continue;
      const converted = cronToOnCalendar(settings.schedule);
      if ('error' in converted)
        issues.error([...path, 'controlPlane', 'etcd', job, 'schedule'], `external etcd runs ${job} from a systemd timer: ${converted.error}`, settings.schedule);
    }
  });
