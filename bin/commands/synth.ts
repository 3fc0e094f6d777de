import { InvalidArgumentError, type Command } from 'commander';
import { fail } from '../cli-errors';

/** `kprod synth`: validate a fleet spec and bring the output folder up to date. */
export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('validate a fleet spec and synthesize it into a GitOps tree')
    .requiredOption('--spec <file>', 'fleet spec: .ts, .js, .yaml, .yml or .json')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--allow-prune', "let a synth delete more than 30 % of a cluster's files, or any Namespace, CRD or Cluster", false)
    .option('--dry-run', 'report what would change, write nothing', false)
    .option('--workers <n>', 'threads to spread clusters over (default: every core for fleets of 20 or more clusters, else 1)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
      return n;
    })
    .action(async (opts: { spec: string; out: string; allowPrune: boolean; dryRun: boolean; workers?: number }) => {
      try {
        // Loaded on use: `kprod --help`, `--version` and `validate` start without cdk8s.
        const { synthAsync } = await import('../../constructs/synth');
        const report = await synthAsync(opts.spec, { outDir: opts.out, allowPrune: opts.allowPrune, dryRun: opts.dryRun, workers: opts.workers });
        for (const w of report.warnings) console.warn(w);
        for (const line of report.summary) console.log(line);
        for (const line of report.changes) console.log(line);
        const verb = opts.dryRun ? 'would write' : 'wrote';
        console.log(
          `kprod: ${report.objects} objects in ${report.files} files; ${verb} ${report.written.length} (${report.added.length} added, ${report.changed.length} changed), unchanged ${report.unchanged}, deleted ${report.deleted.length} → ${opts.out}`,
        );
      } catch (e) {
        fail(e);
      }
    });
}
