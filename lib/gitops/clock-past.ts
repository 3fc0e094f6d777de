/**
 * The synth cache trusts a file unread while it has the size and mtime kprod recorded when it wrote
 * it. A file system stamps mtimes from a clock that moves in ticks (a few milliseconds on Linux
 * without fine-grained timestamps, a second or two on HFS+ and FAT): a file edited in the same tick
 * as kprod wrote it, to the same size, would keep its recorded mtime and be trusted wrongly (git's
 * "racy clean" entries). So a synth that wrote files returns only once the clock of the output
 * folder's file system is past the newest mtime it recorded: any later edit gets a later mtime.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';

/** How long to wait at most: above the coarsest common granularity (FAT's 2 s). */
export const CLOCK_WAIT_LIMIT_MS = 3000;

export interface ClockWaitOptions {
  /** Stops waiting after this long; the result is then false. @default CLOCK_WAIT_LIMIT_MS */
  readonly limitMs?: number;
  /** The mtime a file written now in `dir` gets (tests inject a coarse clock). @default a probe file written, stated and removed */
  readonly stampNow?: (dir: string) => number;
  /** Sleeps this long (tests count the sleeps). @default Atomics.wait */
  readonly sleep?: (ms: number) => void;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

let probes = 0;

/**
 * The mtime the file system gives a file created in `dir` now: a probe file kprod creates (never
 * one that exists: `wx`) and removes. `.kprod/.gitignore` lists `.clock-*`, in case a killed
 * process leaves one behind.
 */
function stampNowIn(dir: string): number {
  for (let attempt = 0; ; attempt++) {
    const probe = path.join(dir, `.clock-${process.pid}-${threadId}-${probes++}`);
    let fd: number;
    try {
      fd = fs.openSync(probe, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 10) continue;
      throw e;
    }
    try {
      return fs.fstatSync(fd).mtimeMs;
    } finally {
      fs.closeSync(fd);
      fs.rmSync(probe, { force: true });
    }
  }
}

/**
 * Returns once a file written in `dir` gets an mtime later than `mtimeMs` (at once when it already
 * does, the usual case), sleeping a millisecond between looks, doubling up to 50; false when
 * `limitMs` passed first or `dir` cannot be written (the files are written already: nothing to undo).
 */
export function waitForClockPast(dir: string, mtimeMs: number, options: ClockWaitOptions = {}): boolean {
  const stampNow = options.stampNow ?? stampNowIn;
  const sleep = options.sleep ?? ((ms: number) => Atomics.wait(sleeper, 0, 0, ms));
  const limit = options.limitMs ?? CLOCK_WAIT_LIMIT_MS;
  let waited = 0;
  try {
    for (let step = 1; ; step = Math.min(step * 2, 50)) {
      if (stampNow(dir) > mtimeMs) return true;
      if (waited >= limit) return false;
      sleep(step);
      waited += step;
    }
  } catch {
    return false;
  }
}
