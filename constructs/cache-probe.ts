/**
 * The first step of an incremental synth: for every cluster's cache key, its entry, if there is one
 * and every file it lists still has the size and mtime recorded when kprod wrote it (as git's index
 * trusts a file unread). At 1000 clusters that is 736 000 stats, most of an everyday synth, so it
 * starts before the spec is validated (the keys come from the input, synth-cache.ts) and, from
 * HELPERS_FROM clusters on, runs on two helper threads while the calling thread validates. The
 * calling thread then waits on a shared flag, bounded: a helper that fails or does not finish in
 * time has its share probed by the calling thread.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, MessageChannel, receiveMessageOnPort, workerData, type MessagePort, type Worker } from 'node:worker_threads';
import { startModuleWorker } from './module-worker';
import { entryFile, readEntry, type CacheEntry, type CachedFiles } from './synth-cache';

/** Below this many clusters the probe runs in `wait()`: starting a helper (~30 ms) costs more than it saves. */
export const HELPERS_FROM = 50;
const HELPERS = 2;
/** How long the calling thread waits for a helper before probing its share itself. */
const HELPER_TIMEOUT_MS = 60_000;
const PROBE_MARK = 'kprodCacheProbe';

/** A usable entry as the probe answers: the file states were checked, so they are left out. */
export type ProbedEntry = Omit<CacheEntry, 'files'> & { files: Pick<CachedFiles, 'sorted'> };

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

/** For each key, its entry when present, intact and unchanged on disk; else undefined. */
export function probeKeys(cacheDir: string, outDir: string, keys: readonly string[]): Array<ProbedEntry | undefined> {
  const root = `${path.resolve(outDir)}/`;
  return keys.map((key) => {
    const entry = readEntry(cacheDir, key);
    // Thousands of numbers per entry would make most of the answer's copy to the calling thread.
    return entry && unchangedOnDisk(root, entry.files) ? { ...entry, files: { sorted: entry.files.sorted } } : undefined;
  });
}

/** Answers of a probe: the index of a key and its usable entry (undefined: build the cluster). */
export type ProbeAnswer = readonly [index: number, entry: ProbedEntry | undefined];

/** A probe under way. */
export interface CacheProbe {
  /** The keys probed, in the synth's task order. */
  readonly keys: readonly string[];
  /** Whether the cache holds an entry for `keys[index]` at all (a quick look, before the answer). */
  hasEntry(index: number): boolean;
  /** The answers that came in since the last call, without waiting (none when the calling thread probes). */
  poll(): ProbeAnswer[];
  /** Every answer not yet returned by `poll` or `wait`, waiting for the helpers (bounded). */
  wait(): ProbeAnswer[];
  /** Stops the helpers (the spec did not validate). */
  cancel(): void;
  /** After `wait()`: how many shares helper threads answered whole (0 when the calling thread probed alone). */
  readonly helped: number;
}

/** Keys a helper answers per message, so that the calling thread can take them while the rest is probed. */
const CHUNK = 50;

interface Share {
  from: number;
  to: number;
  /** Keys of the share answered so far (they arrive in order). */
  next: number;
  flag: Int32Array;
  port?: MessagePort;
  helper?: Worker;
}

/** Answers of keys[from, to) probed by the calling thread. */
const probeHere = (cacheDir: string, outDir: string, keys: readonly string[], from: number, to: number): ProbeAnswer[] =>
  probeKeys(cacheDir, outDir, keys.slice(from, to)).map((entry, i) => [from + i, entry]);

/**
 * Starts probing `keys` of `cacheDir` against `outDir`.
 * @param helpersFrom from this many keys on, helper threads probe @default HELPERS_FROM
 */
export function startCacheProbe(cacheDir: string, outDir: string, keys: readonly string[], helpersFrom = HELPERS_FROM): CacheProbe {
  const hasEntry = (index: number) => fs.existsSync(entryFile(cacheDir, keys[index]));
  if (keys.length < Math.max(HELPERS, helpersFrom)) {
    let done = false;
    const wait = () => (done ? [] : ((done = true), probeHere(cacheDir, outDir, keys, 0, keys.length)));
    return { keys, hasEntry, poll: () => [], wait, cancel: () => undefined, helped: 0 };
  }
  const shares: Share[] = [];
  for (let h = 0; h < HELPERS; h++) {
    const from = Math.floor((keys.length * h) / HELPERS);
    const share: Share = { from, to: Math.floor((keys.length * (h + 1)) / HELPERS), next: from, flag: new Int32Array(new SharedArrayBuffer(4)) };
    try {
      const { port1, port2 } = new MessageChannel();
      share.port = port1;
      const data = { [PROBE_MARK]: true, cacheDir, outDir, keys: keys.slice(share.from, share.to), flag: share.flag, port: port2 };
      share.helper = startModuleWorker(__filename, data, { transferList: [port2] });
      // Failures surface through the flag (or its timeout), not as an unhandled event.
      share.helper.on('error', () => undefined);
    } catch {
      share.helper = undefined;
    }
    shares.push(share);
  }
  const stop = () => {
    for (const s of shares) {
      void s.helper?.terminate();
      s.port?.close();
      s.helper = undefined;
      s.port = undefined;
    }
  };
  /** The messages a share's helper has posted so far, in order. */
  const receive = (s: Share, out: ProbeAnswer[]) => {
    for (let m = s.port && receiveMessageOnPort(s.port); m; m = s.port && receiveMessageOnPort(s.port)) {
      const chunk = m.message as Array<ProbedEntry | undefined>;
      chunk.forEach((entry, i) => out.push([s.next + i, entry]));
      s.next += chunk.length;
    }
  };
  let helped = 0;
  let finished = false;
  return {
    keys,
    hasEntry,
    get helped() {
      return helped;
    },
    poll() {
      const out: ProbeAnswer[] = [];
      if (!finished) for (const s of shares) receive(s, out);
      return out;
    },
    wait() {
      if (finished) return [];
      finished = true;
      const out: ProbeAnswer[] = [];
      for (const s of shares) {
        const done = s.helper && Atomics.wait(s.flag, 0, 0, HELPER_TIMEOUT_MS) !== 'timed-out' && Atomics.load(s.flag, 0) === 1;
        if (done) receive(s, out);
        if (done && s.next === s.to) helped++;
        // A helper that failed or timed out: the calling thread probes what it did not answer.
        else out.push(...probeHere(cacheDir, outDir, keys, s.next, s.to));
      }
      stop();
      return out;
    },
    cancel: stop,
  };
}

/** A helper: probes its share, posting the answers CHUNK keys at a time, then raises its flag (2 on an error). */
function serveProbe(): void {
  const { cacheDir, outDir, keys, flag, port } = workerData as { cacheDir: string; outDir: string; keys: string[]; flag: Int32Array; port: MessagePort };
  try {
    for (let from = 0; from < keys.length; from += CHUNK) port.postMessage(probeKeys(cacheDir, outDir, keys.slice(from, from + CHUNK)));
    Atomics.store(flag, 0, 1);
  } catch {
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
  port.close();
}

if (!isMainThread && workerData && (workerData as Record<string, unknown>)[PROBE_MARK]) serveProbe();
