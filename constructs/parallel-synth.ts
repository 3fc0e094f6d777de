/**
 * Synthesizes a fleet on several cores: every cluster is its own cdk8s App (see synthCluster), so
 * clusters are independent units of work for worker threads. The output is byte-identical to
 * synthFleet: the same files (sorted by path), summary lines in environment/cluster order and the
 * same object count. Workers get the validated spec as plain data and never validate again.
 */
import * as os from 'node:os';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { FleetInput, FleetSpec, SpecIssue } from '../lib/spec';
import { SpecError } from '../lib/spec/errors';
import { deepFreeze } from '../lib/spec/freeze';
import { absolutePlugins, resolveCapabilities, type CapabilitySelection } from './capabilities/selection';
import { compareWithDisk, type AgainstDisk, type DiskComparison } from './against-disk';
import { startModuleWorker } from './module-worker';
import { clusterIndexRow, type IndexRow } from '../lib/report/environment-readme';
import { CAPABILITIES, chartReposOf, clusterArgocdFiles, clusterReadmeFile, mergeFleet, synthClusterFiles, synthFleet, type CapabilityInput, type ClusterFiles, type SynthOutput } from './fleet';

export { argocdManifests, clusterManifests, synthClusterFiles, type ClusterFiles, type ClusterManifests, type FolderManifests } from './fleet';

export interface ParallelSynthOptions {
  /**
   * Threads that build clusters: N > 1 starts N workers (the calling thread builds only until the
   * first is ready). 0 or 1 synthesizes in the calling thread alone (synthFleet). Never more than
   * the number of clusters.
   * @default os.availableParallelism()
   */
  readonly workers?: number;
  /**
   * Capabilities to build instead of CAPABILITIES: a selection (built-ins plus `plugins` modules,
   * minus `remove`), or a module path and export name of a whole set. Functions cannot be sent to
   * worker threads, so every worker loads the modules itself; a selection's in-process `add`
   * objects are refused with more than one thread.
   * @default CAPABILITIES of constructs/fleet.ts
   */
  readonly capabilities?: CapabilitiesModule | CapabilitySelection;
}

/** Where worker threads load a `Capability[]` from. */
export interface CapabilitiesModule {
  /** Absolute path of the module. */
  readonly module: string;
  /** Name of the exported array. @default "CAPABILITIES" */
  readonly exportName?: string;
}

/** Capabilities by module (CAPABILITIES-style array export) or by selection (built-ins plus plugin modules). */
export type CapabilitiesRef = CapabilitiesModule | CapabilitySelection | undefined;

export function loadCapabilities(ref: CapabilitiesRef): readonly CapabilityInput[] {
  if (!ref) return CAPABILITIES;
  if (!('module' in ref)) return resolveCapabilities(ref);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const caps = require(ref.module)[ref.exportName ?? 'CAPABILITIES'];
  if (!Array.isArray(caps)) throw new Error(`${ref.module} does not export a Capability[] named ${ref.exportName ?? 'CAPABILITIES'}`);
  return caps as CapabilityInput[];
}

export interface ParallelSynthOutput extends SynthOutput {
  /** Spec warnings (only when the input was validated here). @default [] */
  warnings: SpecIssue[];
}

/** Work item: one cluster, addressed by position so the result can be put back in order. */
export interface Task {
  seq: number;
  env: number;
  cluster: number;
  /** Also serialize the cluster's Applications of `<env>/argocd/` (the streaming synth). @default false */
  argocd?: boolean;
  /** Compare the built cluster with the output folder where it is built (against-disk.ts). @default none */
  against?: AgainstDisk;
}

/** One cluster's output, with its share of the Argo CD folder when the task asked for it. */
export interface ClusterUnit extends ClusterFiles, Partial<DiskComparison> {
  argocdFiles?: Array<[string, string]>;
  /** Paths of the cluster's share of `<env>/argocd/` (all of them, also those `argocdFiles` lost to the disk comparison). */
  argocdPaths?: string[];
  /** Chart repositories of the cluster's Helm Applications, for the environment's platform project. */
  chartRepos?: string[];
  /** The cluster's row on its environment's index page. */
  indexRow?: IndexRow;
}

interface TaskResult {
  seq: number;
  result?: ClusterUnit;
  error?: { message: string; stack?: string; issues?: SpecIssue[] };
}

