import { InvalidArgumentError, type Command } from 'commander';
import type { SynthReport } from '../../constructs/synth';
import { ForeignConflictError, ForeignFilesError } from '../../lib/gitops';
import { addCapabilityOptions, capabilitySelection, type CapabilityFlags } from '../capability-options';
import { fail } from '../cli-errors';
import { startProgress } from './synth-progress';

interface SynthFlags {
  spec: string;
  out: string;
  allowPrune: boolean;
  allowForeign: boolean;
  dryRun: boolean;
  workers?: number;
  cache: boolean;
  cacheDir?: string;
  only?: string;
  check: boolean;
}

/** `kprod synth`: validate a fleet spec and bring the output folder up to date. */
export function registerSynth(program: Command): void {
  addCapabilityOptions(program.command('synth'))
    .description('validate a fleet spec and synthesize it into a GitOps tree')
    .requiredOption('--spec <file>', 'fleet spec: .ts, .js, .yaml, .yml or .json')
    .option('--out <dir>', 'output folder', 'dist')
    .option('--allow-prune', "let a synth delete more than 30 % of a cluster's files, or any Namespace, CRD or Cluster", false)
    .option('--allow-foreign', 'write into a folder that holds files kprod did not write (they are never touched)', false)
    .option('--dry-run', 'report what would change (file by file) and what would be refused, write nothing', false)
    .option('--workers <n>', 'threads to spread clusters over (default: every core for fleets of 80 or more clusters, else 1)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
      return n;
    })
    .option('--no-cache', 'rebuild every cluster (the output is the same either way)')
    .option('--cache-dir <dir>', 'cluster cache folder (default: <out>/.kprod/cache)')
    .option('--only <env/cluster>', 'build one cluster, touching nothing outside its folders')
    .option('--check', 'run kprod check on every built cluster before writing; a failure writes nothing', false)
    .action(async (opts: SynthFlags & CapabilityFlags) => {
      const progress = startProgress();
      try {
        // Loaded on use: `kprod --help`, `--version` and `validate` start without cdk8s.
        const { synthAsync } = await import('../../constructs/synth');
        const report = await synthAsync(opts.spec, {
          outDir: opts.out,
          allowPrune: opts.allowPrune,
          allowForeign: opts.allowForeign,
          dryRun: opts.dryRun,
          workers: opts.workers,
          cache: opts.cache,
          cacheDir: opts.cacheDir,
          only: opts.only,
          check: opts.check,
          capabilities: capabilitySelection(opts),
          onProgress: (done, total) => progress.update(done, total),
        });
        progress.end();
        for (const w of report.warnings) console.warn(w);
        for (const line of report.summary) console.log(line);
        for (const line of report.changes) console.log(line);
        for (const line of report.check) console.log(line);
        if (opts.dryRun) for (const line of dryRunLines(report)) console.log(line);
        const verb = opts.dryRun ? 'would write' : 'wrote';
        const cached = report.cached ? `; ${report.cached} of ${report.cached + report.built} clusters unchanged (cache)` : '';
        const threads = report.threads > 1 ? `; built on ${report.threads} threads` : '';
        console.log(
          `kprod: ${report.objects} objects in ${report.files} files; ${verb} ${report.written.length} (${report.added.length} added, ${report.changed.length} changed), unchanged ${report.unchanged}, ${opts.dryRun ? 'would delete' : 'deleted'} ${report.deleted.length}${cached}${threads} → ${opts.out}`,
        );
      } catch (e) {
        progress.end();
        if (e instanceof ForeignFilesError || e instanceof ForeignConflictError) {
          console.error(`kprod: ${e.message}`);
          process.exit(1);
        }
        fail(e);
      }
    });
}

/** What a dry run reports beyond the counts: every file, and every refusal a real synth would raise. */
export function dryRunLines(report: SynthReport): string[] {
  const out: string[] = [];
  const list = (title: string, mark: string, files: string[]) => {
    if (files.length) out.push(`${title} (${files.length}):`, ...files.map((f) => `  ${mark} ${f}`));
  };
  list('would add', '+', report.added);
  list('would change', '~', report.changed);
  list('would delete', '-', report.deleted);
  for (const v of report.violations)
    out.push(`the prune guard would refuse (pass --allow-prune): ${v.folder}: ${v.deleted} of ${v.existing} files would be deleted (${v.reason})`);
  // Foreign files are known only for a folder without an ownership record: a real synth refuses them without --allow-foreign.
  list('files kprod did not write, no ownership record yet (a real synth refuses unless --allow-foreign; never touched)', '?', report.foreign);
  list('would refuse to overwrite files kprod does not own', '!', report.conflicts);
  list('files of an earlier kprod adopted (no ownership record yet)', '=', report.adopted);
  list('a real synth would refuse these transitions of the live fleet (see kprod plan)', '!', report.refused);
  return out;
}
