import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import type { Segment } from './paths';
import type { CheckFailure } from './report';

/** A Kubernetes object found in a tree: a document of a file, or a document embedded in one. */
export interface CheckItem {
  readonly file: string;
  /** `Kind/name` of the top-level object the item is in. */
  readonly object: string;
  /** Where the item sits inside the top-level object (empty for the object itself). */
  readonly segs: readonly Segment[];
  readonly obj: Record<string, unknown>;
  /** True for documents carried as strings (files[].content, ConfigMap data) or nested config objects. */
  readonly embedded: boolean;
}

/** YAML 1.1 as Kubernetes reads it: unquoted yes/no/on/off are booleans, merge keys apply. */
const YAML_OPTIONS = { version: '1.1', merge: true } as const;
const MAX_EMBEDDED_DEPTH = 5;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const hasTypeMeta = (v: unknown): v is Json => isObject(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';

/** The documents of one manifest file; a parse error is thrown with its first line. */
export function parseManifest(file: string, text: string): unknown[] {
  if (file.endsWith('.json')) {
    const value = JSON.parse(text) as unknown;
    return Array.isArray(value) ? value : [value];
  }
  const docs = parseAllDocuments(text, YAML_OPTIONS);
  const list = Array.isArray(docs) ? docs : [docs];
  const bad = list.find((d) => d.errors.length > 0);
  if (bad) throw new Error(bad.errors[0].message.split('\n')[0]);
  return list.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown);
}

/** Objects with apiVersion and kind in an embedded text (YAML or JSON, several documents); anything else is not a manifest. */
function embeddedDocuments(text: string | undefined): Json[] {
  if (!text || !/apiVersion/.test(text) || !/kind/.test(text)) return [];
  try {
    const docs = parseAllDocuments(text, YAML_OPTIONS);
    const list = Array.isArray(docs) ? docs : [docs];
    if (list.some((d) => d.errors.length > 0)) return [];
    return list.map((d) => d.toJS({ maxAliasCount: 1000 }) as unknown).filter(hasTypeMeta);
  } catch {
    return [];
  }
}

/** cloud-init / Cluster API file encodings. */
function decode(content: string, encoding: unknown): string | undefined {
  try {
    if (encoding === 'base64') return Buffer.from(content, 'base64').toString('utf8');
    if (encoding === 'gzip+base64') return gunzipSync(Buffer.from(content, 'base64')).toString('utf8');
  } catch {
    return undefined;
  }
  return content;
}

/**
 * Documents embedded in obj: the `content` of every `files[]` entry, ConfigMap `data`, Secret
 * `data` (base64) and `stringData`, and — inside config kinds only — nested objects of a config
 * kind (an AdmissionConfiguration plugin's PodSecurityConfiguration).
 */
function findEmbedded(obj: Json, isConfigKind: (o: Json) => boolean, emit: (doc: Json, segs: Segment[]) => void): void {
  const nestedConfigs = isConfigKind(obj);
  const marker = (j: number, all: Json[]): Segment[] => (all.length > 1 ? [`{#${j}}`] : []);
  const visit = (node: unknown, segs: Segment[], depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 100) return;
    if (Array.isArray(node)) {
      node.forEach((v, i) => visit(v, [...segs, i], depth + 1));
      return;
    }
    const o = node as Json;
    if (nestedConfigs && depth > 0 && hasTypeMeta(o) && isConfigKind(o)) {
      emit(o, segs);
      return;
    }
    for (const [k, v] of Object.entries(o)) {
      if (k === 'files' && Array.isArray(v)) {
        v.forEach((f, i) => {
          if (isObject(f) && typeof f.content === 'string') {
            embeddedDocuments(decode(f.content, f.encoding)).forEach((d, j, all) => emit(d, [...segs, k, i, 'content', ...marker(j, all)]));
          }
        });
      }
      visit(v, [...segs, k], depth + 1);
    }
  };
  visit(obj, [], 0);
  if (obj.apiVersion === 'v1' && (obj.kind === 'ConfigMap' || obj.kind === 'Secret')) {
    for (const [field, base64] of [['data', obj.kind === 'Secret'], ['stringData', false]] as const) {
      const map = obj[field];
      if (!isObject(map)) continue;
      for (const [key, value] of Object.entries(map)) {
        if (typeof value !== 'string') continue;
        embeddedDocuments(base64 ? decode(value, 'base64') : value).forEach((d, j, all) => emit(d, [field, key, ...marker(j, all)]));
      }
    }
  }
}

/** Every object of every manifest file (.yaml, .yml, .json), with the documents embedded in it. */
export function collectItems(
  files: ReadonlyMap<string, string>,
  isConfigKind: (o: Json) => boolean,
): { items: CheckItem[]; problems: CheckFailure[] } {
  const items: CheckItem[] = [];
  const problems: CheckFailure[] = [];
  for (const file of [...files.keys()].sort()) {
    if (!/\.(ya?ml|json)$/.test(file)) continue;
    let docs: unknown[];
    try {
      docs = parseManifest(file, files.get(file)!);
    } catch (err) {
      problems.push({ file, object: '-', path: '(file)', message: `cannot parse: ${(err as Error).message}` });
      continue;
    }
    for (const doc of docs) {
      if (doc === null || doc === undefined) continue;
      const list = isObject(doc) && doc.apiVersion === 'v1' && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items) ? doc.items : [doc];
      for (const obj of list) {
        if (!isObject(obj)) {
          problems.push({ file, object: '-', path: '(root)', message: 'not an object' });
          continue;
        }
        const meta = isObject(obj.metadata) ? obj.metadata : {};
        const object = `${String(obj.kind ?? '-')}/${String(meta.name ?? '-')}`;
        items.push({ file, object, segs: [], obj, embedded: false });
        const addEmbedded = (parent: Json, prefix: Segment[], depth: number): void =>
          findEmbedded(parent, isConfigKind, (d, segs) => {
            const at = [...prefix, ...segs, `{${String(d.kind)}}`];
            items.push({ file, object, segs: at, obj: d, embedded: true });
            if (depth < MAX_EMBEDDED_DEPTH) addEmbedded(d, at, depth + 1);
          });
        addEmbedded(obj, [], 0);
      }
    }
  }
  return { items, problems };
}

/** A copy without null-valued fields: the API server and Go decoding treat `field: null` as unset. */
export function stripNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripNulls) as T;
  if (isObject(value)) {
    const out: Json = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripNulls(v);
    return out as T;
  }
  return value;
}
