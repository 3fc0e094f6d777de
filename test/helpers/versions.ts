import { KUBERNETES_MATRIX, SUPPORTED_MINOR_LIST } from '../../lib/versions/matrix';

/**
 * Kubernetes versions for tests, derived from the support matrix and the example fleet instead of
 * literals, so the tests keep proving the same thing when the supported window moves.
 */

/** Supported minors, oldest first ("1.35", "1.36"). */
export const SUPPORTED_MINORS = SUPPORTED_MINOR_LIST;
/** The newest supported minor. */
export const NEWEST_MINOR = SUPPORTED_MINORS[SUPPORTED_MINORS.length - 1];

/** "1.36.2" → "1.36"; accepts a leading v. */
export function minorOf(version: string): string {
  const [major, minor] = version.replace(/^v/, '').split('.');
  return `${major}.${minor}`;
}

/** The minor `n` steps from the minor of `version` ("1.36.2", -1 → "1.35"). */
export function minorStep(version: string, n: number): string {
  const [major, minor] = minorOf(version).split('.').map(Number);
  return `${major}.${minor + n}`;
}

/** The newest patch release the matrix records for a minor; throws when it has none (a test bug). */
export function latestPatch(minor: string): string {
  const patch = KUBERNETES_MATRIX.find((m) => m.minor === minor)?.latestPatch;
  if (!patch) throw new Error(`the support matrix records no patch release of ${minor}`);
  return patch;
}

/** A version whose patch differs from `version` by `n` ("1.35.6", -2 → "1.35.4"). */
export function patchStep(version: string, n: number): string {
  const [major, minor, patch] = version.replace(/^v/, '').split('.').map(Number);
  return `${major}.${minor}.${patch + n}`;
}

// The same shape lib/day2/image-version.ts recognises as a Kubernetes version inside an image name.
const VERSION_IN_IMAGE = /(?<![\d.])(v?)1\.\d+\.\d+(?!\d)/g;

/** An image name or URL with every Kubernetes version it names replaced by `version`. */
export function imageFor(image: string, version: string): string {
  return image.replace(VERSION_IN_IMAGE, (_m, v: string) => `${v}${version.replace(/^v/, '')}`);
}

/**
 * Sets a cluster's (spec input) Kubernetes version and moves every node image to the one built for
 * it: OpenStack `imageName`, Metal3 `imageUrl` / `imageChecksum`, and each pool's `image` (the
 * image-follows-version rule refuses a version bump that leaves an image behind).
 */
export function setVersion(cluster: any, version: string): void {
  cluster.kubernetesVersion = version;
  const infra = cluster.infrastructure;
  for (const key of ['imageName', 'imageUrl', 'imageChecksum'])
    if (typeof infra[key] === 'string') infra[key] = imageFor(infra[key], version);
  for (const pool of cluster.nodePools ?? []) if (typeof pool.image === 'string') pool.image = imageFor(pool.image, version);
}
