import { END_OF_LIFE, minorSupport, SUPPORTED_MINOR_LIST } from '../../versions/matrix';
import { parseKubernetesVersion } from '../../versions/supported';
import { forEachCluster, type Rule } from './rule';

/** Days before a minor's end of life from which a cluster on it gets a warning. */
export const END_OF_LIFE_WARNING_DAYS = 60;

const DAY_MS = 24 * 3600 * 1000;

/** Whole days from `now` to the start (UTC) of `isoDate`. */
export function daysUntil(isoDate: string, now: Date): number {
  return Math.ceil((Date.parse(`${isoDate}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

/**
 * `kubernetesVersion` is a minor of the support matrix: an error naming why a minor is refused
 * (past its end of life, or not yet supported by Cluster API), and a warning naming the date when
 * the minor reaches its end of life within END_OF_LIFE_WARNING_DAYS of `context.now`.
 */
export const kubernetesVersionSupport: Rule = (fleet, issues, context) =>
  forEachCluster(fleet, (cluster, path) => {
    const at = [...path, 'kubernetesVersion'];
    const v = parseKubernetesVersion(cluster.kubernetesVersion);
    if (!v) return; // the schema reports the format
    const minor = `${v.major}.${v.minor}`;
    const supported = SUPPORTED_MINOR_LIST.join(', ');
    const entry = minorSupport(minor);
    if (!entry?.supported) {
      const why = entry?.unsupportedReason ?? (END_OF_LIFE[minor] ? `Kubernetes ${minor} reached its end of life on ${END_OF_LIFE[minor]}` : `Kubernetes ${minor} is not in kprod's support matrix`);
      issues.error(at, `unsupported Kubernetes version: ${why}; supported minors are ${supported}`, cluster.kubernetesVersion);
      return;
    }
    const days = daysUntil(entry.endOfLife, context?.now ?? new Date());
    if (days <= END_OF_LIFE_WARNING_DAYS)
      issues.warn(
        at,
        days > 0
          ? `Kubernetes ${minor} reaches its end of life on ${entry.endOfLife} (in ${days} days); upgrade to a newer minor (${supported})`
          : `Kubernetes ${minor} reached its end of life on ${entry.endOfLife}; upgrade to a newer minor (${supported})`,
        cluster.kubernetesVersion,
      );
  });
