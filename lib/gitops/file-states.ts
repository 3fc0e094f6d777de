/**
 * Whether files still have the size and mtime recorded when they were written: what the synth
 * cache trusts instead of reading them (as git's index does). On a large fleet this is one stat
 * per file of the tree and most of an incremental synth, so from SPLIT_FROM files on two helper
 * threads do it while the calling thread goes on (it claims the cached files meanwhile) and then
 * waits for them on a shared flag, bounded: a helper that fails or does not finish in time has
 * its share checked by the calling thread.
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Below this many files helper threads cost more than they save (starting one is ~30 ms). */
export const SPLIT_FROM = 20_000;

/** Helper threads of a large check. */
const HELPERS = 2;

/** How long the calling thread waits for a helper before doing its share itself. */
const HELPER_TIMEOUT_MS = 60_000;

// A helper has no kprod code to load: it stats its paths and raises its flag (2 on an error).
const HELPER = `
const fs = require('node:fs');
const { workerData } = require('node:worker_threads');
const { paths, sizes, mtimes, out, flag } = workerData;
try {
  const list = paths.split('\\n');
  for (let i = 0; i < list.length; i++) {
    const s = fs.statSync(list[i], { throwIfNoEntry: false });
    out[i] = s && s.size === sizes[i] && s.mtimeMs === mtimes[i] ? 1 : 0;
  }
  Atomics.store(flag, 0, 1);
} catch {
  Atomics.store(flag, 0, 2);
}
Atomics.notify(flag, 0);
`;

function checkRange(paths: readonly string[], sizes: ArrayLike<number>, mtimes: ArrayLike<number>, out: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const s = fs.statSync(paths[i], { throwIfNoEntry: false });
    out[i] = s && s.size === sizes[i] && s.mtimeMs === mtimes[i] ? 1 : 0;
  }
}

/** A check under way: `wait()` returns 1 where `paths[i]` still has `sizes[i]` and `mtimes[i]`, else 0. */
export interface FileCheck {
  wait(): Uint8Array;
}

interface Share {
  from: number;
  to: number;
  out: Uint8Array;
  flag: Int32Array;
  helper?: Worker;
}

/**
 * Starts checking `paths` (absolute). Small checks run in `wait()`; large ones on helper threads
 * that work while the caller goes on.
 * @param splitFrom from this many files on, helper threads do the check @default SPLIT_FROM
 */
export function startFileCheck(paths: readonly string[], sizes: Float64Array, mtimes: Float64Array, splitFrom = SPLIT_FROM): FileCheck {
  const n = paths.length;
  const out = new Uint8Array(n);
  if (n < Math.max(HELPERS, splitFrom)) return { wait: () => (checkRange(paths, sizes, mtimes, out, 0, n), out) };
  const shares: Share[] = [];
  for (let h = 0; h < HELPERS; h++) {
    const from = Math.floor((n * h) / HELPERS);
    const to = Math.floor((n * (h + 1)) / HELPERS);
    const share: Share = { from, to, out: new Uint8Array(new SharedArrayBuffer(to - from)), flag: new Int32Array(new SharedArrayBuffer(4)) };
    try {
      share.helper = new Worker(HELPER, {
        eval: true,
        workerData: { paths: paths.slice(from, to).join('\n'), sizes: sizes.slice(from, to), mtimes: mtimes.slice(from, to), out: share.out, flag: share.flag },
      });
      // Failures surface through the flag (or its timeout), not as an unhandled event.
      share.helper.on('error', () => undefined);
    } catch {
      share.helper = undefined;
    }
    shares.push(share);
  }
  return {
    wait() {
      for (const s of shares) {
        const done = s.helper && Atomics.wait(s.flag, 0, 0, HELPER_TIMEOUT_MS) !== 'timed-out' && Atomics.load(s.flag, 0) === 1;
        if (done) out.set(s.out, s.from);
        else checkRange(paths, sizes, mtimes, out, s.from, s.to);
        void s.helper?.terminate();
      }
      return out;
    },
  };
}

/** Files (relative paths) with their states, as parallel arrays: a cached cluster's files. */
export interface FileGroup {
  paths: string[];
  sizes: number[];
  mtimes: number[];
}

/**
 * For each group of files below `outDir` (a cached cluster's), whether every one still has the
 * recorded size and mtime: a cache may then skip reading them. Ownership needs no lookup: a file
 * with the size and millisecond mtime of kprod's own write is that write. One check over all
 * groups, started now (helper threads for a large fleet); `wait()` answers.
 */
export function startGroupCheck(outDir: string, groups: readonly FileGroup[]): { wait(): boolean[] } {
  const root = outDir.endsWith('/') ? outDir : `${outDir}/`;
  let count = 0;
  for (const g of groups) count += g.paths.length;
  const paths: string[] = new Array(count);
  const sizes = new Float64Array(count);
  const mtimes = new Float64Array(count);
  let i = 0;
  for (const g of groups)
    for (let j = 0; j < g.paths.length; j++, i++) {
      paths[i] = root + g.paths[j];
      sizes[i] = g.sizes[j];
      mtimes[i] = g.mtimes[j];
    }
  const check = startFileCheck(paths, sizes, mtimes);
  return {
    wait: () => {
      const same = check.wait();
      let at = 0;
      return groups.map((g) => {
        let all = true;
        for (let end = at + g.paths.length; at < end; at++) if (!same[at]) all = false;
        return all;
      });
    },
  };
}
