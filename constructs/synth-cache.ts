/**
 * Incremental synth: a content-addressed record per cluster, so a cluster whose inputs did not
 * change is not rebuilt. The key is a SHA-256 over everything the cluster's build reads:
 *  - the cluster's input as JSON, as the spec gives it (before validation, so that the cache is
 *    probed while the spec is validated; reordering keys in the spec costs a rebuild, nothing else),
 *  - the fleet minus its environments (name, SKUs, ...) and the cluster's environment minus its
 *    clusters (gitops settings, ...) and the settings only the stacks read: conservative, a change
 *    anywhere there rebuilds every cluster,
 *  - kprod's own code: a hash of the package's lib/ and constructs/ sources, computed once per
 *    process, so a library upgrade (or a local edit) invalidates every entry,
 *  - the capability set (`capabilityKey`: which capabilities built the cluster).
 *
 * An entry holds no file contents: the paths the cluster produced (its folders and its share of
 * `<env>/argocd/`), each file's size and mtime as written, the object count and the summary lines.
 * A hit is used only when every file still has that size and mtime in the output folder (as git's
 * index does; cache-probe.ts checks); otherwise the cluster is rebuilt. So a cached synth writes exactly what a cold one
 * writes. Each entry carries a SHA-256 of its body: a damaged or foreign entry is ignored.
 */
import { isAscii as isAsciiBytes } from 'node:buffer';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isAscii, runsFit, storedRuns, type BlockIndex, type RecordState, type StoredRun } from '../lib/gitops/owned-record';
import { OWNED_HEADER } from '../lib/gitops/ownership';
import type { FileGroup } from '../lib/gitops/tree-writer';
import type { KnownCluster } from '../lib/spec/known-clusters';
import type { IndexRow } from '../lib/report/environment-readme';
import { defineLater, lineRanges, splitLarge } from './later-fields';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

let ownCodeHash: string | undefined;

/**
 * A hash of kprod's own code: package.json's version and every .ts/.js file under the package's
 * lib/ and constructs/ (compiled or source, whichever this process runs from). Computed once.
 */
export function kprodCodeHash(): string {
  if (ownCodeHash) return ownCodeHash;
  const root = path.resolve(__dirname, '..');
  const h = createHash('sha256');
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (/\.(ts|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) h.update(`${path.relative(root, abs)}\0`).update(fs.readFileSync(abs)).update('\0');
    }
  };
  for (const p of [path.join(root, 'package.json'), path.join(root, '..', 'package.json')]) {
    if (fs.existsSync(p)) {
      h.update(String(JSON.parse(fs.readFileSync(p, 'utf8')).version ?? ''));
      break;
    }
  }
  walk(path.join(root, 'lib'));
  walk(path.join(root, 'constructs'));
  return (ownCodeHash = h.digest('hex'));
}

