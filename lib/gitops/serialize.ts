import { stringify } from 'yaml';

const HEAD = ['apiVersion', 'kind', 'metadata'];

/** apiVersion, kind and metadata first; the rest as built (construction order is deterministic). */
function ordered(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of HEAD) if (k in obj) out[k] = obj[k];
  for (const k of Object.keys(obj)) if (!HEAD.includes(k)) out[k] = obj[k];
  return out;
}

/**
 * `.` is a float to a YAML 1.1 reader (the float pattern allows no digits; `kprod check` reads 1.1)
 * but a string to YAML 1.2 and to go-yaml: declared as a non-string pattern here, it is written
 * quoted. The value of Argo CD's manifest-generate-paths annotation. (The whole YAML 1.1 schema
 * would quote the same for kprod's trees and costs about 15 % more serialization time.)
 */
const DOT_IS_NOT_PLAIN = { tag: 'tag:yaml.org,2002:float', default: true, test: /^\.$/, resolve: (s: string) => s };

/**
 * One manifest as YAML: no anchors or aliases (shared objects are written out in full, as
 * kubectl expects), no line folding (so long strings diff cleanly), no timestamps.
 */
export function manifestToYaml(obj: Record<string, unknown>): string {
  return stringify(ordered(obj), { aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0, directives: false, customTags: [DOT_IS_NOT_PLAIN] });
}
