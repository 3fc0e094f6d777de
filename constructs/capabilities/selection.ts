/**
 * Which capabilities build a fleet: the built-in set, with capabilities added, replaced and
 * removed by id. The same selection is accepted by `synth`, `synthAsync`, the worker threads of
 * the parallel synth (which load plugins by module path: functions cannot cross threads) and the
 * CLI (`--plugin MODULE`, `kprod.config.*`).
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import * as path from 'node:path';
import { registerTypeScript } from '../../lib/spec/load';
import type { ExtensionSchemas, ParseOptions } from '../../lib/spec/extensions';
import { DNS_LABEL } from '../../lib/spec/schema/common';
import type { CniRule } from '../../lib/spec/schema/network';
import { BUILTIN_CAPABILITIES } from './builtin';
import { toCapability, type Capability, type CapabilityInput } from './contract';

export interface CapabilitySelection {
  /**
   * Modules to load capabilities from (paths, resolved against the working directory): each
   * exports a capability or an array of them as `default`, `capability` or `capabilities`. Loaded in
   * every worker thread too. A capability whose id is already in the set replaces it in place;
   * others are appended in the order given.
   * @default []
   */
  readonly plugins?: readonly string[];
  /**
   * Capability objects to add (same replace-or-append rule, after `plugins`). In-process only:
   * the parallel synth refuses them with more than one thread; put them in a plugin module.
   * @default []
   */
  readonly add?: readonly Capability[];
  /** Ids of capabilities to drop (built-in or added); an unknown id is an error. @default [] */
  readonly remove?: readonly string[];
}

/** A plugin module's capabilities. */
export function loadPlugin(module: string): Capability[] {
  const abs = path.resolve(module);
  if (abs.endsWith('.ts')) registerTypeScript();
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(abs);
  } catch (e) {
    throw new Error(`plugin ${module}: cannot load (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
  }
  const exported = mod.default ?? mod.capabilities ?? mod.capability;
  const list = Array.isArray(exported) ? exported : exported === undefined ? [] : [exported];
  if (!list.length) throw new Error(`plugin ${module}: exports no capability (export default, capability or capabilities)`);
  list.forEach((c, i) => checkCapability(c, `plugin ${module}${list.length > 1 ? `[${i}]` : ''}`));
  return list as Capability[];
}

function checkCapability(c: unknown, where: string): asserts c is Capability {
  const cap = c as Partial<Capability> | undefined;
  if (!cap || typeof cap !== 'object' || typeof cap.build !== 'function') throw new Error(`${where}: not a capability (needs an id and a build function)`);
  if (typeof cap.id !== 'string' || !DNS_LABEL.test(cap.id)) throw new Error(`${where}: capability id must be a DNS-1123 label (got ${JSON.stringify(cap.id)})`);
}

/**
 * The capability set of a selection: built-ins, then plugins and `add` (replacing by id or
 * appending), minus `remove`. The result is frozen.
 */
export function resolveCapabilities(selection: CapabilitySelection = {}, base: readonly CapabilityInput[] = BUILTIN_CAPABILITIES): readonly Capability[] {
  const set = base.map(toCapability);
  const added = [...(selection.plugins ?? []).flatMap(loadPlugin), ...(selection.add ?? [])];
  const seen = new Set<string>();
  for (const c of added) {
    checkCapability(c, `capability ${JSON.stringify((c as Capability)?.id)}`);
    if (seen.has(c.id)) throw new Error(`capability "${c.id}" is added twice`);
    seen.add(c.id);
    const at = set.findIndex((s) => s.id === c.id);
    if (at >= 0) set[at] = c;
    else set.push(c);
  }
  for (const id of selection.remove ?? []) {
    const at = set.findIndex((s) => s.id === id);
    if (at < 0) throw new Error(`cannot remove capability "${id}": not in the set (${set.map((s) => s.id).join(', ')})`);
    set.splice(at, 1);
  }
  checkCapabilitySet(set);
  return Object.freeze(set);
}

/** Ids are unique, and every capability's `requires` are in the set, before it. */
export function checkCapabilitySet(set: readonly Capability[]): void {
  const ids = new Set<string>();
  for (const c of set) {
    if (ids.has(c.id)) throw new Error(`two capabilities have the id "${c.id}"`);
    for (const required of c.requires ?? []) {
      if (ids.has(required)) continue;
      const later = set.some((s) => s.id === required);
      throw new Error(`capability "${c.id}" requires "${required}", which ${later ? 'builds after it; add it before' : 'is not in the capability set'}`);
    }
    ids.add(c.id);
  }
}

/** What parseFleet needs to know of a capability set: its ids and settings schemas. */
export function parseOptionsOf(set: readonly CapabilityInput[]): ParseOptions {
  const extensions: Record<string, ExtensionSchemas[string]> = {};
  const cniRules: Record<string, readonly CniRule[]> = {};
  set.forEach((input, i) => {
    const c = toCapability(input, i);
    extensions[c.id] = c.settings ?? null;
    if (c.cniRules) cniRules[c.id] = c.cniRules;
  });
  return { extensions, cniRules };
}

/**
 * A capability's settings schema as JSON Schema, defaults included: cache keys hash the spec as
 * given, so a plugin whose settings defaults change must change the key too.
 */
function settingsShape(c: Capability): string {
  if (!c.settings) return '';
  try {
    return JSON.stringify(z.toJSONSchema(c.settings, { unrepresentable: 'any' }));
  } catch {
    return 'unrepresentable';
  }
}

/**
 * A stable string naming a capability set and its code: the same set from the same code gives the
 * same key in every process; adding, removing, reordering or changing a capability (its version or
 * its build function's source) changes it. For caches of synth output.
 */
export function capabilitySetKey(set: readonly CapabilityInput[]): string {
  const hash = createHash('sha256');
  set.forEach((input, i) => {
    const c = toCapability(input, i);
    const source = typeof input === 'function' ? input.toString() : c.build.toString();
    hash.update(`${c.id}\0${c.version ?? '0'}\0${(c.extends ?? []).join(',')}\0${(c.requires ?? []).join(',')}\0${source}\0${settingsShape(c)}\0`);
  });
  return `${set.map((c, i) => toCapability(c, i).id).join(',')}#${hash.digest('hex').slice(0, 16)}`;
}

/** Plugin paths made absolute (workers may run with another working directory). */
export function absolutePlugins(selection: CapabilitySelection): CapabilitySelection {
  return { ...selection, plugins: selection.plugins?.map((p) => path.resolve(p)) };
}
