/** Building kubeadm extraArgs lists: one {name, value} entry, and the spec's overrides merged over kprod's defaults. */
import type { ExtraArg } from '../types';

/** One kubeadm extra argument; the value is always a string in the v1beta2 list form. */
export const arg = (name: string, value: string | number | boolean): ExtraArg => ({ name, value: String(value) });

/**
 * `overrides` (the spec's `controlPlane.<component>.extraArgs`) merged over `defaults`: an override
 * replaces the default of the same name in place; new names follow in the overrides' order.
 */
export function mergeExtraArgs(defaults: readonly ExtraArg[], overrides: Readonly<Record<string, string>> = {}): ExtraArg[] {
  const merged = defaults.map((a) => (a.name in overrides ? { name: a.name, value: overrides[a.name] } : a));
  const known = new Set(defaults.map((a) => a.name));
  for (const [name, value] of Object.entries(overrides)) if (!known.has(name)) merged.push({ name, value });
  return merged;
}
