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
 * One manifest as YAML: no anchors or aliases (shared objects are written out in full, as
 * kubectl expects), no line folding (so long strings diff cleanly), no timestamps. Strings are
 * quoted wherever a YAML 1.1 reader (Kubernetes' go-yaml, kprod check) would take them for
 * another type: `on`, `yes`, `1:30`, or `.` (a float in 1.1), the value of Argo CD's
 * manifest-generate-paths annotation.
 */
export function manifestToYaml(obj: Record<string, unknown>): string {
  return stringify(ordered(obj), { version: '1.1', aliasDuplicateObjects: false, lineWidth: 0, minContentWidth: 0, directives: false });
}