export interface CacheKeyInputs {
  /** Which capabilities build the cluster (built-ins, or a module of user capabilities). @default "builtin" */
  readonly capabilityKey?: string;
  /** kprod's code identity; tests inject a different one to simulate an upgrade. @default kprodCodeHash() */
  readonly kprodVersion?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Environment settings that only the Pulumi stacks read, never a cluster's files: left out of the
 * keys, so that resizing the Argo CD controller does not rebuild every cluster of the environment
 * (a test synthesizes with two settings and compares the trees).
 */
export const STACK_ONLY_ENVIRONMENT_SETTINGS = ['gitops.argocd.controller'] as const;

/** `value` without the setting at `dotted` (`a.b.c`); a map left empty goes too (`{}` and nothing validate alike). */
function without(value: Record<string, unknown>, [head, ...rest]: string[]): Record<string, unknown> {
  if (!(head in value)) return value;
  const { [head]: inner, ...others } = value;
  if (!rest.length) return others;
  if (!isRecord(inner)) return value;
  const kept = without(inner, rest);
  return kept === inner ? value : Object.keys(kept).length ? { ...others, [head]: kept } : others;
}

/** The environment's settings as the keys hash them: without its clusters and the stack-only settings. */
function keyedEnvironment({ clusters: _clusters, ...settings }: Record<string, unknown>): Record<string, unknown> {
  return STACK_ONLY_ENVIRONMENT_SETTINGS.reduce((env, setting) => without(env, setting.split('.')), settings);
}

/**
 * The cache key of every cluster of a fleet input, environment by environment (the synth's task
 * order), or undefined when the input is not shaped like a fleet (then it will not validate
 * either). Keys are taken from the input as given, not from the validated spec, so that the
 * cache can be probed while the spec is validated: validation is a pure function of the input and
 * of kprod's code, which is part of the key. A parsed spec is an input too (its keys differ).
 */
export function clusterCacheKeys(input: unknown, inputs: CacheKeyInputs = {}): string[] | undefined {
  try {
    if (!isRecord(input) || !Array.isArray(input.environments)) return undefined;
    const { environments, ...fleetLevel } = input;
    const head = `kprod\0${inputs.kprodVersion ?? kprodCodeHash()}\0capabilities\0${inputs.capabilityKey ?? 'builtin'}\0fleet\0${JSON.stringify(fleetLevel)}\0`;
    const keys: string[] = [];
    for (const env of environments as unknown[]) {
      if (!isRecord(env) || !Array.isArray(env.clusters)) return undefined;
      const prefix = `${head}environment\0${JSON.stringify(keyedEnvironment(env))}\0cluster\0`;
      for (const cluster of env.clusters as unknown[]) keys.push(createHash('sha256').update(prefix).update(JSON.stringify(cluster) ?? 'undefined').digest('hex'));
    }
    return keys;
  } catch {
    // BigInts, cycles, throwing getters: such an input does not validate; it is built without the cache.
    return undefined;
  }
}

/** How many clusters a fleet input lists (what `clusterCacheKeys` would key), or 0 when it is not shaped like a fleet. Never throws. */
export function clusterCount(input: unknown): number {
  try {
    if (!isRecord(input) || !Array.isArray(input.environments)) return 0;
    let n = 0;
    for (const env of input.environments as unknown[]) n += isRecord(env) && Array.isArray(env.clusters) ? env.clusters.length : 0;
    return n;
  } catch {
    return 0;
  }
}

/** A cached cluster's files, in the ownership record's order (lib/gitops/owned-record.ts). */
export interface CachedFiles {
  /** Paths relative to the output folder, sorted by UTF-16 code units, "\n" after each. */
  sorted: string;
  /** Each file's size and mtime as written, in the order of `sorted`. */
  sizes: number[];
  mtimes: number[];
  /** The runs of `sorted` by block of the ownership record, with digests (owned-record.ts `storedRuns`). */
  runs: StoredRun[];
}

/** Produced files (in any order, with their states) as an entry stores them. */
export function cachedFiles(group: FileGroup): CachedFiles {
  const order = group.paths.map((_, i) => i).sort((a, b) => (group.paths[a] < group.paths[b] ? -1 : group.paths[a] > group.paths[b] ? 1 : 0));
  const sorted = order.map((i) => `${group.paths[i]}\n`).join('');
  return { sorted, sizes: order.map((i) => group.sizes[i]), mtimes: order.map((i) => group.mtimes[i]), runs: storedRuns(sorted) };
}

/** The paths of `files.sorted`. */
export const pathsOf = (files: Pick<CachedFiles, 'sorted'>): string[] => (files.sorted ? files.sorted.slice(0, -1).split('\n') : []);

/** What a cached cluster contributes without being rebuilt. */
export interface CacheEntry {
  /** Produced files, with each one's size and mtime as written. */
  files: CachedFiles;
  /** Files per folder for the report (constructs/change-summary.ts `countTriples`). */
  folders: Array<[string, string, number]>;
  /** Kubernetes objects among them. */
  objects: number;
  summary: string[];
  /** Chart repositories of the cluster's Helm Applications (the environment's platform project allows their union). */
  chartRepos: string[];
  /** The cluster's row on its environment's index page (lib/report/environment-readme.ts `clusterIndexRow`). */
  indexRow: IndexRow;
}

/**
 * Format 10 (9 lacked the cluster's row on its environment's index page; 8 held the cluster's
 * section of its environment's reviewer page, now a file of the cluster), three parts: a JSON header line (format, key, SHA-256 of the rest, whether the rest is
 * ASCII), the entry without its paths as one JSON line (with the digest of each run of paths by
 * block of the ownership record, which the record's index is compared with), then the paths as
 * they are (one sorted string; a cluster has hundreds of files, and one string parses in a
 * fraction of the time of as many). An ASCII entry is decoded as Latin-1,
 * which is four times faster than UTF-8 and gives the same text.
 */
const ENTRY_FORMAT = 10;
const ENTRY_SUFFIX = '.entry';

/** The first line of an entry and of a verdict. */
interface EntryHeader {
  format: number;
  key: string;
  sha256: string;
  ascii: boolean;
}

/** A header line for `rest`, then `rest`. */
const headed = (format: number, key: string, rest: string, ascii: boolean) => `${JSON.stringify({ format, key, sha256: sha256(rest), ascii } satisfies EntryHeader)}\n${rest}`;

/**
 * What follows the header line, when the header names this format and key and the rest has its
 * hash; undefined otherwise. Throws on a header that is not JSON. The hash is taken over the
 * file's bytes (the UTF-8 of the text `headed` hashed), so the text is decoded only once it holds.
 */
function checkedRest(bytes: Buffer, format: number, key: string): string | undefined {
  const checked = checkedBytes(bytes, format, key);
  return checked && checked.rest.toString(checked.encoding);
}

/** `checkedRest` before decoding: the bytes of the rest (a view of `bytes`), how to decode them, and their hash. */
function checkedBytes(bytes: Buffer, format: number, key: string): { rest: Buffer; encoding: 'latin1' | 'utf8'; sha256: string } | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  const header = JSON.parse(bytes.toString('latin1', 0, nl)) as EntryHeader;
  if (header.format !== format || header.key !== key) return undefined;
  const rest = bytes.subarray(nl + 1);
  if (sha256(rest) !== header.sha256) return undefined;
  // The header is not hashed: a damaged ascii flag must not make UTF-8 decode as Latin-1.
  if (header.ascii && !isAsciiBytes(rest)) return undefined;
  return { rest, encoding: header.ascii ? 'latin1' : 'utf8', sha256: header.sha256 };
}

