/**
 * The CLI's way to choose capabilities, shared by every command that synthesizes or validates:
 * `--plugin MODULE` (repeatable), `--without ID` (repeatable) and a config file
 * (`--config FILE`, else `kprod.config.ts`, `.js` or `.json` in the working directory) with
 * `{ plugins?: string[], remove?: string[] }`; plugin paths in the file are relative to the file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { CapabilitySelection } from '../constructs/capabilities/selection';
import { registerTypeScript } from '../lib/spec/load';

export const CONFIG_FILES = ['kprod.config.ts', 'kprod.config.js', 'kprod.config.json'];

export interface CapabilityFlags {
  plugin?: string[];
  without?: string[];
  config?: string;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** Adds --plugin, --without and --config to a command. */
export function addCapabilityOptions(command: Command): Command {
  return command
    .option('--plugin <module>', 'load capabilities from a module (repeatable); one with a built-in id replaces it', collect)
    .option('--without <id>', 'remove a capability by id, e.g. cni or logging (repeatable)', collect)
    .option('--config <file>', `capability config file (default: ${CONFIG_FILES.join(', ')} in the working directory)`);
}

function readConfig(file: string): CapabilitySelection {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new Error(`config file ${file} not found`);
  let raw: unknown;
  if (abs.endsWith('.json')) raw = JSON.parse(fs.readFileSync(abs, 'utf8'));
  else {
    if (abs.endsWith('.ts')) registerTypeScript();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(abs);
    raw = mod.default ?? mod;
  }
  const config = raw as { plugins?: unknown; remove?: unknown };
  const strings = (v: unknown, key: string): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new Error(`${file}: ${key} must be a list of strings`);
    return v as string[];
  };
  const unknown = Object.keys(config ?? {}).filter((k) => k !== 'plugins' && k !== 'remove');
  if (unknown.length) throw new Error(`${file}: unknown field(s) ${unknown.join(', ')}; allowed: plugins, remove`);
  return { plugins: strings(config.plugins, 'plugins').map((p) => path.resolve(path.dirname(abs), p)), remove: strings(config.remove, 'remove') };
}

/** The selection of the config file (if any) followed by the flags. */
export function capabilitySelection(flags: CapabilityFlags, cwd = process.cwd()): CapabilitySelection {
  const configFile = flags.config ?? CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => fs.existsSync(f));
  const fromFile = configFile ? readConfig(configFile) : {};
  return {
    plugins: [...(fromFile.plugins ?? []), ...(flags.plugin ?? []).map((p) => path.resolve(cwd, p))],
    remove: [...(fromFile.remove ?? []), ...(flags.without ?? [])],
  };
}
