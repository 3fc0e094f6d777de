import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { checkTree, formatReport } from '../../lib/check';

interface CheckFlags {
  previous?: string;
  strict?: boolean;
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

/**
 * `kprod check DIR [--previous DIR]`: every object of a synthesized tree checked offline as the
 * clusters would (schemas, CEL, webhook rules; with --previous, as updates). Exit 1 on a failure,
 * 2 on a usage error; with --strict an unevaluated rule fails too.
 */
export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('check a synthesized tree offline as the management and workload clusters would')
    .argument('<dir>', 'the tree to check (a kprod synth output folder)')
    .option('--previous <dir>', 'the tree the clusters hold today: objects in both are checked as updates')
    .option('--strict', 'exit 1 when a rule could not be evaluated, too')
    .action((dir: string, opts: CheckFlags) => {
      for (const d of [dir, opts.previous].filter((x): x is string => x !== undefined)) {
        if (!isDir(d)) {
          console.error(`kprod: ${d}: not a directory`);
          process.exitCode = 2;
          return;
        }
      }
      const report = checkTree(dir, { previous: opts.previous });
      for (const line of formatReport(report)) console.log(line);
      // exitCode, not exit(): a long report piped to another program is flushed before node exits
      process.exitCode = report.failed > 0 || (opts.strict && report.unevaluated.length > 0) ? 1 : 0;
    });
}
