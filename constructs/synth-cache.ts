/**
 * Incremental synth: a content-addressed record per cluster, so a cluster whose inputs did not
 * change is not rebuilt. The key is a SHA-256 over everything the cluster's build reads:
 *  - the cluster's resolved spec as JSON (keys in the order parsing gives them: the schema's, and
 *    the input's inside maps such as labels; reordering a map's keys costs a rebuild, nothing else),
 *  - the fleet minus its environments (name, SKUs, ...) and the cluster's environment minus its
 *    clusters (gitops settings, ...): conservative, a change anywhere there rebuilds every cluster,
 *  - kprod's own code: a hash of the package's lib/ and constructs/ sources, computed once per
 *    process, so a library upgrade (or a local edit) invalidates every entry,
 *  - the capability set (`capabilityKey`: which capabilities built the cluster).
 *
 * An entry holds no file contents: the paths the cluster produced (its folders and its share of
 * `<env>/argocd/`), each file's size and mtime as written, the object count and the summary lines.
 * A hit is used only when every file still has that size and mtime in the output folder (as git's
 * index does); otherwise the cluster is rebuilt. So a cached synth writes exactly what a cold one
 * writes. Each entry carries a SHA-256 of its body: a damaged or foreign entry is ignored.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FileGroup } from '../lib/gitops/tree-writer';
import type { FleetSpec } from '../lib/spec';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

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

/** The fleet-level and per-environment parts of the keys, serialized once per fleet object. */
const sharedParts = new WeakMap<FleetSpec, { fleet: string; environments: string[] }>();

function shared(fleet: FleetSpec): { fleet: string; environments: string[] } {
  let parts = sharedParts.get(fleet);
  if (!parts) {
    const { environments, ...fleetLevel } = fleet;
    parts = { fleet: JSON.stringify(fleetLevel), environments: environments.map(({ clusters: _clusters, ...environmentLevel }) => JSON.stringify(environmentLevel)) };
    sharedParts.set(fleet, parts);
  }
  return parts;
}

/** The cache key of one cluster. */
export function clusterCacheKey(fleet: FleetSpec, envIndex: number, clusterIndex: number, inputs: CacheKeyInputs = {}): string {
  const parts = shared(fleet);
  return createHash('sha256')
    .update(`kprod\0${inputs.kprodVersion ?? kprodCodeHash()}\0capabilities\0${inputs.capabilityKey ?? 'builtin'}\0`)
    .update(`fleet\0${parts.fleet}\0environment\0${parts.environments[envIndex]}\0cluster\0`)
    .update(JSON.stringify(fleet.environments[envIndex].clusters[clusterIndex]))
    .digest('hex');
}

/** What a cached cluster contributes without being rebuilt. */
export interface CacheEntry {
  /** Produced files (relative to the output folder), with each one's size and mtime as written. */
  files: FileGroup;
  /** Kubernetes objects among them. */
  objects: number;
  summary: string[];
  /** Chart repositories of the cluster's Helm Applications (the environment's platform project allows their union). */
  chartRepos: string[];
  /** The cluster's section of its environment's reviewer page. */
  readmeSection: string;
}

/**
 * Format 5: a JSON header line (format, key, SHA-256 of the body), then the body as JSON, whose
 * paths are one newline-separated string (a cluster has hundreds of files; one string parses in a
 * fraction of the time of as many).
 */
const ENTRY_FORMAT = 5;
const ENTRY_SUFFIX = '.entry';

interface StoredFiles {
  paths: string;
  sizes: number[];
  mtimes: number[];
}

const bodyOf = (entry: CacheEntry) =>
  JSON.stringify({ ...entry, files: { paths: entry.files.paths.join('\n'), sizes: entry.files.sizes, mtimes: entry.files.mtimes } satisfies StoredFiles });

const entryText = (key: string, body: string) => `${JSON.stringify({ format: ENTRY_FORMAT, key, sha256: sha256(body) })}\n${body}`;

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

  private file(key: string): string {
    return path.join(this.dir, key.slice(0, 2), `${key}${ENTRY_SUFFIX}`);
  }

  /** The entry for `key`, or undefined when missing, damaged or of another format. Never throws. */
  get(key: string): CacheEntry | undefined {
    this.used.add(key);
    try {
      const text = fs.readFileSync(this.file(key), 'utf8');
      const nl = text.indexOf('\n');
      const header = JSON.parse(text.slice(0, nl)) as { format: number; key: string; sha256: string };
      const body = text.slice(nl + 1);
      if (nl < 0 || header.format !== ENTRY_FORMAT || header.key !== key || sha256(body) !== header.sha256) return undefined;
      const entry = JSON.parse(body) as CacheEntry;
      const f = entry.files as unknown as StoredFiles;
      if (!f || typeof f.paths !== 'string' || !Array.isArray(f.sizes) || !Array.isArray(f.mtimes)) return undefined;
      const paths = f.paths ? f.paths.split('\n') : [];
      if (paths.length !== f.sizes.length || paths.length !== f.mtimes.length) return undefined;
      entry.files = { paths, sizes: f.sizes, mtimes: f.mtimes };
      if (typeof entry.objects !== 'number' || !Array.isArray(entry.summary) || !Array.isArray(entry.chartRepos) || typeof entry.readmeSection !== 'string') return undefined;
      return entry;
    } catch {
      return undefined;
    }
  }

  /**
   * Keeps a new entry on disk, not in memory, until `publish`: a synth describes files that are in
   * place only after its commit, and a fleet's entries together are the size of its file list.
   */
  stage(key: string, entry: CacheEntry): void {
    this.used.add(key);
    const body = bodyOf(entry);
    if (!this.pending.length) fs.mkdirSync(this.stagingDir, { recursive: true });
    fs.writeFileSync(path.join(this.stagingDir, key), entryText(key, body));
    this.pending.push(key);
  }

  /** Moves the staged entries into the cache. */
  publish(): void {
    for (const key of this.pending) {
      const target = this.file(key);
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
      for (const name of fs.readdirSync(dir)) if (!name.endsWith(ENTRY_SUFFIX) || !this.used.has(name.slice(0, -ENTRY_SUFFIX.length))) fs.rmSync(path.join(dir, name), { force: true });
    }
  }
}
