#!/usr/bin/env node
import { Command } from 'commander';
import { registerCheck } from './commands/check';
import { registerPlan } from './commands/plan';
import { registerSynth } from './commands/synth';
import { registerValidate } from './commands/validate';

// One file per command under bin/commands/, each exporting a register function.
const program = new Command('kprod').description('Production Kubernetes fleets as typed code').showHelpAfterError();
registerSynth(program);
registerValidate(program);
registerCheck(program);
registerPlan(program);

void program.parseAsync();
