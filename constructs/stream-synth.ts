/**
 * The synth the CLI, `synth` and `synthAsync` run: clusters are built one at a time (or a few, on
 * worker threads), each cluster's files are compared with the output folder and staged as soon
 * as the cluster is built, and only small per-cluster records are kept (paths, object counts,
 * summary lines). Each environment's `argocd/` folder is the union of the clusters' Applications
 * (built with their cluster) and the root. Peak memory therefore follows the largest cluster and
 * the worker count, not the fleet. Atomicity and the prune guard are TreeWriter's (nothing in the
 * output folder changes before every cluster was built and the guard passed).
 */
import * as path from 'node:path';
import { TreeWriter, type WriteOptions, type WriteResult } from '../lib/gitops';
import type { FileGroup, FileState } from '../lib/gitops/tree-writer';
import { layout } from '../lib/gitops/layout';
import { readFolder, treeOnDisk } from '../lib/gitops/read-tree';
import { clusterArgocdMoveIssues } from '../lib/day2/argocd-moves';
import { CheckFailedError } from '../lib/check/check-failed-error';
import { formatReport, type CheckFailure, type CheckReport, type CheckUnevaluated } from '../lib/check/report';
import { formatIssue, OptionError, SpecError, type FleetSpec, type SpecIssue } from '../lib/spec';
import { deepFreeze } from '../lib/spec/freeze';
import { environmentReadmeFile, rootArgocdFiles, type CapabilityInput } from './fleet';
import type { IndexRow } from '../lib/report/environment-readme';
import { buildTask, loadCapabilities, runPool, type CapabilitiesRef, type ClusterUnit, type Task } from './parallel-synth';
import { addTriples, countFile, countTriples, type FolderCounts } from './change-summary';
import { startCacheProbe, type CacheProbe, type ProbeAnswer } from './cache-probe';
import { keptRunsOf } from '../lib/gitops/owned-record';
import { cachedFiles, clusterCacheKeys, readEntry, storeVerdicts, SynthCache, type CacheKeyInputs } from './synth-cache';
import type { KnownCluster } from '../lib/spec/known-clusters';

export interface StreamSynthOptions extends WriteOptions, CacheKeyInputs {
  /**
   * Threads that build clusters: 1 builds every cluster in the calling thread; N > 1 starts N
   * worker threads while the calling thread compares, stages and records what they send. @default 1
   */
  readonly workers?: number;
  /**
   * How worker threads load the capabilities: a module, or a selection whose plugins are module
   * paths (functions cannot be sent to threads). @default the built-ins
   */
  readonly capabilitiesRef?: CapabilitiesRef;
  /** The resolved capabilities for the calling thread. @default loaded from capabilitiesRef */
  readonly capabilities?: readonly CapabilityInput[];
  /** Cluster cache folder (synth-cache.ts); none disables the cache. @default none */
  readonly cacheDir?: string;
  /** The probe of the cache (cache-probe.ts) that synth() started before it validated the spec. @default started here */
  readonly cacheProbe?: CacheProbe;
  /** Verdicts of the clusters validated now, by cache key (lib/spec/known-clusters.ts), stored with the entries. @default none */
  readonly verdicts?: ReadonlyArray<readonly [key: string, verdict: KnownCluster]>;
  /** Delete cache entries this synth did not use. @default false */
  readonly pruneCache?: boolean;
  /**
   * Build only this cluster (`<env>/<cluster>`): its folders are brought up to date, nothing else
   * in the output folder (other clusters, the environment's `argocd/`) is touched. @default all
   */
  readonly only?: string;
  /** Called after each cluster (built or taken from the cache). */
  readonly onProgress?: (done: number, total: number) => void;
  /**
   * Run kprod check on every cluster as it is built (its `cluster/` folder on disk is the previous
   * state for the update rules); a failure stops the synth before anything is written, a dry run
   * reports it. Cached clusters were checked when they were built. @default false
   */
  readonly check?: boolean;
}

export interface StreamSynthResult {
  write: WriteResult;
  objects: number;
  files: number;
  summary: string[];
  /** Produced files per cluster and folder (for the change summary). */
  folders: FolderCounts;
  /** Clusters built / taken from the cache. */
  built: number;
  cached: number;
  /** Threads that built the clusters: 1 for the calling thread alone, else the worker threads (1 when none was built). */
  threads: number;
  /** Transitions the live fleet would refuse (lib/day2/transitions.ts); a dry run reports them, a synth throws. */
  refused: SpecIssue[];
  /** kprod check lines (failures, then unevaluated) when `check` is on; a synth with failures throws CheckFailedError. */
  check: string[];
}

