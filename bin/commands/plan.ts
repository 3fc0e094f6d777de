import type { Command } from 'commander';
import { synthFleet } from '../../constructs/fleet';
import { describePlan, planTransition } from '../../lib/day2/plan';
import { readTree } from '../../lib/gitops/read-tree';
import { formatIssue, loadSpecFile } from '../../lib/spec';
import { fail } from '../cli-errors';

/**
 * `kprod plan`: what a spec change would do to the live fleet, against the tree in `--out` (the
 * committed dist/). Writes nothing. Exit 0: no change; 2: changes; 3: a real synth would be
 * refused (a transition the fleet refuses, or the prune guard); 1: invalid spec.
 */
export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show the files, rollouts and refusals a spec change would cause; write nothing')
    .requiredOption('--spec <file>', 'fleet spec: .ts, .js, .yaml, .yml or .json')
    .option('--out <dir>', 'the output folder holding the previous tree', 'dist')
    .option('--allow-prune', 'as for synth: mass deletions are intended')
    .action((opts: { spec: string; out: string; allowPrune?: boolean }) => {
      try {
        const { spec, warnings } = loadSpecFile(opts.spec);
        for (const w of warnings) console.warn(formatIssue(w));
        const plan = planTransition(readTree(opts.out), synthFleet(spec).files, spec, { allowPrune: opts.allowPrune === true });
        for (const line of describePlan(plan)) console.log(line);
        process.exitCode = plan.exitCode;
      } catch (e) {
        fail(e);
      }
    });
}
