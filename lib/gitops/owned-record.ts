/**
 * The ownership record (ownership.ts) as one synth reads it: a sorted text that is searched, not
 * split. At 1000 clusters the record lists 736 000 files; splitting it into a Set cost more than
 * the rest of an everyday synth, and most of it is never needed line by line: a cached cluster's
 * folder is compared with its block of the record in one comparison.
 *
 * Lines are grouped in blocks by their first two segments: `prod/c17/` holds every file of that
 * cluster, `prod/argocd/` every file of the environment's Argo CD folder; a path with fewer than
 * two slashes (`prod/README.md`) is a block of its own. In a sorted record every block is one run
 * of lines, and the blocks follow each other in the order of their keys, so a block is found by
 * binary search and the record is rebuilt block by block. A block is split into a Set only when
 * one of its paths is looked up.
 *
 * A record kprod wrote need not be read at all: the cache folder keeps, beside its size and mtime,
 * the byte range and a digest of every block (`BlockIndex`). A cached cluster's folder is then
 * matched by comparing digests (its cache entry holds the digest of each of its runs), and only the
 * blocks a synth changes are read from the file (`IndexedRecord`).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OWNED_FILE, ownedRecordBody, OWNED_HEADER, parseOwned } from './ownership';

/** Every block of a record in order: its key, its byte range in the file, the digest of its text. */
export type BlockIndex = Array<[key: string, start: number, end: number, digest: string]>;

/** The size and mtime of an ownership record as kprod wrote it, whether its text is ASCII, and its blocks. */
export interface RecordState {
  size: number;
  mtimeMs: number;
  ascii: boolean;
  /** The record's blocks; without them a trusted record is still read whole. @default none */
  blocks?: BlockIndex;
}

/** The block key of a path: up to and including its second slash, or the whole path. */
export function blockOf(rel: string): string {
  const first = rel.indexOf('/');
  const second = first < 0 ? -1 : rel.indexOf('/', first + 1);
  return second < 0 ? rel : rel.slice(0, second + 1);
}

const isPrefixKey = (key: string) => key.endsWith('/');

/** The digest of a block's (or a run's) text, "\n" after each line: what `keep` compares. */
export const blockDigest = (text: string): string => createHash('sha256').update(text).digest('base64');

/** What a synth asks of the record, whether it was read whole (`OwnedRecord`) or is read by block (`IndexedRecord`). */
export abstract class RecordBlocks {
  /** Whether the text read was already the record kprod writes for these paths (header, sorted, no duplicates). */
  abstract readonly normalized: boolean;
  /** One path per line, each line ending in "\n", strictly sorted by UTF-16 code units (an indexed record reads its file here). */
  abstract readonly body: string;
  /** The block's lines as they stand in the record ("\n" after each); empty when there is none. */
  abstract blockText(key: string): string;
  /** The keys of every block, in the record's order. */
  abstract keys(): readonly string[];
  /**
   * Whether a run of a cached cluster's paths (its block key, the digest of its text, and the text
   * when the caller has it) is the whole block of the record.
   */
  abstract matches(key: string, digest: string, text: string | undefined): boolean;

  private readonly sets = new Map<string, Set<string>>();

  /** The block's paths. */
  paths(key: string): Set<string> {
    let set = this.sets.get(key);
    if (!set) {
      const text = this.blockText(key);
      set = new Set(text ? text.slice(0, -1).split('\n') : []);
      this.sets.set(key, set);
    }
    return set;
  }

  has(rel: string): boolean {
    return this.hasIn(blockOf(rel), rel);
  }

  /** `has(rel)` when the caller knows the path's block (`blockOf(rel)`). */
  hasIn(key: string, rel: string): boolean {
    return isPrefixKey(key) ? this.paths(key).has(rel) : this.blockText(key) !== '';
  }

  /** The record's text. */
  get text(): string {
    return OWNED_HEADER + this.body;
  }
}

/** A record read whole. */
export class OwnedRecord extends RecordBlocks {
  readonly body: string;
  readonly normalized: boolean;
  private walked: Array<{ key: string; start: number; end: number }> | undefined;

  /**
   * @param text the record's text as read (a hand-edited, unsorted record is sorted here)
   * @param trusted the text is known to be as kprod wrote it (the check of its order is skipped) @default false
   */
  constructor(text: string, trusted = false) {
    super();
    const body = text.startsWith(OWNED_HEADER) ? text.slice(OWNED_HEADER.length) : undefined;
    if (body !== undefined && (trusted || isStrictlySortedBody(body))) {
      this.body = body;
      this.normalized = true;
    } else {
      this.body = ownedRecordBody(parseOwned(text));
      this.normalized = false;
    }
  }

  /** A record of these paths (the files adopted from a tree written before records existed). */
  static of(paths: Iterable<string>): OwnedRecord {
    return new OwnedRecord(OWNED_HEADER + ownedRecordBody(paths));
  }

