/**
 * The ownership record (ownership.ts) as one synth reads it: a sorted text that is searched, not
 * split. At 1000 clusters the record lists 736 000 files; splitting it into a Set cost more than
 * the rest of an everyday synth, and most of it is never needed line by line: a cached cluster's
 * folder is compared with its block of the record in one string comparison.
 *
 * Lines are grouped in blocks by their first two segments: `prod/c17/` holds every file of that
 * cluster, `prod/argocd/` every file of the environment's Argo CD folder; a path with fewer than
 * two slashes (`prod/README.md`) is a block of its own. In a sorted record every block is one run
 * of lines, and the blocks follow each other in the order of their keys, so a block is found by
 * binary search and the record is rebuilt block by block. A block is split into a Set only when
 * one of its paths is looked up.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OWNED_FILE, ownedRecordBody, OWNED_HEADER, parseOwned } from './ownership';

/** The size and mtime of an ownership record as kprod wrote it, and whether its text is ASCII. */
export interface RecordState {
  size: number;
  mtimeMs: number;
  ascii: boolean;
}

/** The block key of a path: up to and including its second slash, or the whole path. */
export function blockOf(rel: string): string {
  const first = rel.indexOf('/');
  const second = first < 0 ? -1 : rel.indexOf('/', first + 1);
  return second < 0 ? rel : rel.slice(0, second + 1);
}

const isPrefixKey = (key: string) => key.endsWith('/');

export class OwnedRecord {
  /** One path per line, each line ending in "\n", strictly sorted by UTF-16 code units. */
  readonly body: string;
  /** Whether the text read was already the record kprod writes for these paths (header, sorted, no duplicates). */
  readonly normalized: boolean;
  private readonly sets = new Map<string, Set<string>>();
  private walked: Array<{ key: string; start: number; end: number }> | undefined;

  /**
   * @param text the record's text as read (a hand-edited, unsorted record is sorted here)
   * @param trusted the text is known to be as kprod wrote it (the check of its order is skipped) @default false
   */
  constructor(text: string, trusted = false) {
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

  /** The record's text with this body. */
  get text(): string {
    return OWNED_HEADER + this.body;
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

  /** The block's lines as they stand in the record ("\n" after each). */
  blockText(key: string): string {
    const [start, end] = this.range(key);
    return this.body.slice(start, end);
  }

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
    const key = blockOf(rel);
    if (!isPrefixKey(key)) {
      const [start, end] = this.range(key);
      return end > start;
    }
    return this.paths(key).has(rel);
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

/** A record read from an output folder. */
export interface ReadRecord {
  text: string;
  record: OwnedRecord;
  /** Its size and mtime before it was read. */
  state: { size: number; mtimeMs: number };
  /** Whether it still had the size and mtime of `trusted`: taken as kprod wrote it, unchecked. */
  trusted: boolean;
}

/**
 * Reads the ownership record of `outDir` (undefined when there is none). With the state kprod
 * recorded when it last wrote it (`trusted`), a record that still has that size and mtime is kprod's
 * own: its order is not checked, and an ASCII one is decoded as Latin-1 (four times faster than
 * UTF-8 for a 50 MB record, and the same text).
 */
export function readRecord(outDir: string, trusted?: RecordState): ReadRecord | undefined {
  const file = path.join(outDir, OWNED_FILE);
  let bytes: Buffer;
  let state: { size: number; mtimeMs: number };
  try {
    const s = fs.statSync(file);
    bytes = fs.readFileSync(file);
    state = { size: s.size, mtimeMs: s.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const isTrusted = !!trusted && trusted.size === state.size && trusted.mtimeMs === state.mtimeMs;
  const text = bytes.toString(isTrusted && trusted.ascii ? 'latin1' : 'utf8');
  return { text, record: new OwnedRecord(text, isTrusted), state, trusted: isTrusted };
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
