/**
 * Brings an output folder up to date one file at a time, so a synth never holds the whole tree:
 * each file is compared with the one on disk as it is produced, and a new or changed file is
 * written at once into a staging folder beside the target (same filesystem, so the final renames
 * are atomic per file). Nothing in the target changes until `commit()`, which runs only after every
 * file was produced and the prune guard passed; a failure before it (or `abort()`) leaves the
 * target exactly as it was.
 *
 * Ownership (lib/gitops/ownership.ts): only files listed in `<out>/.kprod/owned` are compared,
 * overwritten or deleted. Any other file is foreign: left alone, and an error when kprod wants to
 * write its path. A folder without a record that holds files kprod did not write is refused
 * unless `allowForeign` is set.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitForClockPast } from './clock-past';
import { blockOf, IndexedRecord, isAscii, OwnedRecord, readRecord, type KeptRuns, type RecordState } from './owned-record';
import { isLegacyKprodPath, KPROD_DIR, KPROD_GITIGNORE, KPROD_GITIGNORE_CONTENT, OWNED_FILE, OWNED_HEADER, ownedRecordBody } from './ownership';
import { findMassDeletions, type PruneGuardOptions, type PruneViolation } from './prune-guard';

export interface WriteOptions extends PruneGuardOptions {
  /** Let a synth delete a large share of a cluster's files, or a Namespace, CRD or Cluster. @default false */
  readonly allowPrune?: boolean;
  /** Compute the changes, write nothing, never refuse (refusals are reported instead). @default false */
  readonly dryRun?: boolean;
  /**
   * Write into a folder that has no ownership record yet and holds files kprod did not write
   * (a repository's README, docs, ...); they are left untouched and never become kprod's.
   * @default false
   */
  readonly allowForeign?: boolean;
  /**
   * Environment names of the fleet: in a folder without an ownership record, files in kprod's
   * layout under these folders are taken as written by an earlier kprod (ownership.ts).
   * @default [] (no file is adopted)
   */
  readonly environments?: readonly string[];
}

export interface WriteResult {
  /** Files that did not exist before. */
  added: string[];
  /** Files whose content changed. */
  changed: string[];
  /** added + changed, sorted. */
  written: string[];
  unchanged: number;
  /** Owned files no longer produced (deleted, or to be deleted in a dry run). */
  deleted: string[];
  /** What the prune guard refuses (a dry run reports it; a real run with allowPrune went ahead). @default [] */
  violations: PruneViolation[];
  /** Files of the folder kprod does not own and left alone (known only when the folder had no record). @default [] */
  foreign: string[];
  /** Foreign files at paths kprod writes: a real synth refuses, a dry run lists them. @default [] */
  conflicts: string[];
  /** Files written by an earlier kprod (no record) adopted as kprod's. @default [] */
  adopted: string[];
}

/** Size and modification time of a written file: what a cache checks to trust a file unread. */
export interface FileState {
  size: number;
  mtimeMs: number;
}

/** Files (relative paths) with their states, as parallel arrays. */
export interface FileGroup {
  paths: string[];
  sizes: number[];
  mtimes: number[];
}

const LISTED = 20;

const listing = (files: readonly string[]) =>
  files.slice(0, LISTED).map((f) => `    - ${f}`).join('\n') + (files.length > LISTED ? `\n    ... and ${files.length - LISTED} more` : '');

export class PruneRefusedError extends Error {
  constructor(readonly violations: PruneViolation[]) {
    super(
      `refusing to delete objects that Argo CD would prune from the live clusters:\n` +
        violations.map((v) => `  ${v.folder}: ${v.deleted} of ${v.existing} files would be deleted (${v.reason}):\n` + listing(v.files)).join('\n') +
        `\npass --allow-prune if this is intended`,
    );
    this.name = 'PruneRefusedError';
  }
}

