import { clusterDirOf } from './layout';

/** Refusal to delete what Argo CD would then prune from a live cluster. */
export interface PruneGuardOptions {
  /**
   * Largest share of a cluster folder's existing files one synth may delete.
   * @default 0.3
   */
  readonly maxDeleteRatio?: number;
  /**
   * Folders with fewer existing files than this are not guarded by the ratio (tiny clusters change
   * shape often); protected kinds are always guarded.
   * @default 10
   */
  readonly minFiles?: number;
}

export interface PruneViolation {
  /** `<env>/<cluster>` (or `<env>/argocd`). */
  folder: string;
  existing: number;
  deleted: number;
  /** Why the deletion is refused. */
  reason: string;
  /** The files that would be deleted in that folder. */
  files: string[];
}

/**
 * Kinds whose deletion takes much more with it: a Namespace (everything in it), a CRD (every
 * custom resource of that kind) and a Cluster API Cluster (the whole workload cluster).
 * File names start with the lower-case kind and "_" (lib/gitops/layout.ts).
 */
export const PROTECTED_KINDS = ['namespace', 'customresourcedefinition', 'cluster'] as const;

const kindOf = (file: string) => (file.split('/').pop() ?? '').split('_')[0];

/** `<env>/argocd/<file>` or `<env>/argocd/<cluster>/<file>` (the per-cluster layout): environment and file name. */
const ARGOCD_OBJECT = /^([^/]+)\/argocd\/(?:[^/]+\/)?([^/]+)$/;

/**
 * Deleted files of `<env>/argocd/` whose object (same file name: kind, namespace, name) is produced
 * at another path of that folder: an Application or AppProject handed to another parent
 * Application (a `gitops.argocd.layout` switch), not pruned. Whether the old parent would prune it
 * first is a transition rule (lib/day2/argocd-moves.ts).
 */
export function argocdMoves(deleted: readonly string[], produced: Iterable<string>): Set<string> {
  const candidates = deleted.filter((f) => ARGOCD_OBJECT.test(f));
  if (candidates.length === 0) return new Set();
  const placed = new Set<string>();
  for (const p of produced) {
    const m = ARGOCD_OBJECT.exec(p);
    if (m) placed.add(`${m[1]}/${m[2]}`);
  }
  return new Set(
    candidates.filter((f) => {
      const m = ARGOCD_OBJECT.exec(f)!;
      return placed.has(`${m[1]}/${m[2]}`);
    }),
  );
}

/**
 * Groups deletions by cluster folder (`<env>/<cluster>`) and reports the folders that would lose
 * more than the allowed share of their files, or any object of a protected kind. With `produced`
 * (the paths of the new tree), Argo CD objects that only move within `<env>/argocd/` are not counted.
 */
export function findMassDeletions(existing: readonly string[], deletedFiles: readonly string[], options: PruneGuardOptions = {}, produced?: Iterable<string>): PruneViolation[] {
  const ratio = options.maxDeleteRatio ?? 0.3;
  const minFiles = options.minFiles ?? 10;
  const moved = produced ? argocdMoves(deletedFiles, produced) : new Set<string>();
  const deleted = moved.size ? deletedFiles.filter((f) => !moved.has(f)) : deletedFiles;
  // Existing files are only counted (a fleet has hundreds of thousands); deletions are listed.
  const before = new Map<string, number>();
  for (const f of existing) {
    const dir = clusterDirOf(f);
    before.set(dir, (before.get(dir) ?? 0) + 1);
  }
  const deletedBy = new Map<string, string[]>();
  for (const f of deleted) {
    const dir = clusterDirOf(f);
    const list = deletedBy.get(dir);
    if (list) list.push(f);
    else deletedBy.set(dir, [f]);
  }
  const out: PruneViolation[] = [];
  for (const [folder, files] of [...deletedBy.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const total = before.get(folder) ?? 0;
    const protectedFiles = files.filter((f) => (PROTECTED_KINDS as readonly string[]).includes(kindOf(f)));
    const reasons: string[] = [];
    if (total >= minFiles && files.length / total > ratio) reasons.push(`more than ${Math.round(ratio * 100)} % of its files`);
    if (protectedFiles.length) reasons.push(`${protectedFiles.length} Namespace/CRD/Cluster object(s)`);
    if (reasons.length) out.push({ folder, existing: total, deleted: files.length, reason: reasons.join(' and '), files });
  }
  return out;
}
