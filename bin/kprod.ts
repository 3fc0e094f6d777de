#!/usr/bin/env node
import { Command } from 'commander';
import { registerCheck } from './commands/check';
import { registerPlan } from './commands/plan';
import { registerSynth } from './commands/synth';
import { registerValidate } from './commands/validate';
import { fail, setDebug } from './cli-errors';
import { packageVersion } from './version';

// One file per command under bin/commands/, each exporting a register function.
const program = new Command('kprod')
  .description('Production Kubernetes fleets as typed code')
  .version(packageVersion(), '-V, --version', 'print the kprod version')
  .option('--debug', 'print stack traces of failures (also KPROD_DEBUG=1)')
  .showHelpAfterError("(run 'kprod --help' for usage)")
  // A stray word (a forgotten flag name, an unquoted path with a space) is a mistake, not ignored.
  .allowExcessArguments(false)
  .hook('preAction', (cmd) => setDebug(Boolean(cmd.opts().debug)));
registerSynth(program);
registerValidate(program);
registerCheck(program);
registerPlan(program);
// Examples of commands whose files other work owns are attached here, beside the program's own.
program.commands.find((c) => c.name() === 'synth')?.addHelpText('after', '\nExamples:\n  kprod synth --spec examples/fleet.ts --out dist\n  kprod synth --spec fleet.yaml --out gitops/dist --dry-run');
program.addHelpText(
  'after',
  `
Examples:
  kprod validate --spec fleet.yaml           check a spec, write nothing
  kprod synth --spec fleet.ts --out dist     synthesize the GitOps tree into dist/
  kprod synth --spec fleet.ts --dry-run      report what a synth would change
  kprod plan --spec fleet.ts --out dist      what a change does to the live fleet (exit 0/2/3)
  kprod check dist                           check a tree as the clusters would
  kprod <command> --help                     options of one command

Exit codes: 0 success; 1 invalid spec, unreadable file, bad option or failure (see README "Exit codes").`,
);

setDebug(process.argv.includes('--debug'));
program.parseAsync().catch(fail);