interface ClusterRecord {
  objects: number;
  summary: string[];
  chartRepos: string[];
  /** Its row on the environment's index page (none with `only`, which writes no index). */
  indexRow: IndexRow;
}

/** kprod check (schemas, CEL, webhooks) is loaded only by a synth with `check` on: it is a third of the module loading. */
function checkFilesLazily(): typeof import('../lib/check/check').checkFiles {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../lib/check/check') as typeof import('../lib/check/check')).checkFiles;
}

/** Shared between the synchronous and the threaded run: everything but how clusters are built. */
class FleetStream {
  readonly tasks: Task[] = [];
  private readonly toBuild: Task[] = [];
  private readonly records: ClusterRecord[] = [];
  private readonly keys: string[] = [];
  private readonly cache: SynthCache | undefined;
  private readonly writer: TreeWriter;
  private readonly probe: CacheProbe | undefined;
  private done = 0;
  private readonly refused: SpecIssue[] = [];
  private readonly folders: FolderCounts = new Map();
  private readonly checked = { objects: 0, failed: 0, failures: [] as CheckFailure[], unevaluated: [] as CheckUnevaluated[] };
  /** The tree on disk, for the Argo CD layout moves (lib/day2/argocd-moves.ts). */
  private readonly previousTree: ReturnType<typeof treeOnDisk>;
  built = 0;
  cached = 0;

  constructor(
    private readonly fleet: FleetSpec,
    private readonly outDir: string,
    private readonly options: StreamSynthOptions,
  ) {
    fleet.environments.forEach((env, e) =>
      env.clusters.forEach((cluster, c) => {
        if (options.only && options.only !== `${env.name}/${cluster.name}`) return;
        this.tasks.push({ seq: this.tasks.length, env: e, cluster: c, argocd: !options.only });
      }),
    );
    if (options.only && this.tasks.length === 0) {
      const known = fleet.environments.flatMap((e) => e.clusters.map((c) => `${e.name}/${c.name}`));
      throw new OptionError(`--only ${options.only}: no such cluster; one of ${known.join(', ')}`);
    }
    this.previousTree = treeOnDisk(outDir);
    // A one-cluster look builds without the cache: its entries would lack the Argo CD share.
    this.cache = options.cacheDir && !options.only ? new SynthCache(options.cacheDir, `${path.resolve(outDir)}.kprod-cache-${process.pid}`) : undefined;
    // synth() starts the probe before it validates the spec; called directly, the parsed spec is the input keyed.
    const given = options.cacheProbe;
    if (this.cache) {
      const keys = given && given.keys.length === this.tasks.length ? undefined : clusterCacheKeys(fleet, options);
      this.probe = keys ? startCacheProbe(this.cache.dir, outDir, keys) : given;
      this.probe?.keys.forEach((key, seq) => (this.keys[seq] = key));
    }
    if (given && given !== this.probe) given.cancel();
    try {
      this.writer = new TreeWriter(outDir, {
        ...options,
        environments: fleet.environments.map((e) => e.name),
        recordState: !!this.cache && !options.dryRun,
        trustedRecord: this.cache?.recordState(outDir),
        scope: options.only ? `${options.only}/` : undefined,
      });
    } catch (e) {
      this.probe?.cancel();
      throw e;
    }
    // Over an existing tree, each cluster is compared with it where it is built.
    if (!this.writer.startedEmpty) {
      const against = { outDir: path.resolve(outDir), stripUnchanged: !options.check };
      for (const task of this.tasks) task.against = against;
    }
  }

  /**
   * Takes what the cache can give; returns the tasks still to build, in fleet order. Clusters with
   * no cache entry at all (their spec changed) are known before the probe answers: `early` builds
   * them meanwhile, while the probe's helpers still stat files, when there are at most `early.max`.
   */
  plan(early?: { build: (tasks: Task[]) => void; max: number }): Task[] {
    const probe = this.probe;
    if (!probe) return this.tasks;
    const builtEarly = new Set<number>();
    if (early) {
      const absent = this.tasks.filter((t) => !probe.hasEntry(t.seq));
      if (absent.length && absent.length <= early.max) {
        early.build(absent);
        for (const t of absent) builtEarly.add(t.seq);
      }
    }
    this.cache?.use(this.keys);
    // Answers that came in meanwhile are taken while the helpers probe the rest.
    const take = (answers: ProbeAnswer[]) => {
      for (const [seq, entry] of answers) {
        // No entry, or one whose files changed on disk: built.
        if (!entry) {
          if (!builtEarly.has(seq)) this.toBuild.push(this.tasks[seq]);
          continue;
        }
        // A run the probe sent without its text (it matched the record by digest) that the writer needs after all: read it here.
        if (!this.writer.keep(entry.files)) {
          const full = this.cache && readEntry(this.cache.dir, this.keys[seq]);
          if (!full || !this.writer.keep(keptRunsOf(full.files.sorted, full.files.runs))) {
            this.toBuild.push(this.tasks[seq]);
            continue;
          }
        }
        addTriples(this.folders, entry.folders);
        this.records[seq] = { objects: entry.objects, summary: entry.summary, chartRepos: entry.chartRepos, indexRow: entry.indexRow };
        this.cached++;
        this.progress();
      }
    };
    take(probe.poll());
    probe.wait(take);
    // Built in fleet order.
    return this.toBuild.sort((a, b) => a.seq - b.seq);
  }