/** The output folder holds files kprod did not write and has no ownership record yet. */
export class ForeignFilesError extends Error {
  constructor(
    readonly outDir: string,
    readonly files: string[],
  ) {
    super(
      `refusing to synthesize into ${outDir}: it holds ${files.length} file(s) kprod did not write and no ownership record (${OWNED_FILE}):\n` +
        listing(files) +
        `\npass --allow-foreign to write beside them (they are never touched), or choose an empty folder`,
    );
    this.name = 'ForeignFilesError';
  }
}

/** Files kprod does not own sit at paths it wants to write. */
export class ForeignConflictError extends Error {
  constructor(readonly files: string[]) {
    super(`refusing to overwrite ${files.length} file(s) kprod does not own:\n` + listing(files) + `\nmove or delete them, then synthesize again`);
    this.name = 'ForeignConflictError';
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

/** A file's text, or undefined when it does not exist (other errors are thrown). */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/**
 * How the file at `file` compares with `bytes` (what a write would put there): missing, the same,
 * or different; other errors are thrown. Bytes, not text: decoding a large file with non-ASCII
 * characters (an environment's README, 2.2 MB at 500 clusters) and comparing it as a two-byte
 * string took ~65 ms, and the write encoded the text again.
 */
export function compareWithFile(file: string, bytes: Buffer): 'missing' | 'same' | 'different' {
  let onDisk: Buffer;
  try {
    onDisk = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw e;
  }
  return onDisk.equals(bytes) ? 'same' : 'different';
}

function existsNoFollow(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
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

export interface TreeWriterOptions extends WriteOptions {
  /** Return each produced file's size and mtime from `add`, and set `committedRecord` (for the synth cache). @default false */
  readonly recordState?: boolean;
  /**
   * Only owned files under this prefix (e.g. `prod/c1/`) are candidates for deletion; owned files
   * elsewhere stay owned and untouched (`kprod synth --only`). @default the whole folder
   */
  readonly scope?: string;
  /**
   * The ownership record's state when kprod last wrote it (`committedRecord` of an earlier synth):
   * a record that still has that size and mtime is taken as sorted without the check of every
   * line, and with the state's block index it is read only block by block, as needed.
   * @default none (read whole and checked)
   */
  readonly trustedRecord?: RecordState;
}

/** One synth's view of an output folder; see the file comment. */
export class TreeWriter {
  /** The owned paths: the record read whole or by block (or the files adopted from a tree without one). */
  private readonly record: OwnedRecord | IndexedRecord;
  /** Whether the folder had a record. */
  private readonly hadRecord: boolean;
  /** Paths produced one at a time, by block (owned-record.ts). */
  private readonly producedByBlock = new Map<string, Set<string>>();
  /** Blocks produced whole (`keep`: a cached cluster folder equal to its block of the record), with their file counts. */
  private readonly keptBlocks = new Map<string, number>();
  private readonly staging: string;
  private readonly emptyTarget: boolean;
  private readonly madeDirs = new Set<string>();
  private staged = false;
  /** Produced paths, and those of them that are owned (the record is rewritten unless the two sets are equal). */
  private produced = 0;
  private ownedProduced = 0;
  readonly added: string[] = [];
  readonly changed: string[] = [];
  readonly conflicts: string[] = [];
  readonly foreign: string[] = [];
  readonly adopted: string[] = [];
  unchanged = 0;
  /** After `commit` with `recordState` on: the ownership record's state and block index as it stands (for `trustedRecord`). */
  committedRecord: RecordState | undefined;
  /** Whether the record read is ASCII, when known without looking (it was trusted). */
  private readonly recordAscii: boolean | undefined;
  /** The newest mtime of the states returned (`recordState`): commit waits for the clock to pass it. */
  private newestState = -Infinity;
  /**
   * After `commit` with `recordState` on: whether the clock of the output folder's file system
   * passed every state returned (clock-past.ts). When false, the states must not be trusted later.
   */
  statesSettled = false;

  constructor(
    readonly outDir: string,
    private readonly options: TreeWriterOptions = {},
  ) {
    this.staging = `${path.resolve(outDir)}.kprod-staging-${process.pid}`;
    this.emptyTarget = isEmptyOrMissing(outDir);
    const read = readRecord(outDir, options.trustedRecord);
    this.hadRecord = !!read;
    this.recordAscii = read?.trusted ? options.trustedRecord?.ascii : undefined;
    if (read) {
      this.record = read.record;
    } else {
      // First synth into this folder (or one written before ownership records): decide once.
      const environments = options.environments ?? [];
      for (const f of listFiles(outDir)) (isLegacyKprodPath(f, environments) ? this.adopted : this.foreign).push(f);
      if (this.foreign.length && !options.allowForeign && !options.dryRun) throw new ForeignFilesError(outDir, this.foreign);
      this.record = OwnedRecord.of(this.adopted);
    }
    if (!options.dryRun) fs.rmSync(this.staging, { recursive: true, force: true });
  }

  private stage(rel: string, content: string | Buffer): string {
    const target = path.join(this.staging, rel);
    const dir = path.dirname(target);
    if (!this.madeDirs.has(dir)) {
      fs.mkdirSync(dir, { recursive: true });
      this.madeDirs.add(dir);
    }
    fs.writeFileSync(target, content);
    this.staged = true;
    return target;
  }

  /** Marks one path produced; returns whether kprod owns it. */
  private claim(rel: string): boolean {
    const key = blockOf(rel);
    let set = this.producedByBlock.get(key);
    if (!set) this.producedByBlock.set(key, (set = new Set()));
    // One lookup: a path already produced leaves the set's size as it was.
    const size = set.size;
    if (set.add(rel).size === size || (this.keptBlocks.has(key) && this.record.paths(key).has(rel))) throw new Error(`two objects map to ${rel}`);
    this.produced++;
    const owned = this.record.hasIn(key, rel);
    if (owned) this.ownedProduced++;
    return owned;
  }

  /**
   * Produces one file: compared with the owned file at that path, staged when new or changed.
   * Returns its size and mtime as they will be after commit when `recordState` is on.
   */
  add(rel: string, content: string): FileState | undefined {
    const owned = this.claim(rel);
    const abs = path.join(this.outDir, rel);
    // Encoded once: compared with the file on disk, then written if it differs.
    const bytes = Buffer.from(content);
    let previous: 'missing' | 'same' | 'different' = 'missing';
    if (owned) previous = compareWithFile(abs, bytes);
    else if (!this.emptyTarget && existsNoFollow(abs)) {
      this.conflicts.push(rel);
      return undefined;
    }
    if (previous === 'same') {
      this.unchanged++;
      return this.options.recordState ? this.noted(stateOf(abs)) : undefined;
    }
    (previous === 'missing' ? this.added : this.changed).push(rel);
    if (this.options.dryRun) return undefined;
    const staged = this.stage(rel, bytes);
    return this.options.recordState ? this.noted(stateOf(staged)) : undefined;
  }

  /** A state returned, remembered for the clock wait of `commit`. */
  private noted(state: FileState | undefined): FileState | undefined {
    if (state && state.mtimeMs > this.newestState) this.newestState = state.mtimeMs;
    return state;
  }

  /**
   * Produces a file that the thread which built it found equal to the one on disk (against-disk.ts),
   * with that file's state: unchanged when owned, else a conflict (a foreign file at kprod's path).
   */
  addUnchanged(rel: string, state: FileState): FileState | undefined {
    if (!this.claim(rel)) {
      this.conflicts.push(rel);
      return undefined;
    }
    this.unchanged++;
    return this.options.recordState ? this.noted(state) : undefined;
  }

  /** Whether the output folder was empty (or missing) when the synth began: nothing to compare with. */
  get startedEmpty(): boolean {
    return this.emptyTarget;
  }

  /**
   * Produces files known to be unchanged on disk (a cached cluster's, whose states were checked),
   * given as runs by block of the record (owned-record.ts `KeptRuns`). A run that is a whole block
   * of the record (the cluster's folder, as the last synth wrote it) is taken in one comparison, of
   * digests or texts; any other path one at a time. Returns false, producing nothing, when a run
   * needs its paths one at a time and its text was left out (the caller passes every text then).
   */
  keep({ runs, texts }: KeptRuns): boolean {
    const whole = runs.map(([key, , , digest], i) => key.endsWith('/') && this.record.matches(key, digest, texts[i]));
    if (whole.some((w, i) => !w && texts[i] === undefined)) return false;
    runs.forEach(([key, lines], i) => {
      if (whole[i]) this.keepBlock(key, lines);
      else for (const rel of texts[i]!.slice(0, -1).split('\n')) this.claim(rel);
      this.unchanged += lines;
    });
    return true;
  }

  private keepBlock(key: string, lines: number): void {
    // A block produced twice, or also file by file, is a conflict: `claim` reports it.
    if (this.keptBlocks.has(key) || this.producedByBlock.has(key)) {
      for (const rel of this.record.paths(key)) this.claim(rel);
      return;
    }
    this.keptBlocks.set(key, lines);
    this.produced += lines;
    this.ownedProduced += lines;
  }

  /** How many paths were produced so far. */
  get producedCount(): number {
    return this.produced;
  }

  /** Every produced path (the blocks taken whole are split here: call only when needed). */
  *producedPaths(): Generator<string> {
    for (const set of this.producedByBlock.values()) yield* set;
    for (const key of this.keptBlocks.keys()) yield* this.record.paths(key);
  }

  /** Owned paths (under `scope`, if any) that were not produced, sorted. */
  private deletions(scope: string | undefined): string[] {
    const deleted: string[] = [];
    for (const key of this.record.keys()) {
      if (this.keptBlocks.has(key) || (scope && !key.startsWith(scope))) continue;
      const produced = this.producedByBlock.get(key);
      for (const rel of this.record.blockText(key).slice(0, -1).split('\n')) if (!produced?.has(rel)) deleted.push(rel);
    }
    return deleted;
  }

  /** The new record's text: block by block, in the record's order (owned-record.ts). */
  private newRecordText(scope: string | undefined): string {
    const keys = new Set<string>(this.keptBlocks.keys());
    for (const key of this.producedByBlock.keys()) keys.add(key);
    // Owned files outside the scope stay owned.
    if (scope) for (const key of this.record.keys()) if (!key.startsWith(scope)) keys.add(key);
    const parts: string[] = [OWNED_HEADER];
    for (const key of [...keys].sort()) {
      const kept = this.keptBlocks.has(key);
      const one = this.producedByBlock.get(key);
      if ((kept && !one) || (scope && !key.startsWith(scope))) parts.push(this.record.blockText(key));
      else parts.push(ownedRecordBody(kept ? [...this.record.paths(key), ...one!] : (one ?? [])));
    }
    return parts.join('');
  }

  /**
   * Decides deletions and the prune guard, then (unless a dry run) renames the staged files into
   * place, deletes owned files no longer produced and records the new ownership. Throws (leaving
   * the target untouched) on conflicts or a refused prune.
   */
  commit(): WriteResult {
    const scope = this.options.scope;
    const deleted = this.deletions(scope);
    // The guard counts the existing files of the folders that lose some, and looks for Argo CD objects that moved.
    const around = () => [...new Set(deleted.map(blockOf))].flatMap((key) => [...this.record.paths(key)]);
    const violations = deleted.length ? findMassDeletions(around(), deleted, this.options, this.producedPaths()) : [];
    const sorted = (a: string[]) => a.sort();
    const result: WriteResult = {
      added: sorted(this.added),
      changed: sorted(this.changed),
      written: [...this.added, ...this.changed].sort(),
      unchanged: this.unchanged,
      deleted,
      violations,
      foreign: this.foreign,
      conflicts: sorted(this.conflicts),
      adopted: this.adopted,
    };
    if (this.options.dryRun) return result;
    if (this.conflicts.length) throw new ForeignConflictError(result.conflicts);
    if (violations.length && !this.options.allowPrune) throw new PruneRefusedError(violations);

    // The record is rewritten only when the owned set changed (it is the size of the fleet).
    const same = !deleted.length && this.ownedProduced === this.produced && this.hadRecord && this.record.normalized;
    let written: string | undefined;
    if (!same) {
      const record = this.newRecordText(scope);
      // A normalized record read whole is the text of its file; an indexed one changed if it is not `same`.
      const asBefore = this.hadRecord && this.record.normalized && this.record instanceof OwnedRecord && record === this.record.text;
      if (!asBefore) this.stage(OWNED_FILE, (written = record));
    }
    if (readIfExists(path.join(this.outDir, KPROD_GITIGNORE)) !== KPROD_GITIGNORE_CONTENT) this.stage(KPROD_GITIGNORE, KPROD_GITIGNORE_CONTENT);
    const toMove = [...result.written, ...[OWNED_FILE, KPROD_GITIGNORE].filter((f) => fs.existsSync(path.join(this.staging, f)))];
    try {
      if (this.staged && isEmptyOrMissing(this.outDir)) {
        // A new (or empty) output folder: the staged tree becomes it in one rename, not one per file.
        if (fs.existsSync(this.outDir)) {
          fs.chmodSync(this.staging, fs.statSync(this.outDir).mode & 0o7777);
          fs.rmdirSync(this.outDir);
        } else fs.mkdirSync(path.dirname(path.resolve(this.outDir)), { recursive: true });
        fs.renameSync(this.staging, this.outDir);
      } else {
        const made = new Set<string>();
        for (const rel of toMove) {
          const target = path.join(this.outDir, rel);
          const dir = path.dirname(target);
          if (!made.has(dir)) {
            fs.mkdirSync(dir, { recursive: true });
            made.add(dir);
          }
          fs.renameSync(path.join(this.staging, rel), target);
        }
      }
    } finally {
      this.abort();
    }
    for (const rel of deleted) fs.rmSync(path.join(this.outDir, rel), { force: true });
    removeEmptyDirs(this.outDir, deleted);
    const now = stateOf(path.join(this.outDir, OWNED_FILE));
    if (now && this.options.recordState) {
      // Whether the record is ASCII: known when it was trusted and kept, else looked at once.
      const ascii = written !== undefined ? isAscii(written) : (this.recordAscii ?? isAscii(this.record.body));
      // The index of the record as it stands: an indexed one's file did not change unless written.
      const blocks = written !== undefined ? new OwnedRecord(written, true).index() : this.record.index();
      // The states returned are trusted by the next synth: no later edit may share their mtime (clock-past.ts).
      this.statesSettled = waitForClockPast(path.join(this.outDir, KPROD_DIR), Math.max(this.newestState, now.mtimeMs));
      this.committedRecord = this.statesSettled ? { ...now, ascii, blocks } : undefined;
    }
    return result;
  }

  /** Removes the staging folder; the target is left as it was. Safe to call more than once. */
  abort(): void {
    if (!this.options.dryRun) fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

function stateOf(file: string): FileState | undefined {
  try {
    const s = fs.statSync(file);
    return { size: s.size, mtimeMs: s.mtimeMs };
  } catch {
    return undefined;
  }
}

/** Removes folders left empty by deletions (never the root, never a folder holding anything). */
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

/** Runs `produce` against a TreeWriter and commits; any failure removes the staging folder. */
export function writeWith(outDir: string, options: TreeWriterOptions, produce: (w: TreeWriter) => void): WriteResult {
  const w = new TreeWriter(outDir, options);
  try {
    produce(w);
    return w.commit();
  } finally {
    w.abort();
  }
}