/** Builds one task's cluster (in any thread). */
export function buildTask(fleet: FleetSpec, task: Task, capabilities: readonly CapabilityInput[]): ClusterUnit {
  const result: ClusterUnit = synthClusterFiles(fleet, task.env, task.cluster, capabilities);
  const environment = fleet.environments[task.env];
  const argocd = clusterArgocdFiles(environment, environment.clusters[task.cluster].name, result.gitopsFolders, result.applications);
  // The reviewer page is one of the cluster's files (--only writes it too); its sync order reads the Applications.
  result.files.push(clusterReadmeFile(fleet, task.env, task.cluster, argocd.manifests));
  if (task.argocd) {
    result.argocdFiles = argocd.files;
    result.argocdPaths = argocd.files.map(([rel]) => rel);
    result.chartRepos = chartReposOf(result.applications);
    result.indexRow = clusterIndexRow(fleet, environment.clusters[task.cluster]);
  }
  if (task.against) Object.assign(result, compareWithDisk(fleet, task.env, task.cluster, result.files, result.argocdFiles, task.against));
  return result;
}

const WORKER_MARK = 'kprodParallelSynth';

/** What a worker posts once it has loaded kprod and the capabilities. */
const READY = 'ready';

/**
 * Old-generation heap limit of a worker thread, in MiB. One cluster's build keeps a few tens of
 * MiB alive; without a limit V8 lets a busy thread's heap grow far past that before collecting,
 * which is what made the peak memory of a large fleet grow with the fleet. A worker that runs out
 * is replaced by one with twice the limit and its clusters are built again, so a very large
 * cluster costs a restart, never the synth. From TypeScript sources (tests) the worker also holds
 * the TypeScript compiler, hence more.
 */
export const WORKER_HEAP_MB = __filename.endsWith('.js') ? 256 : 1024;
const MAX_WORKER_HEAP_MB = 16_384;

/** Starts a worker running this module (module-worker.ts). */
function startWorker(fleet: FleetSpec, capabilities: CapabilitiesRef, heapMb: number): Worker {
  return startModuleWorker(__filename, { [WORKER_MARK]: true, fleet, capabilities }, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
}

export interface PoolOptions {
  /** Heap limit of each worker at start (doubled for a worker that runs out). @default WORKER_HEAP_MB */
  readonly workerHeapMb?: number;
  /** The calling thread builds clusters until the first worker is ready. @default true */
  readonly callingThreadBuilds?: boolean;
}

export interface PoolStats {
  /** Workers replaced after running out of heap. */
  readonly workerRestarts: number;
}

/** One worker and the clusters it holds (at most two: one building, one queued). */
interface Slot {
  readonly worker: Worker;
  readonly heapMb: number;
  readonly inFlight: Map<number, Task>;
}

/**
 * Runs every task on `threads` worker threads. The calling thread writes what they send (each
 * result is handed to `onResult` as it arrives, in any order, and can be released after it) and
 * builds clusters itself only until the first worker is ready, so its heap stays small. Workers
 * hold at most two clusters at a time (the next one is queued while a result travels back).
 */
export function runPool(
  fleet: FleetSpec,
  tasks: Task[],
  threads: number,
  capabilities: CapabilitiesRef,
  onResult: (task: Task, result: ClusterUnit) => void,
  options: PoolOptions = {},
): Promise<PoolStats> {
  return new Promise((resolve, reject) => {
    const queue = [...tasks];
    const slots = new Set<Slot>();
    let done = 0;
    let ready = 0;
    let workerRestarts = 0;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      for (const slot of slots) void slot.worker.terminate();
      if (error) reject(error);
      else resolve({ workerRestarts });
    };
    const complete = (task: Task, result: ClusterUnit) => {
      if (settled) return;
      try {
        onResult(task, result);
      } catch (e) {
        return finish(e);
      }
      if (++done === tasks.length) finish();
    };
    if (tasks.length === 0) return finish();
    const dispatch = (slot: Slot) => {
      const task = queue.shift();
      if (!task) return;
      slot.inFlight.set(task.seq, task);
      slot.worker.postMessage(task);
    };
    const start = (heapMb: number) => {
      const slot: Slot = { worker: startWorker(fleet, capabilities, heapMb), heapMb, inFlight: new Map() };
      slots.add(slot);
      slot.worker.on('message', (msg: TaskResult | typeof READY) => {
        if (msg === READY) {
          ready++;
          return;
        }
        if (msg.error) {
          // Spec errors found while building (e.g. a patch target that does not exist) stay SpecErrors.
          const err = msg.error.issues ? new SpecError(msg.error.issues) : new Error(msg.error.message);
          err.stack = msg.error.stack;
          return finish(err);
        }
        const task = slot.inFlight.get(msg.seq)!;
        slot.inFlight.delete(msg.seq);
        complete(task, msg.result!);
        dispatch(slot);
      });
      slot.worker.on('error', (err: Error & { code?: string }) => {
        if (err.code !== 'ERR_WORKER_OUT_OF_MEMORY' || slot.heapMb >= MAX_WORKER_HEAP_MB || settled) return finish(err);
        // Its clusters go back to the front of the queue, for a worker with twice the heap.
        slots.delete(slot);
        queue.unshift(...slot.inFlight.values());
        workerRestarts++;
        start(slot.heapMb * 2);
      });
      slot.worker.on('exit', (code) => {
        if (code !== 0 && slots.has(slot)) finish(new Error(`synth worker exited with code ${code}`));
      });
      dispatch(slot);
      dispatch(slot);
    };
    for (let i = 0; i < threads; i++) start(options.workerHeapMb ?? WORKER_HEAP_MB);

    let here: readonly CapabilityInput[];
    try {
      here = loadCapabilities(capabilities);
    } catch (e) {
      return finish(e);
    }
    // Until a worker is ready, the calling thread builds (one cluster at a time, yielding so that
    // worker messages and errors are received).
    const workHere = () => {
      if (settled || ready > 0 || queue.length === 0 || options.callingThreadBuilds === false) return;
      const task = queue.shift()!;
      let result: ClusterUnit;
      try {
        result = buildTask(fleet, task, here);
      } catch (e) {
        return finish(e);
      }
      complete(task, result);
      setImmediate(workHere);
    };
    setImmediate(workHere);
  });
}

