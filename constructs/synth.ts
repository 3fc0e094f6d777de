import * as os from 'node:os';
import * as path from 'node:path';
import { KPROD_DIR, type WriteOptions, type WriteResult } from '../lib/gitops';
import { changeSummary } from './change-summary';
import { formatIssue, loadSpecInput, parseFleet, type FleetInput, type FleetSpec, type ParseResult } from '../lib/spec';
import { absolutePlugins, capabilitySetKey, parseOptionsOf, resolveCapabilities, type CapabilitySelection } from './capabilities/selection';
import type { Capability } from './capabilities/contract';
import { streamSynth, streamSynthAsync, type StreamSynthOptions, type StreamSynthResult } from './stream-synth';
import { startCacheProbe, startProbeHelpers, type CacheProbe } from './cache-probe';
import { clusterCacheKeys, clusterCount, readVerdict, type CacheKeyInputs } from './synth-cache';
import type { KnownCluster } from '../lib/spec/known-clusters';

export interface SynthOptions extends WriteOptions, CacheKeyInputs {
  /** Output folder. @default "dist" */
  readonly outDir?: string;
  /**
   * Threads that build clusters in `synthAsync`: with more than one, that many worker threads
   * build while the calling thread writes. Starting a worker costs about half a second, so small
   * fleets stay on one thread
   * (docs/benchmark.md). @default min(cores, clusters) for fleets of AUTO_WORKERS_FROM clusters or more, else 1
   */
  readonly workers?: number;
  /**
   * Capabilities added (`plugins` modules, `add` objects: one with a built-in's id replaces it) and
   * removed (`remove` ids); their `extensions.<id>` settings are validated with the spec.
   * @default the built-in capabilities (CAPABILITIES)
   */
  readonly capabilities?: CapabilitySelection;
  /**
   * Reuse clusters whose inputs did not change (constructs/synth-cache.ts); the output is
   * byte-identical either way. `false` builds every cluster.
   * @default true
   */
  readonly cache?: boolean;
  /** Where cluster cache entries live. @default "<outDir>/.kprod/cache" (git-ignored by `.kprod/.gitignore`) */
  readonly cacheDir?: string;
  /** Build only `<env>/<cluster>`; nothing outside its folders is touched. @default every cluster */
  readonly only?: string;
  /** Called after each cluster with the clusters done and the total. @default none */
  readonly onProgress?: (done: number, total: number) => void;
  /** Run kprod check on every built cluster before anything is written (see StreamSynthOptions.check). @default false */
  readonly check?: boolean;
}

export interface SynthReport extends WriteResult {
  objects: number;
  files: number;
  /** Capability summary lines (sizes, allocatable, add-ons). */
  summary: string[];
  /** Per cluster: objects per folder and files added / changed / removed against the previous tree. */
  changes: string[];
  warnings: string[];
  /** Clusters built, and taken unchanged from the cache. */
  built: number;
  cached: number;
  /** Threads the clusters were built on, the calling thread included. */
  threads: number;
  /** Transitions the live fleet would refuse, as `path: message (got value)`; only a dry run returns any (a synth throws SpecError). */
  refused: string[];
  /** kprod check lines with `check` on (failures, unevaluated rules, the count line); a synth with failures throws CheckFailedError. */
  check: string[];
}

/**
 * Validates a fleet (a spec object or a spec file path), synthesizes it and brings `outDir` up to
 * date. Invalid input throws SpecError before anything is written.
 */
export function synth(spec: FleetInput | string, options: SynthOptions = {}): SynthReport {
  const capabilities = resolveCapabilities(options.capabilities);
  const outDir = options.outDir ?? 'dist';
  const stream = streamOptions(outDir, options, capabilities);
  const { parsed, cacheProbe, verdicts } = validate(spec, capabilities, outDir, stream);
  return report(parsed, streamSynth(parsed.spec, outDir, { ...stream, cacheProbe, verdicts }));
}

/**
 * Validates the spec, capability settings included. The cache is probed meanwhile (cache-probe.ts:
 * on a large fleet, helper threads stat the cached files while this thread validates), and a
 * cluster the cache has a verdict for (its key: the same input, settings and code) is not parsed
 * again (lib/spec/known-clusters.ts). Returns the new verdicts for the stream to store.
 */
