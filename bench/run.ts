/**
 * `npm run bench`: synthesizes generated fleets of growing size with kprod (in one thread and on
 * worker threads) and, over exactly the same objects, with raw cdk8s (one App) and with
 * manifestToYaml alone (the serialization floor). Every measured run is its own process (worker.ts).
 *
 * Options (flag or environment variable):
 *   --sizes 1,10,50,100     KPROD_BENCH_SIZES    clusters per fleet
 *   --runs 3                KPROD_BENCH_RUNS     measured runs per size and mode
 *   --large-runs 3          KPROD_BENCH_LARGE_RUNS  runs for fleets of 100+ clusters
 *   --modes kprod,...       KPROD_BENCH_MODES    subset of kprod, kprod-parallel, cdk8s, floor
 *   --workers N             KPROD_BENCH_WORKERS  threads of kprod-parallel (default: cores)
 *   --synthetic N           KPROD_BENCH_SYNTHETIC  add N synthetic objects per tenant namespace (default 0)
 *   --scale N               KPROD_BENCH_SCALE    clusters of the scale line (cold, then one tenant
 *                                                changed, over the same tree and cache); 0 skips it (default 1000)
 *   --scale-changes 3       KPROD_BENCH_SCALE_CHANGES  one-tenant changes measured after the cold run
 *                                                (the tenant's quota set, reset, set, ...); the median is reported (of an even count, the lower middle run)
 *   --tmpdir DIR            KPROD_BENCH_TMPDIR   output folders (default /dev/shm when writable, so
 *                                                the disk's per-file cost does not drown the synth)
 * The modes of a size run in turns (kprod, kprod-parallel, cdk8s, floor, then again), so that a
 * host whose speed drifts during the run moves every mode alike and the ratios hold.
 * CI: `npm run bench -- --sizes 1,2 --runs 1 --scale 2`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeHostSpeed, measureHostSpeed, type HostSpeed } from './host-speed';
import { MODES, type Mode } from './modes';
import { growthPerDoubling, median, table } from './stats';
import { SYNTHETIC_ENV } from './synthetic';

interface Options {
  sizes: number[];
  runs: number;
  largeRuns: number;
  modes: Mode[];
  workers?: number;
  synthetic: number;
  tmpdir: string;
  scale: number;
  scaleChanges: number;
}

interface Measurement {
  mode: Mode;
  clusters: number;
  objects: number;
  seconds: number;
  cpuSeconds: number;
  peakMiB: number;
}

function option(argv: string[], flag: string, env: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  const inline = argv.find((a) => a.startsWith(`${flag}=`));
  return inline ? inline.slice(flag.length + 1) : process.env[env];
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${text}"`);
  return n;
}

export function parseOptions(argv: string[]): Options {
  const sizes = (option(argv, '--sizes', 'KPROD_BENCH_SIZES') ?? '1,10,50,100').split(',').map((s) => positiveInt('--sizes', s.trim()));
  const runs = positiveInt('--runs', option(argv, '--runs', 'KPROD_BENCH_RUNS') ?? '3');
  const largeRuns = positiveInt('--large-runs', option(argv, '--large-runs', 'KPROD_BENCH_LARGE_RUNS') ?? String(runs));
  const modes = (option(argv, '--modes', 'KPROD_BENCH_MODES') ?? MODES.join(',')).split(',').map((m) => m.trim()) as Mode[];
  for (const m of modes) if (!MODES.includes(m)) throw new Error(`--modes: unknown mode "${m}"; one of ${MODES.join(', ')}`);
  const workersText = option(argv, '--workers', 'KPROD_BENCH_WORKERS');
  const syntheticText = option(argv, '--synthetic', 'KPROD_BENCH_SYNTHETIC') ?? '0';
  const synthetic = syntheticText === '0' ? 0 : positiveInt('--synthetic', syntheticText);
  const tmpdir = option(argv, '--tmpdir', 'KPROD_BENCH_TMPDIR') ?? defaultTmpdir();
  const scaleText = option(argv, '--scale', 'KPROD_BENCH_SCALE') ?? '1000';
  const scale = scaleText === '0' ? 0 : positiveInt('--scale', scaleText);
  const scaleChanges = positiveInt('--scale-changes', option(argv, '--scale-changes', 'KPROD_BENCH_SCALE_CHANGES') ?? '3');
  return { sizes, runs, largeRuns, modes, workers: workersText ? positiveInt('--workers', workersText) : undefined, synthetic, tmpdir, scale, scaleChanges };
}

/** A RAM-backed folder when there is one: on a VM disk each small file costs about a millisecond. */
function defaultTmpdir(): string {
  try {
    fs.accessSync('/dev/shm', fs.constants.W_OK);
    return '/dev/shm';
  } catch {
    return os.tmpdir();
  }
}

