import type { Command } from 'commander';
import { formatIssue, loadSpecFile } from '../../lib/spec';
import { fail } from '../cli-errors';

/** `kprod validate`: parse and check a spec, write nothing. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('validate a fleet spec without writing anything')
    .requiredOption('--spec <file>', 'fleet spec: .ts, .mts, .cts, .js, .mjs, .cjs, .yaml, .yml or .json')
    .addHelpText('after', '\nExample:\n  kprod validate --spec examples/clusters/edge-lab.yaml')
    .action(async (opts: { spec: string }) => {
      try {
        // The loader synth uses (sync), so that validate and synth accept and refuse the same files.
        const { warnings } = loadSpecFile(opts.spec);
        for (const w of warnings) console.warn(formatIssue(w));
        console.log('kprod: spec is valid');
      } catch (e) {
        fail(e);
      }
    });
}
