/**
 * The per-cluster lines of a synth report: files per folder, and files added, changed and removed
 * against the previous tree. Folder counts are gathered as files are produced (a cached cluster
 * brings its own from the cache), so the report never walks the whole tree's paths again.
 */
import { clusterDirOf, type WriteResult } from '../lib/gitops';

/** `<env>/<cluster>` (or `<env>/argocd`, or `<env>` for its own files) → folder → files. */
export type FolderCounts = Map<string, Map<string, number>>;

/** `<env>/<cluster>` and the folder below it (`cluster`, `addons/x`, `tenants/y`, `argocd`). */
function locate(file: string): { cluster: string; folder: string } {
  // Called for every produced file: slashes are found, not split.
  const s1 = file.indexOf('/');
  if (s1 < 0) return { cluster: file, folder: '' };
  const s2 = file.indexOf('/', s1 + 1);
  // Files of the environment itself (the reviewer page <env>/README.md).
  if (s2 < 0) return { cluster: file.slice(0, s1), folder: file.slice(s1 + 1) };
  const second = file.slice(s1 + 1, s2);
  if (second === 'argocd') return { cluster: clusterDirOf(file), folder: 'argocd' };
  const s3 = file.indexOf('/', s2 + 1);
  const third = s3 < 0 ? file.slice(s2 + 1) : file.slice(s2 + 1, s3);
  if ((third === 'addons' || third === 'tenants') && s3 >= 0) {
    const s4 = file.indexOf('/', s3 + 1);
    return { cluster: file.slice(0, s2), folder: s4 < 0 ? file.slice(s2 + 1) : file.slice(s2 + 1, s4) };
  }
  return { cluster: file.slice(0, s2), folder: third };
}

/** Adds `n` files of `folder` in `cluster`. */
function addCount(counts: FolderCounts, cluster: string, folder: string, n: number): void {
  let folders = counts.get(cluster);
  if (!folders) counts.set(cluster, (folders = new Map()));
  folders.set(folder, (folders.get(folder) ?? 0) + n);
}

/** Counts one produced file. */
export function countFile(counts: FolderCounts, file: string): void {
  const { cluster, folder } = locate(file);
  addCount(counts, cluster, folder, 1);
}

/** The counts as stored in a cache entry: `[cluster, folder, files]` triples. */
export function countTriples(counts: FolderCounts): Array<[string, string, number]> {
  return [...counts].flatMap(([cluster, folders]) => [...folders].map(([folder, n]): [string, string, number] => [cluster, folder, n]));
}

/** Adds counts stored by `countTriples`. */
export function addTriples(counts: FolderCounts, triples: ReadonlyArray<readonly [string, string, number]>): void {
  for (const [cluster, folder, n] of triples) addCount(counts, cluster, folder, n);
}

/** One line per cluster (sorted), its folders sorted by name. */
export function changeSummary(counts: FolderCounts, result: WriteResult): string[] {
  const changes = new Map<string, { added: number; changed: number; removed: number }>();
  const of = (file: string) => {
    const { cluster } = locate(file);
    if (!counts.has(cluster)) counts.set(cluster, new Map());
    let c = changes.get(cluster);
    if (!c) changes.set(cluster, (c = { added: 0, changed: 0, removed: 0 }));
    return c;
  };
  for (const f of result.added) of(f).added++;
  for (const f of result.changed) of(f).changed++;
  for (const f of result.deleted) of(f).removed++;
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cluster, folders]) => {
      const c = changes.get(cluster) ?? { added: 0, changed: 0, removed: 0 };
      const listed = [...folders.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([f, n]) => `${f} ${n}`)
        .join(', ');
      return `${cluster}: ${listed || 'no files'}; +${c.added} ~${c.changed} -${c.removed}`;
    });
}