/** Parallel synthFleet for an already validated spec. */
export async function synthSpecParallel(fleet: FleetSpec, options: ParallelSynthOptions = {}): Promise<SynthOutput> {
  const tasks: Task[] = [];
  fleet.environments.forEach((env, e) => env.clusters.forEach((_, c) => tasks.push({ seq: tasks.length, env: e, cluster: c })));
  const threads = Math.min(options.workers ?? os.availableParallelism(), tasks.length);
  if (threads <= 1) return synthFleet(fleet, loadCapabilities(options.capabilities));
  const ref = options.capabilities;
  if (ref && !('module' in ref) && ref.add?.length)
    throw new Error(`capabilities.add (${ref.add.map((c) => c.id).join(', ')}) cannot reach worker threads; pass them as plugins (module paths), or use workers: 1`);
  const flat: ClusterFiles[] = new Array(tasks.length);
  await runPool(fleet, tasks, threads, ref && !('module' in ref) ? absolutePlugins(ref) : ref, (task, result) => (flat[task.seq] = result));
  const byEnv: ClusterFiles[][] = fleet.environments.map(() => []);
  tasks.forEach((t) => byEnv[t.env].push(flat[t.seq]));
  return mergeFleet(fleet, byEnv);
}

/**
 * Validates a fleet (a spec object or a spec file path) and synthesizes it on worker threads.
 * Invalid input rejects with SpecError before any worker starts.
 */
export async function synthFleetParallel(input: FleetInput | string, options: ParallelSynthOptions = {}): Promise<ParallelSynthOutput> {
  // Loaded here, not at the top: workers load this module too and never validate (zod is costly to load).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { loadSpecFile, parseFleet } = require('../lib/spec') as typeof import('../lib/spec');
  const parsed = typeof input === 'string' ? loadSpecFile(input) : parseFleet(input);
  const out = await synthSpecParallel(parsed.spec, options);
  return { ...out, warnings: parsed.warnings };
}

/** Worker side: synthesize the clusters the main thread sends, one message per cluster. */
function serveTasks(): void {
  // Structured clone drops the freeze; restore it so capabilities see the same frozen spec.
  const fleet = deepFreeze(workerData.fleet as FleetSpec);
  const capabilities = loadCapabilities(workerData.capabilities as CapabilitiesRef);
  parentPort!.postMessage(READY);
  parentPort!.on('message', (task: Task) => {
    let reply: TaskResult;
    try {
      reply = { seq: task.seq, result: buildTask(fleet, task, capabilities) };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { seq: task.seq, error: { message: err.message, stack: err.stack, issues: err instanceof SpecError ? [...err.issues] : undefined } };
    }
    parentPort!.postMessage(reply);
  });
}

if (!isMainThread && workerData && (workerData as Record<string, unknown>)[WORKER_MARK]) serveTasks();