function validate(spec: FleetInput | string, capabilities: readonly Capability[], outDir: string, stream: StreamSynthOptions): { parsed: ParseResult; cacheProbe?: CacheProbe; verdicts?: Array<[string, KnownCluster]> } {
  const input = typeof spec === 'string' ? loadSpecInput(spec) : spec;
  const cacheDir = stream.cacheDir;
  const probing = !!cacheDir && !stream.only;
  // The probe's helpers start first: their start-up overlaps the hashing of the keys.
  const helpers = probing ? startProbeHelpers(clusterCount(input)) : undefined;
  const keys = probing ? clusterCacheKeys(input, stream) : undefined;
  if (!keys) helpers?.stop();
  const cacheProbe = keys && cacheDir ? startCacheProbe(cacheDir, outDir, keys, { helpers }) : undefined;
  try {
    const at = keys && keyIndex(input as { environments: Array<{ clusters: unknown[] }> });
    const known = at && cacheDir ? (e: number, c: number) => readVerdict(cacheDir, keys[at(e, c)]) : undefined;
    // The stream freezes what the capabilities can reach (freezeForBuild), not the whole fleet.
    const parsed = parseFleet(input, { ...parseOptionsOf(capabilities), freeze: false, known, verdicts: !!known });
    const verdicts = at && parsed.verdicts?.flatMap((env, e) => env.flatMap((v, c): Array<[string, KnownCluster]> => (v ? [[keys[at(e, c)], v]] : [])));
    return { parsed, cacheProbe, verdicts };
  } catch (e) {
    cacheProbe?.cancel();
    throw e;
  }
}

/** The index of cluster `c` of environment `e` among the keys (environment by environment, as clusterCacheKeys gives them). */
function keyIndex(input: { environments: Array<{ clusters: unknown[] }> }): (e: number, c: number) => number {
  const offsets: number[] = [];
  let n = 0;
  for (const env of input.environments) {
    offsets.push(n);
    n += env.clusters.length;
  }
  return (e, c) => offsets[e] + c;
}

/**
 * Fleets with at least this many clusters are synthesized on every core unless `workers` is given:
 * on 2 cores the worker threads (each starts with ~0.8 s of CPU loading kprod) still lose at 50
 * clusters (2.9 s against 2.6 s on one thread) and win from about 80 (100 clusters: 4.3 s against
 * 5.0 s; 1000: 44 s); docs/benchmark.md, 2026-12-01.
 */
export const AUTO_WORKERS_FROM = 80;

/** Threads used when `workers` is not given: all cores for a large fleet, one thread otherwise. */
export function defaultWorkers(fleet: FleetSpec): number {
  const clusters = fleet.environments.reduce((n, e) => n + e.clusters.length, 0);
  return clusters >= AUTO_WORKERS_FROM ? Math.min(os.availableParallelism(), clusters) : 1;
}

/** `synth` with the clusters spread over `options.workers` threads; byte-identical output. */
export async function synthAsync(spec: FleetInput | string, options: SynthOptions = {}): Promise<SynthReport> {
  const capabilities = resolveCapabilities(options.capabilities);
  const outDir = options.outDir ?? 'dist';
  const stream = streamOptions(outDir, options, capabilities);
  const { parsed, cacheProbe, verdicts } = validate(spec, capabilities, outDir, stream);
  const workers = options.workers ?? defaultWorkers(parsed.spec);
  const selection = options.capabilities;
  if (workers > 1 && selection?.add?.length) {
    cacheProbe?.cancel();
    throw new Error(`capabilities.add (${selection.add.map((c) => c.id).join(', ')}) cannot reach worker threads; pass them as plugins (module paths), or use workers: 1`);
  }
  return report(parsed, await streamSynthAsync(parsed.spec, outDir, { ...stream, cacheProbe, verdicts, workers }));
}

/** The default cache folder of an output folder. */
export function defaultCacheDir(outDir: string): string {
  return path.join(outDir, KPROD_DIR, 'cache');
}

function streamOptions(outDir: string, options: SynthOptions, capabilities: readonly Capability[]): StreamSynthOptions {
  const cacheDir = options.cache === false ? undefined : (options.cacheDir ?? defaultCacheDir(outDir));
  return {
    ...options,
    workers: 1,
    // The calling thread builds with the resolved set; worker threads load the same plugins by path
    // (an empty selection is the built-ins: without a ref the synth would stay in this thread).
    capabilities,
    capabilitiesRef: absolutePlugins(options.capabilities ?? {}),
    capabilityKey: options.capabilityKey ?? capabilitySetKey(capabilities),
    cacheDir,
    // The default cache keeps one fleet's entries; a folder the user names may be shared.
    pruneCache: cacheDir !== undefined && options.cacheDir === undefined,
  };
}

function report(parsed: ParseResult, out: StreamSynthResult): SynthReport {
  return {
    ...out.write,
    objects: out.objects,
    files: out.files,
    summary: out.summary,
    changes: changeSummary(out.folders, out.write),
    warnings: parsed.warnings.map(formatIssue),
    built: out.built,
    cached: out.cached,
    threads: out.threads,
    refused: out.refused.map(formatIssue),
    check: out.check,
  };
}
