/**
 * Which files of an output folder kprod owns. kprod records every path it wrote in
 * `<out>/.kprod/owned` (one path per line, sorted, no timestamps) and deletes or overwrites only
 * those; any other file in the folder is foreign and never touched.
 *
 * Why a line-per-path text file inside a dot-folder: the record must travel with the tree (it is
 * committed, so a fresh clone or CI knows what kprod owns), a change to one tenant must change
 * only that tenant's lines (a sorted list diffs line by line in git), it is read and written
 * without parsing a large document, and a dot-folder is never applied by Argo CD nor listed as a
 * manifest folder (kprod never writes dot-paths into the tree).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** kprod's own folder inside the output folder. */
export const KPROD_DIR = '.kprod';
/** The ownership record, relative to the output folder. */
export const OWNED_FILE = `${KPROD_DIR}/owned`;
/** Keeps the cache (when it lives in the output folder) out of git: `.kprod/.gitignore`. */
export const KPROD_GITIGNORE = `${KPROD_DIR}/.gitignore`;
export const KPROD_GITIGNORE_CONTENT = 'cache/\n.clock-*\n';

/** The record's first line. */
export const OWNED_HEADER = '# kprod: files of this folder written by kprod (one per line); every other file is left alone\n';

/** The record's lines for these paths: sorted, without duplicates, "\n" after each. */
export function ownedRecordBody(paths: Iterable<string>): string {
  // The default sort compares UTF-16 code units, as `<` does; join makes one string, not one per line.
  const sorted = [...new Set(paths)].sort();
  return sorted.length ? `${sorted.join('\n')}\n` : '';
}

/** The record's text for a set of owned paths: sorted, deterministic. */
export function ownedRecord(paths: Iterable<string>): string {
  return OWNED_HEADER + ownedRecordBody(paths);
}

/** The owned paths of `outDir`, or undefined when it has no record (never written, or by an older kprod). */
export function readOwned(outDir: string): string[] | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(outDir, OWNED_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseOwned(text);
}

/** The paths of a record's text. */
export function parseOwned(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

/**
 * Paths an earlier kprod (before the ownership record) wrote: inside a folder named after one of
 * the fleet's environments, one object per file in kprod's own folders and file naming
 * (`<kind>_[<namespace>_]<name>.yaml` under `argocd/`, `<cluster>/cluster/`,
 * `<cluster>/addons/<a>/`, `<cluster>/tenants/<t>/`), the tenant kubeconfigs and the runbooks.
 * Used once, for a folder without a record: these files are adopted as kprod's; anything else
 * counts as foreign.
 */
export function isLegacyKprodPath(file: string, environments: readonly string[]): boolean {
  const parts = file.split('/');
  if (!environments.includes(parts[0])) return false;
  const object = (name: string | undefined) => !!name && /^[a-z0-9]+_[^/]+\.yaml$/.test(name);
  if (parts.length === 3 && parts[1] === 'argocd') return object(parts[2]);
  if (parts.length === 4 && parts[2] === 'cluster') return object(parts[3]);
  if (parts.length === 5 && (parts[2] === 'addons' || parts[2] === 'tenants')) return object(parts[4]);
  if (parts.length === 4 && parts[2] === 'kubeconfigs') return parts[3].endsWith('.yaml');
  if (parts.length === 4 && parts[2] === 'runbooks') return parts[3].endsWith('.md');
  return false;
}
