/**
 * One measured run in its own process, so runs don't share heap or peak RSS:
 *   node build/bench/worker.js <mode> <clusters> [prepared.json]
 *   node build/bench/worker.js prepare <clusters> <prepared.json>
 *   node build/bench/worker.js scale-cold <clusters> <outDir>     (the scale line: cold synth into outDir)
 *   node build/bench/worker.js scale-change <clusters> <outDir>   (then one tenant changed, over that tree)
 *   node build/bench/worker.js scale-revert <clusters> <outDir>   (the tenant as generated again, over the changed tree)
 * Prints one JSON line: { mode, clusters, objects, files, seconds, cpuSeconds, peakMiB }.
 * Env: KPROD_BENCH_WORKERS (threads of kprod-parallel), KPROD_BENCH_SYNTHETIC (synthetic objects per
 * tenant namespace, see synthetic.ts), KPROD_BENCH_TMPDIR (where output folders go),
 * KPROD_BENCH_KEEP=1 keeps the output folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFleet } from '../lib/spec';
import { generateFleet } from './fleet-gen';
import { MODES, runFloor, runKprod, runKprodParallel, runKprodScale, runRawCdk8s, type Mode, type ModeResult } from './modes';
import { loadPrepared, prepareFleet, savePrepared } from './prepared';
import { BENCH_CAPABILITIES } from './synthetic';

async function main(argv: string[]): Promise<void> {
  const [mode, sizeArg, preparedFile] = argv;
  const clusters = Number(sizeArg);
  const input = generateFleet({ clusters });
  if (mode === 'prepare') {
    if (!preparedFile) throw new Error('prepare needs an output file');
    const prepared = prepareFleet(parseFleet(input).spec, BENCH_CAPABILITIES);
    savePrepared(preparedFile, prepared);
    process.stdout.write(JSON.stringify({ mode, clusters, objects: prepared.objects }) + '\n');
    return;
  }
  if (mode === 'scale-cold' || mode === 'scale-change' || mode === 'scale-revert') {
    if (!preparedFile) throw new Error(`${mode} needs the output folder`);
    (globalThis as { gc?: () => void }).gc?.();
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const result = await runKprodScale(input, preparedFile, mode === 'scale-change' ? 'change' : 'as-generated');
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    const peakMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({ mode, clusters, ...result, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMiB }) + '\n');
    return;
  }
  if (!MODES.includes(mode as Mode)) throw new Error(`unknown mode ${mode}; one of ${MODES.join(', ')} or prepare`);
  const needsPrepared = mode === 'cdk8s' || mode === 'floor';
  if (needsPrepared && !preparedFile) throw new Error(`${mode} needs the prepared objects file`);
  const prepared = needsPrepared ? loadPrepared(preparedFile) : undefined;
  const outDir = fs.mkdtempSync(path.join(process.env.KPROD_BENCH_TMPDIR || os.tmpdir(), `kprod-bench-${mode}-`));
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let result: ModeResult;
  const workers = process.env.KPROD_BENCH_WORKERS ? Number(process.env.KPROD_BENCH_WORKERS) : undefined;
  if (mode === 'kprod') result = runKprod(input, outDir);
  else if (mode === 'kprod-parallel') result = await runKprodParallel(input, outDir, workers);
  else if (mode === 'cdk8s') result = runRawCdk8s(prepared!, outDir);
  else result = runFloor(prepared!, outDir);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time of all threads: unlike wall time it barely moves when other processes share the cores.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  if (process.env.KPROD_BENCH_KEEP !== '1') fs.rmSync(outDir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify({ mode, clusters, ...result, seconds, cpuSeconds, peakMiB, outDir }) + '\n');
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
    process.exit(1);
  },
);
