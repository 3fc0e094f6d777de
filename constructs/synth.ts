import * as os from 'node:os';
import { clusterDirOf, writeTree, type WriteOptions, type WriteResult } from '../lib/gitops';
import { formatIssue, loadSpecFile, parseFleet, type FleetInput, type FleetSpec, type ParseResult } from '../lib/spec';
import { synthFleet, type SynthOutput } from './fleet';
import { synthSpecParallel } from './parallel-synth';

export interface SynthOptions extends WriteOptions {
  /** Output folder. @default "dist" */
  readonly outDir?: string;
  /**
   * Threads for `synthAsync` (the calling thread included); clusters are spread over them.
   * Starting a worker costs about half a second, so small fleets stay on one thread
   * (docs/benchmark.md). @default min(cores, clusters) for fleets of AUTO_WORKERS_FROM clusters or more, else 1
   */
  readonly workers?: number;
}

export interface SynthReport extends WriteResult {
  objects: number;
  files: number;
  /** Capability summary lines (sizes, allocatable, add-ons). */
  summary: string[];
  /** Per cluster: objects per folder and files added / changed / removed against the previous tree. */
  changes: string[];
  warnings: string[];
}

/** `<env>/<cluster>` and the folder below it (`cluster`, `addons/x`, `tenants/y`, `argocd`). */
function locate(file: string): { cluster: string; folder: string } {
  const parts = file.split('/');
  // Files of the environment itself (the reviewer page <env>/README.md).
  if (parts.length === 2) return { cluster: parts[0], folder: parts[1] };
  const folder = parts[1] === 'argocd' ? 'argocd' : parts[2] === 'addons' || parts[2] === 'tenants' ? `${parts[2]}/${parts[3]}` : parts[2];
  return { cluster: clusterDirOf(file), folder };
}

export function changeSummary(files: ReadonlyMap<string, string>, result: WriteResult): string[] {
  const clusters = new Map<string, { folders: Map<string, number>; added: number; changed: number; removed: number }>();
  const entry = (file: string) => {
    const { cluster, folder } = locate(file);
    let c = clusters.get(cluster);
    if (!c) clusters.set(cluster, (c = { folders: new Map(), added: 0, changed: 0, removed: 0 }));
    return { c, folder };
  };
  for (const file of files.keys()) {
    const { c, folder } = entry(file);
    c.folders.set(folder, (c.folders.get(folder) ?? 0) + 1);
  }
  for (const f of result.added) entry(f).c.added++;
  for (const f of result.changed) entry(f).c.changed++;
  for (const f of result.deleted) entry(f).c.removed++;
  return [...clusters.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([cluster, c]) => {
      const folders = [...c.folders.entries()].map(([f, n]) => `${f} ${n}`).join(', ');
      return `${cluster}: ${folders || 'no files'}; +${c.added} ~${c.changed} -${c.removed}`;
    });
}

/**
 * Validates a fleet (a spec object or a spec file path), synthesizes it and brings `outDir` up to
 * date. Invalid input throws SpecError before anything is written.
 */
export function synth(spec: FleetInput | string, options: SynthOptions = {}): SynthReport {
  const parsed: ParseResult = typeof spec === 'string' ? loadSpecFile(spec) : parseFleet(spec);
  return write(parsed, synthFleet(parsed.spec), options);
}

/**
 * Fleets with at least this many clusters are synthesized on every core unless `workers` is given:
 * on 2 cores the second thread breaks even at about 16 clusters (worker start-up, ~0.7 s CPU) and
 * saves 15 % at 24, 10-30 % from 50 clusters on (docs/benchmark.md).
 */
export const AUTO_WORKERS_FROM = 20;

/** Threads used when `workers` is not given: all cores for a large fleet, one thread otherwise. */
export function defaultWorkers(fleet: FleetSpec): number {
  const clusters = fleet.environments.reduce((n, e) => n + e.clusters.length, 0);
  return clusters >= AUTO_WORKERS_FROM ? Math.min(os.availableParallelism(), clusters) : 1;
}

/** `synth` with the clusters spread over `options.workers` threads; byte-identical output. */
export async function synthAsync(spec: FleetInput | string, options: SynthOptions = {}): Promise<SynthReport> {
  const parsed: ParseResult = typeof spec === 'string' ? loadSpecFile(spec) : parseFleet(spec);
  const out = await synthSpecParallel(parsed.spec, { workers: options.workers ?? defaultWorkers(parsed.spec) });
  return write(parsed, out, options);
}

function write(parsed: ParseResult, out: SynthOutput, options: SynthOptions): SynthReport {
  const result = writeTree(options.outDir ?? 'dist', out.files, options);
  return {
    ...result,
    objects: out.objects,
    files: out.files.size,
    summary: out.summary,
    changes: changeSummary(out.files, result),
    warnings: parsed.warnings.map(formatIssue),
  };
}
