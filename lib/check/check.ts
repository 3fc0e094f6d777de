import { readFileSync } from 'node:fs';
import path from 'node:path';
import { listFiles } from '../gitops/tree-writer';
import { checkBuiltin } from './builtins';
import { evaluateCel } from './cel';
import { collectItems, stripNulls, type CheckItem } from './documents';
import { configValidator, schemaErrors, topLevelSchema, type SchemaError } from './openapi';
import { formatPath, type Segment } from './paths';
import type { CheckFailure, CheckReport, CheckUnevaluated } from './report';
import { schemaIndex, type CrdSchema } from './schemas';
import { validateStructural } from './structural';
import { WEBHOOK_KINDS, WEBHOOK_RULES, type WebhookFinding } from './webhooks';

export interface CheckOptions {
  /**
   * The tree the clusters hold today (what Argo CD applied last). Objects found in both trees
   * (same API group, kind, namespace and name) are checked as updates: CEL transition rules and the
   * webhooks' update rules run against the old object.
   * @default undefined (every object is checked as a create)
   */
  readonly previous?: ReadonlyMap<string, string>;
}

type Json = Record<string, unknown>;
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/** Identity of an object across two trees: API group, kind, namespace, name (the version may move). */
function identity(obj: Json): string {
  const meta = (obj.metadata ?? {}) as Json;
  return [groupOf(String(obj.apiVersion)), String(obj.kind), String(meta.namespace ?? ''), String(meta.name ?? '')].join('|');
}

function previousObjects(files: ReadonlyMap<string, string> | undefined): Map<string, Json> {
  const out = new Map<string, Json>();
  if (!files) return out;
  for (const item of collectItems(files, () => false).items) if (!item.embedded) out.set(identity(item.obj), stripNulls(item.obj));
  return out;
}

/**
 * Checks every object of an in-memory tree (file name → text) offline, as the management and
 * workload clusters would: upstream OpenAPI schemas with unknown fields refused, CRD CEL rules,
 * the providers' webhook rules, built-in kinds through kubernetes-models, and the config documents
 * carried in files[].content and ConfigMap data. Never throws on bad input: a file that does not
 * parse is a failure.
 */
export function checkFiles(files: ReadonlyMap<string, string>, options: CheckOptions = {}): CheckReport {
  const index = schemaIndex();
  const isConfigKind = (o: Json) => index.configs.has(`${String(o.apiVersion)}|${String(o.kind)}`);
  const { items, problems } = collectItems(files, isConfigKind);
  const previous = previousObjects(options.previous);
  const failures: CheckFailure[] = [...problems];
  const unevaluated: CheckUnevaluated[] = [];
  let failed = problems.length;

  for (const item of items) {
    const obj = stripNulls(item.obj);
    const old = item.embedded ? undefined : previous.get(identity(obj));
    const found = checkItem(obj, old);
    const at = (segs: readonly Segment[]) => formatPath([...item.segs, ...segs]);
    if (found.errors.length) failed++;
    for (const e of found.errors) failures.push({ file: item.file, object: item.object, path: at(e.segs), message: e.message });
    for (const u of found.unevaluated) unevaluated.push({ file: item.file, object: item.object, path: at(u.segs), reason: u.message });
  }
  return { objects: items.length, failed, failures, unevaluated };
}

interface ItemFindings {
  errors: SchemaError[];
  unevaluated: SchemaError[];
}

const topSchemas = new Map<string, CrdSchema>();
function topSchema(key: string, schema: CrdSchema): CrdSchema {
  let s = topSchemas.get(key);
  if (!s) topSchemas.set(key, (s = topLevelSchema(schema)));
  return s;
}

function checkItem(obj: Json, old: Json | undefined): ItemFindings {
  const index = schemaIndex();
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const key = `${apiVersion}|${kind}`;
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || !apiVersion || !kind) {
    return { errors: [{ segs: [], message: 'apiVersion and kind must be non-empty strings' }], unevaluated: [] };
  }

  const crd = index.crds.get(key);
  if (crd) {
    const errors = validateStructural(topSchema(key, crd.schema), obj);
    const cel = evaluateCel(crd.schema, obj, old);
    errors.push(...cel.failures);
    const unevaluated: SchemaError[] = cel.unevaluated.map((u) => ({ segs: u.segs, message: u.reason }));
    const rule = WEBHOOK_RULES.get(key);
    if (rule) {
      for (const f of rule(obj, old) as WebhookFinding[]) (f.unevaluated ? unevaluated : errors).push({ segs: f.segs, message: f.unevaluated ? f.message : `${f.message} (admission webhook)` });
    } else if (WEBHOOK_KINDS.has(`${crd.group}|${kind}`)) {
      unevaluated.push({ segs: ['apiVersion'], message: `webhook rules of ${kind} are written for another version than ${apiVersion}` });
    }
    return { errors, unevaluated };
  }
  const served = index.servedVersions.get(`${groupOf(apiVersion)}|${kind}`);
  if (served) return { errors: [{ segs: ['apiVersion'], message: `${apiVersion} is not a served version of ${kind} (served: ${served.join(', ')})` }], unevaluated: [] };

  const config = index.configs.get(key);
  if (config) {
    const validate = configValidator(config.file, config.schema);
    return { errors: validate(obj) ? [] : schemaErrors(validate.errors), unevaluated: [] };
  }
  const builtin = checkBuiltin(obj);
  if (builtin) return { errors: builtin, unevaluated: [] };
  return { errors: [], unevaluated: [{ segs: [], message: `no schema for ${apiVersion} ${kind}` }] };
}

/** The manifest files under dir (file name as dir/relative path → text), in a stable order. */
export function readTree(dir: string): Map<string, string> {
  // The writer's listing: dot-entries (.git, kprod's .kprod/ record and cache) hold no manifests.
  const files = listFiles(dir).filter((f) => /\.(ya?ml|json)$/.test(f) && !f.split('/').includes('node_modules'));
  return new Map(files.map((f) => [path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')] as const));
}

/** checkFiles over a folder on disk (and the previous tree's folder). */
export function checkTree(dir: string, options: { readonly previous?: string } = {}): CheckReport {
  return checkFiles(readTree(dir), { previous: options.previous ? readTree(options.previous) : undefined });
}

export type { CheckItem };
