/**
 * The first step of an incremental synth: for every cluster's cache key, its entry, if there is one
 * and every file it lists still has the size and mtime recorded when kprod wrote it (as git's index
 * trusts a file unread). At 1000 clusters that is 736 000 stats, most of an everyday synth, so it
 * starts before the spec is validated (the keys come from the input, synth-cache.ts) and, from
 * HELPERS_FROM clusters on, runs on helper threads (one per core but the caller's) while the calling
 * thread validates.
 *
 * The keys are probed in chunks that the helpers take from a shared counter; once the calling
 * thread has validated the spec (and built any cluster that has no entry at all), it takes chunks
 * too, so no core idles while files are left to stat. It waits for the helpers' last chunks on a
 * shared counter, bounded: a chunk a helper failed or did not post in time is probed by the
 * calling thread.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import { startModuleWorker } from './module-worker';
import { keptRunsOf, stillAsWritten, type KeptRuns } from '../lib/gitops/owned-record';
import { OWNED_FILE } from '../lib/gitops/ownership';
import { entryFile, readEntry, readRecordState, type CacheEntry, type CachedFiles } from './synth-cache';

/** Below this many clusters the probe runs in `wait()`: starting a helper (~30 ms) costs more than it saves. */
export const HELPERS_FROM = 50;
/**
 * Helper threads: one per core but the calling thread's, which validates meanwhile and then takes
 * chunks too. On 2 cores one helper beat two (A/B runs on the 1000-cluster tree, 2026-12-02:
 * 4.95 s against 5.07 s, 0.35 s less CPU, 30 MiB less peak): a third thread only competes.
 */
const HELPERS = Math.min(3, Math.max(1, os.availableParallelism() - 1));
/**
 * A helper's young generation, in MB (Worker `resourceLimits`). What a helper allocates is garbage at
 * once but for a chunk's answers (a `Stats` object per file, an entry's text per cluster), so V8's
 * default (up to 2 × 16 MB semi-spaces) only costs fresh pages, ~20 µs each to fault in on the
 * 2-core VM: A/B on the 1000-cluster tree (2026-12-02), 6 MB against the default: 7 000 fewer page
 * faults, 27 MB less peak, 2.97–3.10 s against 3.09–3.32 s (6 runs each, interleaved).
 */
const HELPER_YOUNG_MB = 6;
/** Keys per chunk: what a thread takes at a time, and what a helper posts at once. */
const CHUNK = 25;
/**
 * The last TAIL_KEYS keys go in chunks of TAIL_CHUNK, so that the thread that runs out of chunks
 * first waits for at most a small one of the other's: with chunks of 25 alone (~100 ms of stats
 * each at 736 files per cluster) the calling thread waited 14 to 115 ms for a helper's last one.
 */
const TAIL_KEYS = 100;
const TAIL_CHUNK = 5;
/** How long the calling thread waits for the helpers' last chunks before probing them itself. */
const HELPER_TIMEOUT_MS = 60_000;
const PROBE_MARK = 'kprodCacheProbe';

/**
 * A usable entry as the probe answers: the file states were checked, so they are left out
 * (thousands of numbers to copy between threads), and so is the text of every run that matches the
 * ownership record's block by digest (a cluster's folder, most of the paths).
 */
export type ProbedEntry = Omit<CacheEntry, 'files'> & { files: KeptRuns };

const STAT_OPTIONS = { throwIfNoEntry: false } as const;

/** Whether every file of a cached cluster still has its recorded size and mtime below `root` (which ends in "/"). */
function unchangedOnDisk(root: string, files: CachedFiles): boolean {
  const { sorted, sizes, mtimes } = files;
  let i = 0;
  for (let at = 0; at < sorted.length; i++) {
    const end = sorted.indexOf('\n', at);
    const s = fs.statSync(root + sorted.slice(at, end), STAT_OPTIONS);
    if (!s || s.size !== sizes[i] || s.mtimeMs !== mtimes[i]) return false;
    at = end + 1;
  }
  return i === sizes.length;
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, STAT_OPTIONS);
  } catch {
    return undefined;
  }
}

/**
 * The digests of the ownership record's blocks, when the cache folder has an index of the record
 * as it stands (its size and mtime unchanged); the synth's TreeWriter decides alike. Never throws.
 */
export function recordDigests(cacheDir: string, outDir: string): ReadonlyMap<string, string> | undefined {
  const state = readRecordState(cacheDir, outDir);
  const now = state?.blocks && statOrUndefined(path.join(outDir, OWNED_FILE));
  return now && stillAsWritten(state, now) ? new Map(state.blocks!.map(([key, , , digest]) => [key, digest])) : undefined;
}

/**
 * A copy of `text` that does not hold on to the string it was cut from. A slice is a view of the
 * entry's whole text (~80 KB at 736 files), so a kept 3 KB run (a cluster's share of the shared
 * `argocd/` block, whose digest never matches) held it alive until the synth's end: 93 KB per
 * answer, 40 MB of survivors on the calling thread at 1000 clusters, which its scavenges copied.
 * Through JSON, which gives every string back exactly (UTF-8 would replace a lone surrogate).
 */