/** The buffer `readReused` fills (one per thread: module state is per thread). */
let scratch = Buffer.allocUnsafe(1 << 17);

/**
 * A file's bytes in a buffer this thread reuses: valid until the next call, so callers decode them
 * at once. A fresh buffer per file (readFileSync) faults its pages in every time; over 1000
 * entries and 1000 verdicts that was 244 ms of CPU against 54 on the 2-core machine.
 */
function readReused(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger, 0, 0, length);
        scratch = bigger;
      }
      const read = fs.readSync(fd, scratch, length, scratch.length - length, null);
      if (read === 0) return scratch.subarray(0, length);
      length += read;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** JSON kept ASCII (\u escapes for other characters), so that it decodes as Latin-1. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

function entryText(key: string, entry: CacheEntry): string {
  const { sorted, ...states } = entry.files;
  // The JSON line is kept ASCII (the reviewer page's and summaries' other characters are escaped).
  const meta = asciiJson({ ...entry, files: states });
  const rest = `${meta}\n${sorted}`;
  return headed(ENTRY_FORMAT, key, rest, isAscii(sorted));
}

/** Where the entry of `key` lives under a cache folder. */
export const entryFile = (dir: string, key: string) => path.join(dir, key.slice(0, 2), `${key}${ENTRY_SUFFIX}`);

/**
 * A cluster's verdict (lib/spec/known-clusters.ts: its resolved spec and cluster-local warnings)
 * beside its entry, `<key>.spec`: read by the calling thread while it validates, so it is apart
 * from the entry the probe's helpers read. Format 2 (1 was the verdict on one line): the same
 * header line as an entry's (`headed`), then one ASCII JSON line `{ spec, warnings, later }` with
 * the spec's large top-level fields null, then one line per field named in `later`, its JSON: those
 * are parsed on first read (later-fields.ts). Written only for a verdict that JSON gives back
 * exactly (`isPlainJson`).
 */
const VERDICT_SUFFIX = '.spec';
const VERDICT_FORMAT = 2;

/** The first line of a verdict's body. */
interface StoredVerdict extends KnownCluster {
  /** The spec's fields stored on the lines that follow, in order. */
  readonly later: string[];
}
const verdictFile = (dir: string, key: string) => path.join(dir, key.slice(0, 2), `${key}${VERDICT_SUFFIX}`);

