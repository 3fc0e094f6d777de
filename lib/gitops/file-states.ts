/**
 * Whether files still have the size and mtime recorded when they were written: what the synth
 * cache trusts instead of reading them (as git's index does). On a large fleet this is one stat
 * per file of the tree and most of an incremental synth, so from SPLIT_FROM files on a helper
 * thread checks the second half while the calling thread checks the first. The call stays
 * synchronous: the calling thread waits on a shared flag (bounded), and checks the helper's half
 * itself if the helper does not finish.
 */
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';

/** Below this many files a helper thread costs more than it saves (starting one is ~30 ms). */
export const SPLIT_FROM = 20_000;

/** How long the calling thread waits for the helper before doing its half itself. */
const HELPER_TIMEOUT_MS = 60_000;

// The helper has no kprod code to load: it stats its paths and raises the flag (2 on an error).
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

/**
 * 1 where `paths[i]` (absolute) exists with `sizes[i]` and `mtimes[i]`, else 0.
 * @param splitFrom from this many files on, a helper thread takes the second half @default SPLIT_FROM
 */
export function unchangedFiles(paths: readonly string[], sizes: Float64Array, mtimes: Float64Array, splitFrom = SPLIT_FROM): Uint8Array {
  const n = paths.length;
  if (n < Math.max(2, splitFrom)) {
    const out = new Uint8Array(n);
    checkRange(paths, sizes, mtimes, out, 0, n);
    return out;
  }
  const half = n >> 1;
  const shared = new Uint8Array(new SharedArrayBuffer(n - half));
  const flag = new Int32Array(new SharedArrayBuffer(4));
  let helper: Worker | undefined;
  try {
    helper = new Worker(HELPER, {
      eval: true,
      workerData: { paths: paths.slice(half).join('\n'), sizes: sizes.slice(half), mtimes: mtimes.slice(half), out: shared, flag },
    });
    // Failures surface through the flag (or its timeout), not as an unhandled event.
    helper.on('error', () => undefined);
  } catch {
    helper = undefined;
  }
  const out = new Uint8Array(n);
  checkRange(paths, sizes, mtimes, out, 0, half);
  if (helper && Atomics.wait(flag, 0, 0, HELPER_TIMEOUT_MS) !== 'timed-out' && Atomics.load(flag, 0) === 1) out.set(shared, half);
  else checkRange(paths, sizes, mtimes, out, half, n);
  void helper?.terminate();
  return out;
}