export const ownCopy = (text: string): string => JSON.parse(JSON.stringify(text)) as string;

/** For each key, its entry when present, intact and unchanged on disk (without the texts of runs that match `digests`); else undefined. */
export function probeKeys(cacheDir: string, outDir: string, keys: readonly string[], digests?: ReadonlyMap<string, string>): Array<ProbedEntry | undefined> {
  const root = `${path.resolve(outDir)}/`;
  return keys.map((key) => {
    const entry = readEntry(cacheDir, key);
    if (!entry || !unchangedOnDisk(root, entry.files)) return undefined;
    const { runs, texts } = keptRunsOf(entry.files.sorted, entry.files.runs);
    return { ...entry, files: { runs, texts: texts.map((text, i) => (digests?.get(runs[i][0]) === runs[i][3] ? undefined : text && ownCopy(text))) } };
  });
}

/**
 * Where each chunk of `count` keys starts, then `count`: chunks of CHUNK, and of TAIL_CHUNK for the
 * last TAIL_KEYS keys when there are more. The calling thread and the helpers compute the same.
 */
export function chunkStarts(count: number): number[] {
  const tail = count > TAIL_KEYS ? count - TAIL_KEYS : count;
  const starts: number[] = [];
  for (let at = 0; at < tail; at += CHUNK) starts.push(at);
  for (let at = tail; at < count; at += TAIL_CHUNK) starts.push(at);
  starts.push(count);
  return starts;
}

/** Answers of a probe: the index of a key and its usable entry (undefined: build the cluster). */
export type ProbeAnswer = readonly [index: number, entry: ProbedEntry | undefined];

/** A probe under way. */
export interface CacheProbe {
  /** The keys probed, in the synth's task order. */
  readonly keys: readonly string[];
  /** Whether the cache holds an entry for `keys[index]` at all (a quick look, before the answer). */
  hasEntry(index: number): boolean;
  /** The answers that came in since the last call, without waiting (none when the calling thread probes alone). */
  poll(): ProbeAnswer[];
  /**
   * Hands every answer not yet returned to `take`, chunk by chunk as it comes in: the calling
   * thread probes the chunks left (taking the helpers' answers between its own), then waits for
   * the helpers' last ones (bounded). Taking them meanwhile leaves less for the end, when only the
   * calling thread works.
   */
  wait(take: (answers: ProbeAnswer[]) => void): void;
  /** Stops the helpers (the spec did not validate). */
  cancel(): void;
  /** After `wait()`: how many chunks helper threads answered (0 when the calling thread probed alone). */
  readonly helped: number;
}

/** What a helper posts: the answers of one chunk, or that it could not probe it. */
interface ChunkMessage {
  chunk: number;
  entries?: Array<ProbedEntry | undefined>;
}

export interface ProbeOptions {
  /** From this many keys on, helper threads probe. @default HELPERS_FROM */
  readonly helpersFrom?: number;
  /** Helpers started before the keys were hashed (`startProbeHelpers`); stopped when the probe needs none. @default started here */
  readonly helpers?: ProbeHelpers;
  /** The calling thread takes chunks too once it waits (tests turn it off to see the helpers answer). @default true */
  readonly callingThreadTakes?: boolean;
}

/** A helper thread and the port it posts on. */
interface Helper {
  helper?: Worker;
  port?: MessagePort;
}

/** Helper threads waiting for their job, which `startCacheProbe` posts. */
export interface ProbeHelpers {
  readonly started: Helper[];
  /** Stops them (the probe needs none, or the synth ends). */
  stop(): void;
}

/** The job a helper waits for. */
interface HelperJob {
  cacheDir: string;
  outDir: string;
  keys: readonly string[];
  counters: Int32Array;
}

/**
 * Starts the helpers of a probe of `count` keys before the keys are hashed, so that a helper's
 * start-up (~130 ms, mostly Node's own bootstrap, on the 2-core machine) overlaps the hashing
 * (~100 ms at 1000 clusters) instead of following it. Undefined when such a probe runs without
 * helpers.
 */
export function startProbeHelpers(count: number, options: Pick<ProbeOptions, 'helpersFrom'> = {}): ProbeHelpers | undefined {
  return helpedProbe(count, options) ? spawnHelpers() : undefined;
}

/** Whether a probe of `count` keys runs on helper threads (else the calling thread probes alone, in `wait`). */
const helpedProbe = (count: number, options: Pick<ProbeOptions, 'helpersFrom'>) => count >= Math.max(HELPERS, options.helpersFrom ?? HELPERS_FROM);

/** HELPERS helper threads, each waiting for its job. */
function spawnHelpers(): ProbeHelpers {
  const started: Helper[] = [];
  for (let h = 0; h < HELPERS; h++) {
    try {
      const { port1, port2 } = new MessageChannel();
      const helper = startModuleWorker(__filename, { [PROBE_MARK]: true, port: port2 }, { transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: HELPER_YOUNG_MB } });
      // Failures surface as chunks that are not posted, not as an unhandled event.
      helper.on('error', () => undefined);
      started.push({ helper, port: port1 });
    } catch {
      // No helper: the calling thread takes its chunks.
    }
  }
  const stop = () => {
    for (const h of started) {
      void h.helper?.terminate();
      h.port?.close();
      h.helper = undefined;
      h.port = undefined;
    }
  };
  return { started, stop };
}

