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
import { readEntry, type CacheEntry, type CachedFiles } from './synth-cache';

/** Below this many clusters the probe runs in `wait()`: starting a helper (~30 ms) costs more than it saves. */
export const HELPERS_FROM = 50;
const HELPERS = 2;
/** How long the calling thread waits for a helper before probing its share itself. */
const HELPER_TIMEOUT_MS = 60_000;
const PROBE_MARK = 'kprodCacheProbe';

/** Whether every file of a cached cluster still has its recorded size and mtime below `root` (which ends in "/"). */
function unchangedOnDisk(root: string, files: CachedFiles): boolean {
  const { sorted, sizes, mtimes } = files;
  let i = 0;
  for (let at = 0; at < sorted.length; i++) {
    const end = sorted.indexOf('\n', at);
    const s = fs.statSync(root + sorted.slice(at, end), { throwIfNoEntry: false });
    if (!s || s.size !== sizes[i] || s.mtimeMs !== mtimes[i]) return false;
    at = end + 1;
  }
  return i === sizes.length;
}

/** For each key, its entry when present, intact and unchanged on disk; else undefined. */
export function probeKeys(cacheDir: string, outDir: string, keys: readonly string[]): Array<CacheEntry | undefined> {
  const root = `${path.resolve(outDir)}/`;
  return keys.map((key) => {
    const entry = readEntry(cacheDir, key);
    return entry && unchangedOnDisk(root, entry.files) ? entry : undefined;
  });
}

/** A probe under way. */
export interface CacheProbe {
  /** The keys probed, in the synth's task order. */
  readonly keys: readonly string[];
  /** The usable entry of each key (undefined: build the cluster). */
  wait(): ReadonlyArray<CacheEntry | undefined>;
  /** Stops the helpers (the spec did not validate). */
  cancel(): void;
  /** After `wait()`: how many shares helper threads answered (0 when the calling thread probed alone). */
  readonly helped: number;
}

interface Share {
  from: number;
  to: number;
  flag: Int32Array;
  port?: MessagePort;
  helper?: Worker;
}

/**
 * Starts probing `keys` of `cacheDir` against `outDir`.
 * @param helpersFrom from this many keys on, helper threads probe @default HELPERS_FROM
 */
export function startCacheProbe(cacheDir: string, outDir: string, keys: readonly string[], helpersFrom = HELPERS_FROM): CacheProbe {
  let result: Array<CacheEntry | undefined> | undefined;
  if (keys.length < Math.max(HELPERS, helpersFrom)) return { keys, wait: () => (result ??= probeKeys(cacheDir, outDir, keys)), cancel: () => undefined, helped: 0 };
  const shares: Share[] = [];
  for (let h = 0; h < HELPERS; h++) {
    const share: Share = { from: Math.floor((keys.length * h) / HELPERS), to: Math.floor((keys.length * (h + 1)) / HELPERS), flag: new Int32Array(new SharedArrayBuffer(4)) };
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
    }
  };
  let helped = 0;
  return {
    keys,
    get helped() {
      return helped;
    },
    wait() {
      if (result) return result;
      const out: Array<CacheEntry | undefined> = new Array(keys.length);
      for (const s of shares) {
        const done = s.helper && Atomics.wait(s.flag, 0, 0, HELPER_TIMEOUT_MS) !== 'timed-out' && Atomics.load(s.flag, 0) === 1;
        const answer = done && s.port ? (receiveMessageOnPort(s.port)?.message as Array<CacheEntry | undefined> | undefined) : undefined;
        const answered = !!answer && answer.length === s.to - s.from;
        if (answered) helped++;
        const share = answered ? answer : probeKeys(cacheDir, outDir, keys.slice(s.from, s.to));
        for (let i = 0; i < share.length; i++) out[s.from + i] = share[i];
      }
      stop();
      return (result = out);
    },
    cancel: stop,
  };
}

/** A helper: probes its share, posts the answer, then raises its flag (2 on an error). */
function serveProbe(): void {
  const { cacheDir, outDir, keys, flag, port } = workerData as { cacheDir: string; outDir: string; keys: string[]; flag: Int32Array; port: MessagePort };
  try {
    port.postMessage(probeKeys(cacheDir, outDir, keys));
    Atomics.store(flag, 0, 1);
  } catch {
    Atomics.store(flag, 0, 2);
  }
  Atomics.notify(flag, 0);
  port.close();
}

if (!isMainThread && workerData && (workerData as Record<string, unknown>)[PROBE_MARK]) serveProbe();