  /** First line start at or after which `past(line)` holds (`past` must be false, then true, along the record). */
  private search(past: (line: string) => boolean): number {
    const body = this.body;
    let lo = 0;
    let hi = body.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const start = body.lastIndexOf('\n', mid - 1) + 1;
      const end = body.indexOf('\n', start);
      if (past(body.slice(start, end))) hi = start;
      else lo = end + 1;
    }
    return lo;
  }

  /** Character range [start, end) of the block's lines in `body`; empty when none. */
  range(key: string): [number, number] {
    const start = this.search((line) => line >= key);
    if (!isPrefixKey(key)) return this.body.startsWith(`${key}\n`, start) ? [start, start + key.length + 1] : [start, start];
    const end = this.search((line) => line >= key && !line.startsWith(key));
    return [start, Math.max(start, end)];
  }

  blockText(key: string): string {
    const [start, end] = this.range(key);
    return this.body.slice(start, end);
  }

  keys(): string[] {
    return this.blocks().map((b) => b.key);
  }

  private readonly digests = new Map<string, string>();

  matches(key: string, digest: string, text: string | undefined): boolean {
    if (text !== undefined) return this.blockText(key) === text;
    // Without the text (the probe left it out: it matched the index the record had): the block's digest.
    let own = this.digests.get(key);
    if (own === undefined) this.digests.set(key, (own = blockDigest(this.blockText(key))));
    return own === digest;
  }

  /** Every block of the record, in order, with its character range. */
  blocks(): ReadonlyArray<{ key: string; start: number; end: number }> {
    if (this.walked) return this.walked;
    const out: Array<{ key: string; start: number; end: number }> = [];
    const body = this.body;
    let at = 0;
    while (at < body.length) {
      const key = blockOf(body.slice(at, body.indexOf('\n', at)));
      const [, end] = isPrefixKey(key) ? this.range(key) : [at, body.indexOf('\n', at) + 1];
      out.push({ key, start: at, end });
      at = end;
    }
    return (this.walked = out);
  }

  /** The index of this record as written to a file (byte ranges count the header). */
  index(): BlockIndex {
    const out: BlockIndex = [];
    let at = Buffer.byteLength(OWNED_HEADER);
    for (const { key, start, end } of this.blocks()) {
      const text = this.body.slice(start, end);
      const bytes = Buffer.byteLength(text);
      out.push([key, at, at + bytes, blockDigest(text)]);
      at += bytes;
    }
    return out;
  }
}

/**
 * A record kprod wrote, as its index describes it (the file still has the size and mtime recorded
 * with the index): blocks are read from the file when asked for, the whole file only for `body`.
 */
export class IndexedRecord extends RecordBlocks {
  readonly normalized = true;
  private whole: string | undefined;
  private readonly texts = new Map<string, string>();
  private readonly order: string[];

  constructor(
    private readonly file: string,
    private readonly state: RecordState & { blocks: BlockIndex },
  ) {
    super();
    this.order = state.blocks.map((b) => b[0]);
  }

  private decode(bytes: Buffer): string {
    return bytes.toString(this.state.ascii ? 'latin1' : 'utf8');
  }

  get body(): string {
    if (this.whole === undefined) {
      const bytes = fs.readFileSync(this.file);
      if (bytes.length !== this.state.size) throw new Error(`${this.file} changed while kprod was synthesizing; synthesize again`);
      this.whole = this.decode(bytes).slice(OWNED_HEADER.length);
    }
    return this.whole;
  }

  /** The block's position in the index, by binary search (the blocks are in the order of their keys). */
  private find(key: string): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return this.order[lo] === key ? lo : -1;
  }

  blockText(key: string): string {
    let text = this.texts.get(key);
    if (text !== undefined) return text;
    const i = this.find(key);
    if (i < 0) text = '';
    else {
      const [, start, end] = this.state.blocks[i];
      const bytes = Buffer.allocUnsafe(end - start);
      const fd = fs.openSync(this.file, 'r');
      try {
        if (fs.readSync(fd, bytes, 0, bytes.length, start) !== bytes.length) throw new Error(`${this.file} changed while kprod was synthesizing; synthesize again`);
      } finally {
        fs.closeSync(fd);
      }
      text = this.decode(bytes);
    }
    this.texts.set(key, text);
    return text;
  }

  keys(): readonly string[] {
    return this.order;
  }

  /** The block's digest, from the index; undefined when there is no such block. */
  digest(key: string): string | undefined {
    const i = this.find(key);
    return i < 0 ? undefined : this.state.blocks[i][3];
  }

  matches(key: string, digest: string): boolean {
    return this.digest(key) === digest;
  }

  /** The index it was opened with (the file is unchanged). */
  index(): BlockIndex {
    return this.state.blocks;
  }
}

/** Whether every line ends in "\n" and is greater than the one before (which also rules out duplicates, empty and comment lines below the header). */
function isStrictlySortedBody(body: string): boolean {
  if (body && !body.endsWith('\n')) return false;
  let prev = -1;
  let prevEnd = -1;
  for (let start = 0; start < body.length; ) {
    const end = body.indexOf('\n', start);
    if (end === start || body.charCodeAt(start) === 35 /* # */) return false;
    if (prev >= 0 && !lineLess(body, prev, prevEnd, start, end)) return false;
    prev = start;
    prevEnd = end;
    start = end + 1;
  }
  return true;
}