  /** Builds `tasks` in the calling thread, one cluster at a time. */
  buildHere(tasks: readonly Task[], capabilities: readonly CapabilityInput[]): void {
    freezeForBuild(this.fleet, tasks);
    for (const task of tasks) this.accept(task, buildTask(this.fleet, task, capabilities));
  }

  private progress(): void {
    this.options.onProgress?.(++this.done, this.tasks.length);
  }

  /** One built cluster: its files go to the writer now; only the small record is kept. */
  accept(task: Task, unit: ClusterUnit): void {
    this.checkTransition(task, unit);
    const states: FileGroup = { paths: [], sizes: [], mtimes: [] };
    const folders: FolderCounts = new Map();
    const record = (rel: string, state: FileState | undefined) => {
      countFile(folders, rel);
      if (!state) return;
      states.paths.push(rel);
      states.sizes.push(state.size);
      states.mtimes.push(state.mtimeMs);
    };
    for (const [rel, content] of unit.files) record(rel, this.writer.add(rel, content));
    for (const [rel, content] of unit.argocdFiles ?? []) record(rel, this.writer.add(rel, content));
    // Files the building thread found equal to the disk: path and state only.
    const same = unit.unchanged;
    same?.paths.forEach((rel, i) => record(rel, this.writer.addUnchanged(rel, { size: same.sizes[i], mtimeMs: same.mtimes[i] })));
    const produced = unit.files.length + (unit.argocdFiles?.length ?? 0) + (same?.paths.length ?? 0);
    const objects = unit.objects + (unit.argocdPaths?.length ?? 0);
    const chartRepos = unit.chartRepos ?? [];
    const indexRow = unit.indexRow ?? [];
    this.records[task.seq] = { objects, summary: unit.summary, chartRepos, indexRow };
    addTriples(this.folders, countTriples(folders));
    if (this.cache && this.keys[task.seq] && !this.options.dryRun && states.paths.length === produced)
      this.cache.stage(this.keys[task.seq], { files: cachedFiles(states), folders: countTriples(folders), objects, summary: unit.summary, chartRepos, indexRow });
    this.built++;
    this.progress();
  }

  /**
   * Day 2: the cluster's new `cluster/` folder against the one on disk (what Argo CD applied). A
   * cached cluster needs no check: its files are the ones on disk.
   */
  private checkTransition(task: Task, unit: ClusterUnit): void {
    if (this.options.check) {
      // With check on, the building thread sends every file's content (against.stripUnchanged is off).
      const env = this.fleet.environments[task.env];
      const previous = readFolder(this.outDir, layout.managementDir(env.name, env.clusters[task.cluster].name));
      this.addCheck(checkFilesLazily()(new Map([...unit.files, ...(unit.argocdFiles ?? [])]), { previous: previous.size ? previous : undefined }));
    }
    // Applications moving to another parent (gitops.argocd.layout) that the old one would prune first.
    if (unit.argocdPaths) this.refused.push(...clusterArgocdMoveIssues(this.fleet, task.env, task.cluster, unit.argocdPaths, this.previousTree));
    // The update rules ran where the cluster was built (against-disk.ts); none on a first synth.
    this.refused.push(...(unit.transitionIssues ?? []));
  }

  private addCheck(report: CheckReport): void {
    this.checked.objects += report.objects;
    this.checked.failed += report.failed;
    this.checked.failures.push(...report.failures);
    this.checked.unevaluated.push(...report.unevaluated);
  }

