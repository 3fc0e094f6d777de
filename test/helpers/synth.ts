import { synthFleet, type CapabilityInput } from '../../constructs/fleet';
import { parseFleet } from '../../lib/spec';
import { parse } from 'yaml';

/** Synthesizes a fleet in memory and returns every object with its file. */
export function synthObjects(input: unknown, capabilities?: readonly CapabilityInput[]): Array<{ file: string; obj: any }> {
  const { spec } = parseFleet(input);
  const out = synthFleet(spec, capabilities);
  return [...out.files.entries()].filter(([f]) => f.endsWith('.yaml') && !f.includes('/kubeconfigs/')).map(([file, text]) => ({ file, obj: parse(text) }));
}

export function find(objects: Array<{ file: string; obj: any }>, kind: string, name?: string, under?: string): any {
  const hit = objects.find((o) => o.obj.kind === kind && (name === undefined || o.obj.metadata.name === name) && (under === undefined || o.file.startsWith(under)));
  if (!hit) throw new Error(`no ${kind} ${name ?? ''} under ${under ?? '/'}`);
  return hit.obj;
}

/** The content-named template `<base>-<8 hex>` of a kind (constructs/cluster-api/content-name.ts). */
export function findTemplate(objects: Array<{ file: string; obj: any }>, kind: string, base: string): any {
  const pattern = new RegExp(`^${base}-[0-9a-f]{8}$`);
  const hits = objects.filter((o) => o.obj.kind === kind && pattern.test(o.obj.metadata.name));
  if (hits.length !== 1) throw new Error(`expected one ${kind} ${base}-<hash>, found ${hits.length}`);
  return hits[0].obj;
}