/** Whether JSON gives `value` back exactly: plain objects and arrays, finite numbers (not -0), strings, booleans, null; no undefined anywhere. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isPlainJson(value[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
  return true;
}

/** The verdict stored for `key`, or undefined when missing, damaged or of another format. Never throws. */
export function readVerdict(dir: string, key: string): KnownCluster | undefined {
  try {
    const file = verdictFile(dir, key);
    const checked = checkedBytes(readReused(file), VERDICT_FORMAT, key);
    if (!checked) return undefined;
    const { rest, encoding } = checked;
    const nl = rest.indexOf(0x0a);
    if (nl < 0) return undefined;
    const stored = JSON.parse(rest.toString(encoding, 0, nl)) as StoredVerdict;
    if (!isRecord(stored) || !isRecord(stored.spec) || !Array.isArray(stored.warnings) || !isStringArray(stored.later)) return undefined;
    if (!lineRanges(rest, nl + 1, stored.later.length)) return undefined;
    // The large fields are read from the file again when first read (later-fields.ts): copying them
    // out of the reused buffer meanwhile cost more than reading them again (fresh pages).
    const load = () => {
      const again = checkedBytes(readReused(file), VERDICT_FORMAT, key);
      const ranges = again && again.sha256 === checked.sha256 && lineRanges(again.rest, again.rest.indexOf(0x0a) + 1, stored.later.length);
      if (!again || !ranges) throw new Error(`${file} changed while kprod read it; run the synth again`);
      return ranges.map(([from, to]) => again.rest.toString(encoding, from, to));
    };
    if (!defineLater(stored.spec as unknown as Record<string, unknown>, stored.later, load)) return undefined;
    return { spec: stored.spec, warnings: stored.warnings };
  } catch {
    return undefined;
  }
}

/** Stores verdicts (by key) that JSON gives back exactly; each file is written beside and renamed into place. */
export function storeVerdicts(dir: string, verdicts: ReadonlyArray<readonly [key: string, verdict: KnownCluster]>): void {
  for (const [key, verdict] of verdicts) {
    if (!isPlainJson(verdict)) continue;
    const { head, later } = splitLarge(verdict.spec as unknown as Record<string, unknown>, asciiJson);
    const first: StoredVerdict = { spec: head as unknown as KnownCluster['spec'], warnings: verdict.warnings, later: later.map(([field]) => field) };
    const body = `${asciiJson(first)}\n${later.map(([, json]) => `${json}\n`).join('')}`;
    const file = verdictFile(dir, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(`${file}.tmp`, headed(VERDICT_FORMAT, key, body, true));
    fs.renameSync(`${file}.tmp`, file);
  }
}

/** The entry for `key` in a cache folder, or undefined when missing, damaged or of another format. Never throws. */
export function readEntry(dir: string, key: string): CacheEntry | undefined {
  try {
    const rest = checkedRest(readReused(entryFile(dir, key)), ENTRY_FORMAT, key);
    if (rest === undefined) return undefined;
    const split = rest.indexOf('\n');
    const entry = JSON.parse(rest.slice(0, split)) as CacheEntry;
    const f = entry.files;
    if (!f || !Array.isArray(f.sizes) || !Array.isArray(f.mtimes) || f.sizes.length !== f.mtimes.length) return undefined;
    f.sorted = rest.slice(split + 1);
    if ((f.sorted && !f.sorted.endsWith('\n')) || !runsFit(f.runs, f.sorted, f.sizes.length)) return undefined;
    if (typeof entry.objects !== 'number' || !Array.isArray(entry.summary) || !Array.isArray(entry.chartRepos) || !Array.isArray(entry.folders) || !isStringArray(entry.indexRow)) return undefined;
    return entry;
  } catch {
    return undefined;
  }
}

/** Whether a stored block index is well formed: keys in order, byte ranges adjacent and inside the file (a bad one is dropped: the record is read whole). */
function blockIndexFits(blocks: unknown, size: number): blocks is BlockIndex {
  if (!Array.isArray(blocks)) return false;
  let previous: string | undefined;
  let at = -1;
  for (const b of blocks) {
    if (!Array.isArray(b) || b.length !== 4 || typeof b[0] !== 'string' || typeof b[3] !== 'string' || !Number.isInteger(b[1]) || !Number.isInteger(b[2])) return false;
    if ((previous !== undefined && !(previous < b[0])) || (at >= 0 && b[1] !== at) || b[2] <= b[1]) return false;
    previous = b[0];
    at = b[2];
  }
  return at < 0 || ((blocks[0] as BlockIndex[number])[1] === Buffer.byteLength(OWNED_HEADER) && at === size);
}

/** Where a cache folder keeps the state of an output folder's ownership record (beside the entries' shard folders, which `prune` alone cleans). */
const recordStateFile = (dir: string, outDir: string) => path.join(dir, `owned-${sha256(path.resolve(outDir)).slice(0, 16)}.state`);

/** The ownership record's state after the last synth into `outDir` with the cache in `dir`, or undefined. Never throws. */
export function readRecordState(dir: string, outDir: string): RecordState | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(recordStateFile(dir, outDir), 'utf8')) as RecordState & { outDir: string };
    const valid = state.outDir === path.resolve(outDir) && typeof state.size === 'number' && typeof state.mtimeMs === 'number' && typeof state.ascii === 'boolean';
    if (!valid) return undefined;
    return { size: state.size, mtimeMs: state.mtimeMs, ascii: state.ascii, blocks: blockIndexFits(state.blocks, state.size) ? state.blocks : undefined };
  } catch {
    return undefined;
  }
}

