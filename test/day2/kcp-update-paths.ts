import { isDeepStrictEqual } from 'node:util';
import facts from '../../upstream/day2/update-rules.json';

/** Leaf paths (maps recursed, lists and scalars compared whole, as Cluster API's paths() does) that differ. */
export function changedPaths(a: unknown, b: unknown, prefix: string[] = []): string[][] {
  const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isMap(a) && isMap(b))
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().flatMap((k) => changedPaths(a[k], b[k], [...prefix, k]));
  return isDeepStrictEqual(a, b) ? [] : [prefix];
}

const ALLOWED = facts.clusterApi.kubeadmControlPlaneUpdateAllowedPaths.map((p) => p.split('.'));

/** Whether Cluster API v1.14's KubeadmControlPlane webhook lets an update change `path`. */
export function kcpUpdateAllowed(path: string[]): boolean {
  return ALLOWED.some((allowed) => {
    const wildcard = allowed[allowed.length - 1] === '*';
    const fixed = wildcard ? allowed.slice(0, -1) : allowed;
    if (wildcard ? path.length <= fixed.length : path.length !== fixed.length) return false;
    return fixed.every((seg, i) => seg === path[i]);
  });
}

/** The paths of a KubeadmControlPlane update the webhook would refuse. */
export function forbiddenKcpPaths(before: unknown, after: unknown): string[] {
  return changedPaths(before, after)
    .filter((p) => !kcpUpdateAllowed(p))
    .map((p) => p.join('.'));
}
