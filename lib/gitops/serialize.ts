import { blockYaml } from './block-yaml';

const HEAD = ['apiVersion', 'kind', 'metadata'];

/** apiVersion, kind and metadata first; the rest as built (construction order is deterministic). */
function ordered(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of HEAD) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!HEAD.includes(k)) out[k] = obj[k];
  return out;
}

/**
 * One manifest as YAML: no anchors or aliases (shared objects are written out in full, as
 * kubectl expects), no line folding (so long strings diff cleanly), no timestamps.
 */
export function manifestToYaml(obj: Record<string, unknown>): string {
  return blockYaml(ordered(obj));
}
