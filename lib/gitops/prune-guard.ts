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

/**
 * Groups deletions by cluster folder (`<env>/<cluster>`) and reports the folders that would lose
 * more than the allowed share of their files, or any object of a protected kind.
 */
export function findMassDeletions(existing: readonly string[], deleted: readonly string[], options: PruneGuardOptions = {}): PruneViolation[] {
  const ratio = options.maxDeleteRatio ?? 0.3;
  const minFiles = options.minFiles ?? 10;
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
