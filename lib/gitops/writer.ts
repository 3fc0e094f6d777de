import * as fs from 'node:fs';
import * as path from 'node:path';
import { findMassDeletions, type PruneGuardOptions, type PruneViolation } from './prune-guard';

export interface WriteOptions extends PruneGuardOptions {
  /** Let a synth delete a large share of a cluster's files, or a Namespace, CRD or Cluster. @default false */
  readonly allowPrune?: boolean;
  /** Compute the changes, write nothing. @default false */
  readonly dryRun?: boolean;
}

export interface WriteResult {
  /** Files that did not exist before. */
  added: string[];
  /** Files whose content changed. */
  changed: string[];
  /** added + changed. */
  written: string[];
  unchanged: number;
  deleted: string[];
}

const LISTED = 20;

export class PruneRefusedError extends Error {
  constructor(readonly violations: PruneViolation[]) {
    super(
      `refusing to delete objects that Argo CD would prune from the live clusters:\n` +
        violations
          .map(
            (v) =>
              `  ${v.folder}: ${v.deleted} of ${v.existing} files would be deleted (${v.reason}):\n` +
              v.files.slice(0, LISTED).map((f) => `    - ${f}`).join('\n') +
              (v.files.length > LISTED ? `\n    ... and ${v.files.length - LISTED} more` : ''),
          )
          .join('\n') +
        `\npass --allow-prune if this is intended`,
    );
    this.name = 'PruneRefusedError';
  }
}

/** Every file under `dir` (relative, "/"-separated), skipping dot-files and dot-folders such as .git. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const entry of fs.readdirSync(abs, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out.sort();
}

/**
 * Makes `outDir` hold exactly `files`, touching only what changed: identical files are not
 * rewritten, files no longer produced are deleted. Everything is decided before the first write,
 * and new contents are staged beside the tree first, so a refusal or a failure while staging
 * leaves `outDir` exactly as it was.
 */
export function writeTree(outDir: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteResult {
  const existing = listFiles(outDir);
  const present = new Set(existing);
  const deleted = existing.filter((f) => !files.has(f));
  if (!options.allowPrune) {
    const violations = findMassDeletions(existing, deleted, options);
    if (violations.length) throw new PruneRefusedError(violations);
  }
  const changed: string[] = [];
  const added: string[] = [];
  let unchanged = 0;
  for (const [rel, content] of files) {
    const abs = path.join(outDir, rel);
    // Only files the listing found are read: a missing file is new, no failed read needed.
    const previous = present.has(rel) ? fs.readFileSync(abs, 'utf8') : undefined;
    if (previous === content) unchanged++;
    else (previous === undefined ? added : changed).push(rel);
  }
  const written = [...added, ...changed].sort();
  if (options.dryRun) return { added, changed, written, unchanged, deleted };

  // Stage every changed file in a sibling folder (same filesystem, so renames are atomic).
  const staging = `${path.resolve(outDir)}.kprod-staging-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  const madeDirs = new Set<string>();
  const ensureDir = (dir: string) => {
    if (!madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
  };
  try {
    for (const rel of written) {
      const target = path.join(staging, rel);
      ensureDir(path.dirname(target));
      fs.writeFileSync(target, files.get(rel)!);
    }
    if (written.length && isEmptyOrMissing(outDir)) {
      // A new (or empty) output folder: the staged tree becomes it in one rename, not one per file.
      if (fs.existsSync(outDir)) {
        fs.chmodSync(staging, fs.statSync(outDir).mode & 0o7777);
        fs.rmdirSync(outDir);
      } else fs.mkdirSync(path.dirname(path.resolve(outDir)), { recursive: true });
      fs.renameSync(staging, outDir);
    } else {
      for (const rel of written) {
        const target = path.join(outDir, rel);
        ensureDir(path.dirname(target));
        fs.renameSync(path.join(staging, rel), target);
      }
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  for (const rel of deleted) fs.rmSync(path.join(outDir, rel), { force: true });
  removeEmptyDirs(outDir, deleted);
  return { added, changed, written, unchanged, deleted };
}

/** True when `dir` does not exist or holds nothing at all (not even dot-files such as .git). */
function isEmptyOrMissing(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw e;
  }
}

function removeEmptyDirs(root: string, deleted: string[]): void {
  const dirs = new Set<string>();
  for (const rel of deleted) {
    const parts = rel.split('/');
    for (let i = parts.length - 1; i > 0; i--) dirs.add(parts.slice(0, i).join('/'));
  }
  for (const dir of [...dirs].sort((a, b) => b.length - a.length)) {
    const abs = path.join(root, dir);
    if (fs.existsSync(abs) && fs.readdirSync(abs).length === 0) fs.rmdirSync(abs);
  }
}
