import { KUBERNETES_MATRIX, SUPPORTED_MINOR_LIST } from '../../lib/versions/matrix';
import { exampleFleet } from './fleet';

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

/** `text` escaped for use inside a RegExp (expected messages that embed a version). */
export const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// The example's versions and the neighbours tests step to. prod runs the newest supported minor, so
// it goes up from a previous tree one minor down; staging runs an older one and goes up from the example.
const example = exampleFleet();
/** prod/eu-west-1 (OpenStack) in the example. */
export const PROD_NOW: string = example.environments[0].clusters[0].kubernetesVersion;
/** The newest patch of the minor below prod's. */
export const PROD_BEFORE = latestPatch(minorStep(PROD_NOW, -1));
/** staging/dc1 (Metal3) in the example. */
export const STAGING_NOW: string = example.environments[1].clusters[0].kubernetesVersion;
/** The newest patch of the minor above staging's. */
export const STAGING_NEXT = latestPatch(minorStep(STAGING_NOW, 1));
