/**
 * How fast the host runs right now, measured on fixed work: this VM's speed moves by up to 2×
 * from hour to hour while the load average stays idle, so every bench run reports it next to the
 * load. Two numbers, both CPU time of this thread:
 *   - a loop of Map, string and JSON work;
 *   - one stat of a file, over 20 000 files in 20 folders: an incremental synth stats every cached
 *     file, so its time follows this one.
 * At the host's usual speed (2026-12-01 and the morning of 2026-12-02, when 100 clusters of raw
 * cdk8s took 8.7 s) the loop took about 1.0 s and a stat about 3.4 µs (the 736 508 files of the
 * 1000-cluster tree in 2.5 s); at 07:50 on 2026-12-02, 2.0 s and 5.1–6.2 µs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface HostSpeed {
  /** CPU seconds of the fixed loop. */
  readonly loopSeconds: number;
  /** CPU microseconds of one stat (user + system). */
  readonly statMicros: number;
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
};

function fixedLoop(): number {
  const start = process.cpuUsage();
  let sink = 0;
  for (let round = 0; round < 30; round++) {
    const m = new Map<string, { a: number; b: number[]; s: string }>();
    for (let i = 0; i < 20_000; i++) m.set(`k${i}`, { a: i, b: [i, i + 1], s: 'x'.repeat(i % 50) });
    const text = JSON.stringify([...m.values()]);
    sink += (JSON.parse(text) as unknown[]).length + text.length;
  }
  if (sink === 0) throw new Error('unreachable');
  return cpuSeconds(start);
}

function statCost(dir: string): number {
  const root = fs.mkdtempSync(path.join(dir, 'kprod-host-'));
  try {
    const files: string[] = [];
    for (let d = 0; d < 20; d++) {
      const folder = path.join(root, `f${d}`);
      fs.mkdirSync(folder);
      for (let f = 0; f < 1000; f++) {
        const file = path.join(folder, `object-${f}.yaml`);
        fs.writeFileSync(file, 'kind: ConfigMap\n');
        files.push(file);
      }
    }
    const rounds = 5;
    const start = process.cpuUsage();
    for (let r = 0; r < rounds; r++) for (const file of files) fs.statSync(file);
    return (cpuSeconds(start) * 1e6) / (rounds * files.length);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Both measures; files go under `dir` (the bench's output folder, so the same file system). */
export function measureHostSpeed(dir: string): HostSpeed {
  return { loopSeconds: fixedLoop(), statMicros: statCost(dir) };
}

export const describeHostSpeed = (h: HostSpeed) => `CPU loop ${h.loopSeconds.toFixed(2)} s, stat ${h.statMicros.toFixed(1)} µs`;
