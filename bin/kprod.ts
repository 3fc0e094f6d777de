#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import { synthAsync } from '../constructs/synth';
import { PruneRefusedError } from '../lib/gitops';
import { formatIssue, loadSpecFile, SpecError } from '../lib/spec';

function fail(error: unknown): never {
  if (error instanceof SpecError) {
    const errors = error.issues.filter((i) => i.severity === 'error');
    console.error(`kprod: invalid spec, ${errors.length} error(s); nothing was written`);
    for (const issue of error.issues) console.error(`  ${formatIssue(issue)}`);
  } else if (error instanceof PruneRefusedError) {
    console.error(`kprod: ${error.message}`);
  } else {
    console.error(`kprod: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  process.exit(1);
}

const program = new Command('kprod').description('Production Kubernetes fleets as typed code').showHelpAfterError();

program
  .command('synth')
  .description('validate a fleet spec and synthesize it into a GitOps tree')
  .requiredOption('--spec <file>', 'fleet spec: .ts, .js, .yaml, .yml or .json')
  .option('--out <dir>', 'output folder', 'dist')
  .option('--allow-prune', 'let a synth delete more than 30 % of a cluster\'s files, or any Namespace, CRD or Cluster', false)
  .option('--dry-run', 'report what would change, write nothing', false)
  .option('--workers <n>', 'threads to spread clusters over (default: every core for fleets of 20 or more clusters, else 1)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be an integer ≥ 1');
    return n;
  })
  .action(async (opts: { spec: string; out: string; allowPrune: boolean; dryRun: boolean; workers?: number }) => {
    try {
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

program
  .command('validate')
  .description('validate a fleet spec without writing anything')
  .requiredOption('--spec <file>', 'fleet spec: .ts, .js, .yaml, .yml or .json')
  .action((opts: { spec: string }) => {
    try {
      const { warnings } = loadSpecFile(opts.spec);
      for (const w of warnings) console.warn(formatIssue(w));
      console.log('kprod: spec is valid');
    } catch (e) {
      fail(e);
    }
  });

void program.parseAsync();