/** body[a, aEnd) < body[b, bEnd) by UTF-16 code units, without cutting either line out. */
function lineLess(body: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  const n = Math.min(aEnd - a, bEnd - b);
  for (let i = 0; i < n; i++) {
    const x = body.charCodeAt(a + i);
    const y = body.charCodeAt(b + i);
    if (x !== y) return x < y;
  }
  return aEnd - a < bEnd - b;
}

/** Whether a record's file (its stat now) still has the size and mtime kprod recorded when it wrote it: then it is taken as kprod's, unchecked. */
export const stillAsWritten = (state: RecordState, now: { size: number; mtimeMs: number }): boolean => state.size === now.size && state.mtimeMs === now.mtimeMs;

/** A record read from an output folder. */
export interface ReadRecord {
  /** Read whole (`OwnedRecord`), or to be read by block (`IndexedRecord`, a trusted record with an index). */
  record: OwnedRecord | IndexedRecord;
  /** Whether it still had the size and mtime of `trusted`: taken as kprod wrote it, unchecked. */
  trusted: boolean;
}

/**
 * Reads the ownership record of `outDir` (undefined when there is none). With the state kprod
 * recorded when it last wrote it (`trusted`), a record that still has that size and mtime is kprod's
 * own: its order is not checked, with an index it is not read now at all (only the blocks a synth
 * needs are, later), and without one an ASCII record is decoded as Latin-1 (four times faster than
 * UTF-8 for a 50 MB record, and the same text).
 */
export function readRecord(outDir: string, trusted?: RecordState): ReadRecord | undefined {
  const file = path.join(outDir, OWNED_FILE);
  const s = fs.statSync(file, { throwIfNoEntry: false });
  if (!s) return undefined;
  const isTrusted = !!trusted && stillAsWritten(trusted, s);
  if (isTrusted && trusted.blocks) return { record: new IndexedRecord(file, { ...trusted, blocks: trusted.blocks }), trusted: true };
  const text = fs.readFileSync(file).toString(isTrusted && trusted.ascii ? 'latin1' : 'utf8');
  return { record: new OwnedRecord(text, isTrusted), trusted: isTrusted };
}

/** A stored run of a cache entry's sorted paths (`storedRuns`): block key, lines, length in characters, digest of its text. */
export type StoredRun = [key: string, lines: number, chars: number, digest: string];

/** The runs of a sorted path list as a cache entry stores them. */
export function storedRuns(sorted: string): StoredRun[] {
  const out: StoredRun[] = [];
  for (const { key, text, lines } of runsOf(sorted)) out.push([key, lines, text.length, blockDigest(text)]);
  return out;
}

/**
 * A cached cluster's paths as a synth keeps them: the runs, and the text of each run ("\n" after
 * each path) where it may be needed; the probe leaves out the text of a run that matched the
 * record's block by digest (`matches` then compares digests).
 */
export interface KeptRuns {
  runs: readonly StoredRun[];
  texts: ReadonlyArray<string | undefined>;
}

/** The runs of a sorted path list with every text (`runs` when already known, e.g. from a cache entry). */
export function keptRunsOf(sorted: string, runs: readonly StoredRun[] = storedRuns(sorted)): KeptRuns {
  let at = 0;
  return { runs, texts: runs.map(([, , chars]) => sorted.slice(at, (at += chars))) };
}

/** Whether stored runs describe `sorted` (their lengths add up; their keys and digests are the entry's own, checked by its hash). */
export function runsFit(runs: unknown, sorted: string, lines: number): runs is StoredRun[] {
  if (!Array.isArray(runs)) return false;
  let chars = 0;
  let count = 0;
  for (const r of runs) {
    if (!Array.isArray(r) || r.length !== 4 || typeof r[0] !== 'string' || typeof r[3] !== 'string' || !Number.isInteger(r[1]) || !Number.isInteger(r[2]) || r[1] < 1) return false;
    chars += r[2];
    count += r[1];
  }
  return chars === sorted.length && count === lines;
}

/** Whether a text is ASCII (then Latin-1 decodes it as UTF-8 does). */
export const isAscii = (text: string): boolean => !/[^\x00-\x7f]/.test(text);

/** One run of a sorted path list: the lines of one block (a path of its own for a key without a slash at the end). */
export interface Run {
  key: string;
  /** The run's lines, "\n" after each. */
  text: string;
  lines: number;
}

/** The runs of a sorted path list ("\n" after each path), in order. */
export function* runsOf(sorted: string): Generator<Run> {
  for (let at = 0; at < sorted.length; ) {
    const firstEnd = sorted.indexOf('\n', at);
    const key = blockOf(sorted.slice(at, firstEnd));
    let end = firstEnd + 1;
    let lines = 1;
    if (isPrefixKey(key))
      while (end < sorted.length && sorted.startsWith(key, end)) {
        end = sorted.indexOf('\n', end) + 1;
        lines++;
      }
    yield { key, text: sorted.slice(at, end), lines };
    at = end;
  }
}
