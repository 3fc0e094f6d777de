import type { Command } from 'commander';
import { formatIssue, loadSpecFile } from '../../lib/spec';
import { parseOptionsOf, resolveCapabilities } from '../../constructs/capabilities/selection';
import { addCapabilityOptions, capabilitySelection, type CapabilityFlags } from '../capability-options';
import { fail } from '../cli-errors';

/** `kprod validate`: parse and check a spec, write nothing. */
export function registerValidate(program: Command): void {
  addCapabilityOptions(program.command('validate'))
    .description('validate a fleet spec without writing anything')
    .requiredOption('--spec <file>', 'fleet spec: .ts, .mts, .cts, .js, .mjs, .cjs, .yaml, .yml or .json')
    .addHelpText('after', '\nExample:\n  kprod validate --spec examples/clusters/edge-lab.yaml')
    .action(async (opts: { spec: string } & CapabilityFlags) => {
      try {
        // The loader synth uses (sync), so that validate and synth accept and refuse the same files;
        // capability settings (extensions.<id>) are part of the spec: validate them too.
        const { warnings } = loadSpecFile(opts.spec, parseOptionsOf(resolveCapabilities(capabilitySelection(opts))));
        for (const w of warnings) console.warn(formatIssue(w));
        console.log('kprod: spec is valid');
      } catch (e) {
        fail(e);
      }
    });
}