/**
 * Cluster records under a cache folder: `<dir>/<key[0..2]>/<key>.entry` (not `.json`: a header line
 * and a body are not one JSON document, and tools that read every `.json` under the output folder
 * must not take them for one; entries of older formats are removed by `prune`).
 */
export class SynthCache {
  private readonly used = new Set<string>();
  private readonly pending: string[] = [];

  /**
   * @param dir the cache folder
   * @param stagingDir where `stage` keeps new entries until `publish` (outside the output folder,
   *   so that a new output folder stays empty until its tree is moved in). @default `${dir}.staging-<pid>`
   */
  constructor(
    readonly dir: string,
    private readonly stagingDir = `${path.resolve(dir)}.staging-${process.pid}`,
  ) {}

  /** Marks entries as used by this synth (probed or written), so that `prune` keeps them. */
  use(keys: Iterable<string>): void {
    for (const key of keys) this.used.add(key);
  }

  /** The ownership record's state after the last synth into `outDir` with this cache (TreeWriterOptions.trustedRecord). Never throws. */
  recordState(outDir: string): RecordState | undefined {
    return readRecordState(this.dir, outDir);
  }

  /** Stores the record's state after a synth's commit. */
  storeRecordState(outDir: string, state: RecordState | undefined): void {
    const file = recordStateFile(this.dir, outDir);
    if (!state) return fs.rmSync(file, { force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ outDir: path.resolve(outDir), size: state.size, mtimeMs: state.mtimeMs, ascii: state.ascii, blocks: state.blocks }));
  }

  /**
   * Keeps a new entry on disk, not in memory, until `publish`: a synth describes files that are in
   * place only after its commit, and a fleet's entries together are the size of its file list.
   */
  stage(key: string, entry: CacheEntry): void {
    this.used.add(key);
    if (!this.pending.length) fs.mkdirSync(this.stagingDir, { recursive: true });
    fs.writeFileSync(path.join(this.stagingDir, key), entryText(key, entry));
    this.pending.push(key);
  }

  /** Moves the staged entries into the cache. */
  publish(): void {
    for (const key of this.pending) {
      const target = entryFile(this.dir, key);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(path.join(this.stagingDir, key), target);
    }
    this.pending.length = 0;
    this.discard();
  }

  /** Drops the staged entries (a failed synth). */
  discard(): void {
    fs.rmSync(this.stagingDir, { recursive: true, force: true });
  }

  /** Deletes entries this synth neither read nor wrote (keeps the cache the size of one fleet). */
  prune(): void {
    let shards: string[];
    try {
      shards = fs.readdirSync(this.dir);
    } catch {
      return;
    }
    for (const shard of shards) {
      const dir = path.join(this.dir, shard);
      if (!fs.statSync(dir).isDirectory()) continue;
      for (const name of fs.readdirSync(dir)) {
        const suffix = [ENTRY_SUFFIX, VERDICT_SUFFIX].find((s) => name.endsWith(s));
        if (!suffix || !this.used.has(name.slice(0, -suffix.length))) fs.rmSync(path.join(dir, name), { force: true });
      }
    }
  }
}
