/** Refusal to delete a large share of a cluster's files (Argo CD prunes what leaves git). */
export interface PruneGuardOptions {
  /**
   * Largest share of a cluster folder's existing files one synth may delete.
   * @default 0.3
   */
  readonly maxDeleteRatio?: number;
  /**
   * Folders with fewer existing files than this are never guarded (tiny clusters change shape often).
   * @default 10
   */
  readonly minFiles?: number;
}

export interface PruneViolation {
  folder: string;
  existing: number;
  deleted: number;
}

/**
 * Groups deletions by cluster folder (`<env>/<cluster>`) and reports the folders that would lose
 * more than the allowed share of their files.
 */
export function findMassDeletions(existing: readonly string[], deleted: readonly string[], options: PruneGuardOptions = {}): PruneViolation[] {
  const ratio = options.maxDeleteRatio ?? 0.3;
  const minFiles = options.minFiles ?? 10;
  const folderOf = (file: string) => file.split('/').slice(0, 2).join('/');
  const count = (files: readonly string[]) => {
    const m = new Map<string, number>();
    for (const f of files) m.set(folderOf(f), (m.get(folderOf(f)) ?? 0) + 1);
    return m;
  };
  const before = count(existing);
  const gone = count(deleted);
  const out: PruneViolation[] = [];
  for (const [folder, n] of [...gone.entries()].sort()) {
    const total = before.get(folder) ?? 0;
    if (total >= minFiles && n / total > ratio) out.push({ folder, existing: total, deleted: n });
  }
  return out;
}