const WORKER = path.join(__dirname, 'worker.js');

function runWorker(args: string[], opts: Options): Record<string, any> {
  const env = { ...process.env, KPROD_BENCH_TMPDIR: opts.tmpdir, [SYNTHETIC_ENV]: String(opts.synthetic), ...(opts.workers ? { KPROD_BENCH_WORKERS: String(opts.workers) } : {}) };
  const res = spawnSync(process.execPath, ['--expose-gc', WORKER, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`bench worker ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!);
}

/** The load average of the last minute: the machine may be shared, so every number carries it. */
const loadavg = () => os.loadavg()[0].toFixed(2);

interface ScaleMeasurement {
  clusters: number;
  objects: number;
  cold: Record<string, number>;
  /** The median of the one-tenant changes (by seconds), and every one of them. */
  change: Record<string, number>;
  changes: Array<Record<string, number>>;
  load: string[];
}

/**
 * Cold synth of a large fleet, then `scaleChanges` one-tenant changes over the same tree and cache,
 * each in its own process: the tenant's quota set, reset, set again (every run rebuilds that one
 * cluster from an up-to-date tree and cache).
 */
function measureScale(opts: Options, tmp: string): ScaleMeasurement {
  const out = path.join(tmp, `scale-${opts.scale}`);
  const load = [loadavg()];
  try {
    const cold = runWorker(['scale-cold', String(opts.scale), out], { ...opts, synthetic: 0 });
    load.push(loadavg());
    process.stderr.write(`  scale ${opts.scale} clusters, cold: ${cold.objects} objects, ${timeText(cold, 2)}, ${fmt(cold.peakMiB, 0)} MiB (load ${load[1]})\n`);
    const changes = Array.from({ length: opts.scaleChanges }, (_, i) => {
      const step = i % 2 === 0 ? 'scale-change' : 'scale-revert';
      const change = runWorker([step, String(opts.scale), out], { ...opts, synthetic: 0 });
      load.push(loadavg());
      process.stderr.write(`  scale ${opts.scale} clusters, one-tenant change (${step}): ${change.built} built, ${change.written} written, ${timeText(change, 2)}, ${fmt(change.peakMiB, 0)} MiB (load ${load[load.length - 1]})\n`);
      return change;
    });
    const change = [...changes].sort((a, b) => a.seconds - b.seconds)[(changes.length - 1) >> 1];
    return { clusters: opts.scale, objects: cold.objects, cold, change, changes, load };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const fmt = (n: number | undefined, digits: number) => (n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));
/** A run's wall time and, beside it, its CPU seconds (all threads): CPU moves much less with the host's speed. */
const timeText = (run: { seconds?: number; cpuSeconds?: number }, digits: number) => `${fmt(run.seconds, digits)} s (cpu ${fmt(run.cpuSeconds, digits)} s)`;

function main(): void {
  const opts = parseOptions(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(opts.tmpdir, 'kprod-bench-'));
  const results: Measurement[] = [];
  let scale: ScaleMeasurement | undefined;
  const startLoad = loadavg();
  const hostSpeed: HostSpeed[] = [measureHostSpeed(opts.tmpdir)];
  try {
    if (opts.scale) scale = measureScale(opts, tmp);
    for (const clusters of opts.sizes) {
      const prepared = path.join(tmp, `fleet-${clusters}.json`);
      if (opts.modes.includes('cdk8s') || opts.modes.includes('floor')) runWorker(['prepare', String(clusters), prepared], opts);
      const runs = clusters >= 100 ? opts.largeRuns : opts.runs;
      // In turns: run r of every mode before run r + 1 of any.
      const samples = new Map<Mode, Array<Record<string, any>>>(opts.modes.map((mode) => [mode, []]));
      for (let r = 0; r < runs; r++) for (const mode of opts.modes) samples.get(mode)!.push(runWorker([mode, String(clusters), prepared], opts));
      for (const mode of opts.modes) {
        const runsOf = samples.get(mode)!;
        const m: Measurement = {
          mode,
          clusters,
          objects: runsOf[0].objects,
          seconds: median(runsOf.map((s) => s.seconds)),
          cpuSeconds: median(runsOf.map((s) => s.cpuSeconds)),
          peakMiB: Math.max(...runsOf.map((s) => s.peakMiB)),
        };
        results.push(m);
        process.stderr.write(`  ${clusters} clusters, ${mode}: ${m.objects} objects, ${timeText(m, 3)}, ${fmt(m.peakMiB, 0)} MiB (${runs} runs)\n`);
      }
      fs.rmSync(prepared, { force: true });
    }
    hostSpeed.push(measureHostSpeed(opts.tmpdir));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  const find = (mode: Mode, clusters: number) => results.find((r) => r.mode === mode && r.clusters === clusters);
  const rows = results.map((r) => {
    const raw = find('cdk8s', r.clusters);
    const floor = find('floor', r.clusters);
    const prevSize = opts.sizes[opts.sizes.indexOf(r.clusters) - 1];
    const prev = prevSize !== undefined ? find(r.mode, prevSize) : undefined;
    return [
      String(r.clusters),
      r.mode,
      String(r.objects),
      fmt(r.seconds, 3),
      fmt(r.cpuSeconds, 3),
      fmt(r.objects / r.seconds, 0),
      fmt(r.peakMiB, 0),
      raw ? fmt(r.seconds / raw.seconds, 2) : '-',
      floor ? fmt(r.seconds / floor.seconds, 2) : '-',
      prev ? fmt(growthPerDoubling(prev.objects, prev.seconds, r.objects, r.seconds), 2) : '-',
    ];
  });
  console.log(
    `kprod synth benchmark: node ${process.version}, ${os.availableParallelism()} cores, runs ${opts.runs} (${opts.largeRuns} for 100+ clusters), median time, max peak RSS, output in ${opts.tmpdir}` +
      (opts.synthetic ? `, plus ${opts.synthetic} synthetic objects per tenant namespace` : ''),
  );
  console.log(table(['clusters', 'mode', 'objects', 'seconds', 'cpu s', 'objects/s', 'peak MiB', 'x cdk8s', 'x floor', 'x/doubling'], rows));
  console.log(`load average (1 min): ${startLoad} at the start, ${loadavg()} at the end${scale ? `; scale runs ${scale.load.join(' → ')}` : ''}`);
  // The VM's speed drifts while it is idle: fixed work timed at both ends (host-speed.ts has its usual values).
  console.log(`host speed: ${hostSpeed.map(describeHostSpeed).join(' at the start; ')} at the end`);
  if (scale)
    console.log(
      `scale: ${scale.objects} objects (${scale.clusters} clusters) in ${fmt(scale.cold.seconds, 1)} s, peak ${fmt(scale.cold.peakMiB, 0)} MiB; ` +
        `one-tenant change in ${fmt(scale.change.seconds, 1)} s (${fmt(scale.cold.seconds / scale.change.seconds, 0)}x faster than cold)` +
        (scale.changes.length > 1 ? `, median of ${scale.changes.length}: ${scale.changes.map((c) => fmt(c.seconds, 1)).join(', ')} s` : ''),
    );

  const largest = opts.sizes[opts.sizes.length - 1];
  const headline = find('kprod-parallel', largest) ?? find('kprod', largest);
  if (!headline) return;
  const raw = find('cdk8s', largest);
  const floor = find('floor', largest);
  console.log(
    `bench: ${headline.objects} objects in ${fmt(headline.seconds, 2)} s, ${raw ? fmt(headline.seconds / raw.seconds, 2) : '-'}x raw cdk8s, ` +
      `${floor ? fmt(headline.seconds / floor.seconds, 2) : '-'}x floor, peak ${fmt(headline.peakMiB, 0)} MiB`,
  );
}

if (require.main === module) main();