  finish(threads = 1): StreamSynthResult {
    // Refused transitions stop a real synth before anything is written; a dry run reports them.
    // One per problem: every cluster of an environment reports the same layout move issue.
    const refused = [...new Map(this.refused.map((i) => [formatIssue(i), i])).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (refused.length && !this.options.dryRun) throw new SpecError(refused);
    let objects = 0;
    for (const r of this.records) objects += r.objects;
    if (!this.options.only)
      this.fleet.environments.forEach((environment, e) => {
        const own = this.tasks.filter((t) => t.env === e).map((t) => this.records[t.seq]);
        const repos = new Set(own.flatMap((r) => r.chartRepos));
        const root = rootArgocdFiles(environment, [...repos].sort());
        // The environment's root Application and projects are checked like every cluster's files.
        if (this.options.check) this.addCheck(checkFilesLazily()(new Map(root)));
        for (const [rel, content] of root) {
          this.writer.add(rel, content);
          countFile(this.folders, rel);
          objects++;
        }
        // The reviewer index page: a plain file (no object), applied by no Application.
        const [readme, text] = environmentReadmeFile(this.fleet, e, own.map((r) => r.indexRow));
        this.writer.add(readme, text);
        countFile(this.folders, readme);
      });
    if (this.checked.failed && !this.options.dryRun) throw new CheckFailedError(this.checked);
    const write = this.writer.commit();
    // Entries are stored only once the files they describe are in place, and the clock is past their mtimes.
    if (this.cache && !this.options.dryRun) {
      if (this.writer.statesSettled) this.cache.publish();
      else this.cache.discard();
      if (this.options.verdicts) {
        this.cache.use(this.options.verdicts.map(([key]) => key));
        storeVerdicts(this.cache.dir, this.options.verdicts);
      }
      this.cache.storeRecordState(this.outDir, this.writer.committedRecord);
      if (this.options.pruneCache && !this.options.only) this.cache.prune();
    }
    return {
      write,
      objects,
      files: this.writer.producedCount,
      summary: this.records.flatMap((r) => r.summary),
      folders: this.folders,
      built: this.built,
      cached: this.cached,
      threads,
      refused,
      check: this.options.check ? formatReport(this.checked) : [],
    };
  }

  abort(): void {
    this.probe?.cancel();
    this.writer.abort();
    this.cache?.discard();
  }
}

/**
 * Freezes what capabilities can reach while `tasks` are built in this thread: the fleet- and
 * environment-level settings, the lists of environments and clusters, and the clusters built. The
 * specs of cached clusters stay as parsed: no capability reads them (synth() parses unfrozen, as
 * freezing a whole large fleet costs more than an everyday synth's build). Worker threads freeze
 * their own copy.
 */
function freezeForBuild(fleet: FleetSpec, tasks: readonly Task[]): void {
  const frozenExcept = (value: object, key: string) => {
    Object.freeze(value);
    for (const [k, v] of Object.entries(value)) if (k !== key) deepFreeze(v);
  };
  frozenExcept(fleet, 'environments');
  Object.freeze(fleet.environments);
  for (const env of fleet.environments) {
    frozenExcept(env, 'clusters');
    Object.freeze(env.clusters);
  }
  for (const t of tasks) deepFreeze(fleet.environments[t.env].clusters[t.cluster]);
}

/** Streaming synth in the calling thread. */
export function streamSynth(fleet: FleetSpec, outDir: string, options: StreamSynthOptions = {}): StreamSynthResult {
  const stream = new FleetStream(fleet, outDir, options);
  try {
    const capabilities = options.capabilities ?? loadCapabilities(options.capabilitiesRef);
    stream.buildHere(stream.plan({ build: (tasks) => stream.buildHere(tasks, capabilities), max: Infinity }), capabilities);
    return stream.finish();
  } finally {
    stream.abort();
  }
}

/** Streaming synth with the clusters to build spread over `options.workers` threads. */
export async function streamSynthAsync(fleet: FleetSpec, outDir: string, options: StreamSynthOptions = {}): Promise<StreamSynthResult> {
  const threads = options.workers ?? 1;
  // In-process capability objects cannot reach workers: without a ref they are built here.
  if (threads <= 1 || (options.capabilities && !options.capabilitiesRef)) return streamSynth(fleet, outDir, options);
  const stream = new FleetStream(fleet, outDir, options);
  try {
    let capabilities: readonly CapabilityInput[] | undefined;
    const here = (tasks: Task[]) => stream.buildHere(tasks, (capabilities ??= options.capabilities ?? loadCapabilities(options.capabilitiesRef)));
    // One cluster to build (an everyday change with the cache): a worker's start-up would cost more than the build.
    const tasks = stream.plan({ build: here, max: 1 });
    if (tasks.length <= 1) {
      here(tasks);
      return stream.finish(1);
    }
    const used = Math.min(threads, tasks.length);
    await runPool(fleet, tasks, used, options.capabilitiesRef, (task, unit) => stream.accept(task, unit));
    return stream.finish(used);
  } finally {
    stream.abort();
  }
}
