import * as fs from 'node:fs';
import * as path from 'node:path';
import * as clockPast from '../../../lib/gitops/clock-past';
import { waitForClockPast } from '../../../lib/gitops/clock-past';
import { TreeWriter } from '../../../lib/gitops/tree-writer';
import { tempDirPerTest } from '../../helpers/tmp';

describe('waitForClockPast', () => {
  const t = tempDirPerTest('kprod-clock-');

  /** A file system whose clock moves in ticks of `tick` ms while the test's time advances by the sleeps. */
  function coarseClock(tick: number, start: number) {
    let now = start;
    const sleeps: number[] = [];
    return {
      sleeps,
      options: {
        stampNow: () => Math.floor(now / tick) * tick,
        sleep: (ms: number) => {
          sleeps.push(ms);
          now += ms;
        },
      },
    };
  }

  it('returns at once when a file written now is already later, without sleeping', () => {
    const clock = coarseClock(4, 1000);
    expect(waitForClockPast(t.dir, 996, clock.options)).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it('sleeps until the next tick of a coarse clock, with growing steps', () => {
    // A 1 s clock (HFS+): written at 10.2 s, stamped 10 s; the wait ends once the stamp is 11 s.
    const clock = coarseClock(1000, 10_200);
    expect(waitForClockPast(t.dir, 10_000, clock.options)).toBe(true);
    expect(clock.sleeps.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(Math.max(...clock.sleeps)).toBe(50);
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(800);
    expect(waited).toBeLessThan(850);
  });

  it('gives up after the limit when the clock does not move', () => {
    const sleeps: number[] = [];
    const result = waitForClockPast(t.dir, 5000, { stampNow: () => 5000, sleep: (ms) => sleeps.push(ms), limitMs: 300 });
    expect(result).toBe(false);
    const waited = sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(350);
  });

  it('answers false, not an error, when the folder cannot be written', () => {
    expect(waitForClockPast(path.join(t.dir, 'missing'), 0)).toBe(false);
  });

  it('on this machine: once it returns, a file written next has a later mtime than the one waited for, and the probe is gone', () => {
    // Two files written back to back often share an mtime (a coarse tick); after the wait, never.
    for (let i = 0; i < 40; i++) {
      const first = path.join(t.dir, `a${i}`);
      fs.writeFileSync(first, 'x');
      const written = fs.statSync(first).mtimeMs;
      expect(waitForClockPast(t.dir, written)).toBe(true);
      const next = path.join(t.dir, `b${i}`);
      fs.writeFileSync(next, 'y');
      expect(fs.statSync(next).mtimeMs).toBeGreaterThan(written);
    }
    expect(fs.readdirSync(t.dir).filter((f) => f.startsWith('.clock-'))).toEqual([]);
  });

  it('a commit waits for the clock to pass every state it returned, the unchanged files\' too', () => {
    const spy = jest.spyOn(clockPast, 'waitForClockPast');
    try {
      const dir = path.join(t.dir, 'out');
      const w = new TreeWriter(dir, { recordState: true });
      const states = [w.add('prod/c1/cluster/a.yaml', 'a: 1\n'), w.add('prod/c1/cluster/b.yaml', 'b: 1\n')];
      w.commit();
      const newest = Math.max(...states.map((s) => s!.mtimeMs), w.committedRecord!.mtimeMs);
      expect(spy.mock.calls).toEqual([[path.join(dir, '.kprod'), newest]]);
      expect(spy.mock.results[0].value).toBe(true);
      expect(w.statesSettled).toBe(true);
      // What a file written right after is stamped; without fine-grained timestamps (Linux stamps
      // a file finer once its mtime was read, since 6.13) an edit is stamped alike.
      const next = path.join(dir, 'prod/c1/cluster/next');
      fs.writeFileSync(next, 'n');
      expect(fs.statSync(next).mtimeMs).toBeGreaterThan(newest);
      fs.rmSync(next);
      expect(fs.readdirSync(path.join(dir, '.kprod')).sort()).toEqual(['.gitignore', 'owned']);
      // A file restored (a checkout) with kprod's content just before a synth that writes nothing:
      // its fresh mtime is a state returned, so it is waited for as well.
      fs.writeFileSync(path.join(dir, 'prod/c1/cluster/b.yaml'), 'b: 1\n');
      const restored = fs.statSync(path.join(dir, 'prod/c1/cluster/b.yaml')).mtimeMs;
      const again = new TreeWriter(dir, { recordState: true });
      again.add('prod/c1/cluster/a.yaml', 'a: 1\n');
      expect(again.add('prod/c1/cluster/b.yaml', 'b: 1\n')?.mtimeMs).toBe(restored);
      expect(again.commit().written).toEqual([]);
      expect(spy.mock.calls[1]).toEqual([path.join(dir, '.kprod'), Math.max(restored, again.committedRecord!.mtimeMs)]);
    } finally {
      spy.mockRestore();
    }
  });

  it('when the clock does not pass in time, the commit keeps no record state and says the states are not settled', () => {
    const spy = jest.spyOn(clockPast, 'waitForClockPast').mockReturnValue(false);
    try {
      const w = new TreeWriter(path.join(t.dir, 'out'), { recordState: true });
      w.add('prod/c1/cluster/a.yaml', 'a: 1\n');
      w.commit();
      expect(w.statesSettled).toBe(false);
      expect(w.committedRecord).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('never takes over a file it did not create: probe names in use are skipped and left as they are', () => {
    // The probe names count up per process and thread (this file has used a few dozen); squat on the next 2000.
    const squatted = Array.from({ length: 2000 }, (_, n) => path.join(t.dir, `.clock-${process.pid}-0-${n}`));
    for (const name of squatted) fs.writeFileSync(name, 'user data');
    const past = Date.now() - 60_000;
    // Ten names in use in a row: no probe, so no answer, and nothing touched.
    expect(waitForClockPast(t.dir, past)).toBe(false);
    for (const name of squatted) expect(fs.readFileSync(name, 'utf8')).toBe('user data');
    for (const name of squatted) fs.rmSync(name);
    expect(waitForClockPast(t.dir, past)).toBe(true);
    expect(fs.readdirSync(t.dir)).toEqual([]);
  });
});
