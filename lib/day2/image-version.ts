import type { IssueCollector } from '../spec/errors';
import type { ClusterSpec } from '../spec';
import { forEachCluster, type Rule } from '../spec/validate/rule';

/** Kubernetes versions (`1.34.1`, `v1.34.1`) named inside an image name or URL. */
export function versionsNamedIn(image: string): string[] {
  return [...image.matchAll(/(?<![\d.])v?(1\.\d+\.\d+)(?!\d)/g)].map((m) => m[1]);
}

/** The node images of a cluster with their spec paths (below the cluster): the cluster's own, then each pool's override. */
function images(cluster: ClusterSpec): Array<{ at: (string | number)[]; image: string }> {
  const infra = cluster.infrastructure;
  const own = infra.provider === 'openstack' ? { at: ['infrastructure', 'imageName'], image: infra.imageName } : { at: ['infrastructure', 'imageUrl'], image: infra.imageUrl };
  const pools = cluster.nodePools.flatMap((p, i) => (p.image ? [{ at: ['nodePools', i, 'image'], image: p.image }] : []));
  return [own, ...pools];
}

function check(cluster: ClusterSpec, path: (string | number)[], issues: IssueCollector): void {
  const want = cluster.kubernetesVersion.replace(/^v/, '');
  for (const { at, image } of images(cluster)) {
    const named = versionsNamedIn(image);
    if (named.includes(want)) continue;
    if (named.length)
      issues.error([...path, ...at], `names Kubernetes ${named.join(', ')} but the cluster runs ${want}: the image carries the kubelet, so a machine built from it would join with the wrong version; use the image built for ${want} (e.g. ubuntu-2404-kube-v${want})`, image);
    else issues.warn([...path, ...at], `names no Kubernetes version; kprod cannot check that its kubelet is ${want} (name images after their version, e.g. ubuntu-2404-kube-v${want})`, image);
  }
}

/**
 * The node image follows the version: every image of a cluster (OpenStack `imageName`, Metal3
 * `imageUrl`, a pool's `image`) must name the cluster's `kubernetesVersion` when it names one.
 * Bumping the version without the image would otherwise roll machines whose kubelet is the old one.
 */
export const imageFollowsVersion: Rule = (fleet, issues) => forEachCluster(fleet, (cluster, path) => check(cluster, path, issues));