/** Starts probing `keys` of `cacheDir` against `outDir`. */
export function startCacheProbe(cacheDir: string, outDir: string, keys: readonly string[], options: ProbeOptions = {}): CacheProbe {
  const hasEntry = (index: number) => fs.existsSync(entryFile(cacheDir, keys[index]));
  const starts = chunkStarts(keys.length);
  const chunks = starts.length - 1;
  let digests: ReadonlyMap<string, string> | undefined | null = null;
  const probeChunk = (chunk: number): ProbeAnswer[] =>
    probeKeys(cacheDir, outDir, keys.slice(starts[chunk], starts[chunk + 1]), digests === null ? (digests = recordDigests(cacheDir, outDir)) : digests).map((entry, i) => [starts[chunk] + i, entry]);
  if (!helpedProbe(keys.length, options)) {
    options.helpers?.stop();
    let done = false;
    const wait = (take: (answers: ProbeAnswer[]) => void) => {
      if (done) return;
      done = true;
      for (let c = 0; c < chunks; c++) take(probeChunk(c));
    };
    return { keys, hasEntry, poll: () => [], wait, cancel: () => undefined, helped: 0 };
  }
  // [0]: the next chunk to take; [1]: chunks the helpers have posted (the calling thread waits on it).
  const counters = new Int32Array(new SharedArrayBuffer(8));
  // 1: answered by a helper or the calling thread; 2: a helper could not probe it (the calling thread will).
  const settled = new Uint8Array(chunks);
  const started = options.helpers ?? spawnHelpers();
  const helpers = started.started;
  const stop = () => started.stop();
  for (const h of helpers) h.port?.postMessage({ cacheDir, outDir, keys, counters } satisfies HelperJob);
  let helped = 0;
  let finished = false;
  /** What the helpers have posted so far. */
  const receive = (out: ProbeAnswer[]) => {
    for (const h of helpers)
      for (let m = h.port && receiveMessageOnPort(h.port); m; m = h.port && receiveMessageOnPort(h.port)) {
        const { chunk, entries } = m.message as ChunkMessage;
        if (settled[chunk]) continue;
        settled[chunk] = entries ? 1 : 2;
        if (!entries) continue;
        helped++;
        entries.forEach((entry, i) => out.push([starts[chunk] + i, entry]));
      }
  };
  return {
    keys,
    hasEntry,
    get helped() {
      return helped;
    },
    poll() {
      const out: ProbeAnswer[] = [];
      if (!finished) receive(out);
      return out;
    },
    wait(take) {
      if (finished) return;
      finished = true;
      const handOver = () => {
        const out: ProbeAnswer[] = [];
        receive(out);
        if (out.length) take(out);
      };
      // The calling thread joins in: it takes chunks until none is left, and what the helpers posted meanwhile.
      if (options.callingThreadTakes !== false)
        for (let c = Atomics.add(counters, 0, 1); c < chunks; c = Atomics.add(counters, 0, 1)) {
          settled[c] = 1;
          take(probeChunk(c));
          handOver();
        }
      // Then the chunks the helpers took: each posts, then counts it.
      const deadline = Date.now() + HELPER_TIMEOUT_MS;
      for (;;) {
        const posted = Atomics.load(counters, 1);
        handOver();
        if (settled.every(Boolean)) break;
        const left = deadline - Date.now();
        if (left <= 0 || Atomics.wait(counters, 1, posted, left) === 'timed-out') break;
      }
      stop();
      // A chunk a helper failed, or did not post in time.
      for (let c = 0; c < chunks; c++) if (settled[c] !== 1) take(probeChunk(c));
    },
    cancel: stop,
  };
}

/** A helper: takes chunks from the shared counter until none is left, posting each chunk's answers. */
function serveProbe(port: MessagePort, { cacheDir, outDir, keys, counters }: HelperJob): void {
  const starts = chunkStarts(keys.length);
  const chunks = starts.length - 1;
  const digests = recordDigests(cacheDir, outDir);
  for (let c = Atomics.add(counters, 0, 1); c < chunks; c = Atomics.add(counters, 0, 1)) {
    let message: ChunkMessage;
    try {
      message = { chunk: c, entries: probeKeys(cacheDir, outDir, keys.slice(starts[c], starts[c + 1]), digests) };
    } catch {
      message = { chunk: c };
    }
    port.postMessage(message);
    Atomics.add(counters, 1, 1);
    Atomics.notify(counters, 1);
    if (!message.entries) break;
  }
  port.close();
}

if (!isMainThread && workerData && (workerData as Record<string, unknown>)[PROBE_MARK]) {
  const { port } = workerData as { port: MessagePort };
  port.once('message', (job: HelperJob) => serveProbe(port, job));
}
