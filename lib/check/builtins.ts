import { schemaErrors, type SchemaError } from './openapi';
import type { Segment } from './paths';
import fields from './builtin-fields.json';

/** Packages whose models validate built-in and add-on kinds (`<pkg>/<apiVersion>/<Kind>`). */
const MODEL_PACKAGES = ['kubernetes-models', '@kubernetes-models/argo-cd', '@kubernetes-models/prometheus-operator'];

type Ref = 0 | string | Shape;
interface Shape {
  f?: Record<string, Ref>;
  m?: Ref;
}
const FIELDS = fields as unknown as { kinds: Record<string, Ref>; types: Record<string, Ref> };

interface Model {
  new (data: unknown): { validate(): void };
}
const models = new Map<string, Model | null>();

/** The model class of a built-in or add-on kind, or null when no package provides it. */
function findModel(apiVersion: string, kind: string): Model | null {
  const key = `${apiVersion}|${kind}`;
  if (models.has(key)) return models.get(key)!;
  let found: Model | null = null;
  if (/^[a-z0-9][\w.-]*(\/[a-z0-9][\w.-]*)?$/.test(apiVersion) && /^[A-Z]\w*$/.test(kind)) {
    for (const pkg of MODEL_PACKAGES) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const mod = require(`${pkg}/${apiVersion}/${kind}`) as Record<string, Model & { kind?: string }>;
        if (mod[kind]?.kind === kind) {
          found = mod[kind];
          break;
        }
      } catch {
        // not provided by this package
      }
    }
  }
  models.set(key, found);
  return found;
}

export function isBuiltinKind(apiVersion: string, kind: string): boolean {
  return findModel(apiVersion, kind) !== null;
}

const resolve = (ref: Ref): Shape | 0 => (typeof ref === 'string' ? (FIELDS.types[ref] as Shape | 0) ?? 0 : ref);

/** Fields the model's typings do not know: the models' validate() lets them through, the API server does not. */
function unknownFields(value: unknown, ref: Ref, segs: Segment[], out: SchemaError[], depth: number): void {
  const shape = resolve(ref);
  if (!shape || value === null || typeof value !== 'object' || depth > 80) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownFields(v, ref, [...segs, i], out, depth + 1));
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    const field = shape.f?.[k];
    if (field !== undefined) unknownFields(v, field, [...segs, k], out, depth + 1);
    else if (shape.m !== undefined) unknownFields(v, shape.m, [...segs, k], out, depth + 1);
    else if (shape.f) out.push({ segs: [...segs, k], message: 'unknown field' });
  }
}

/** Errors of a built-in (kubernetes-models), Argo CD or prometheus-operator object; undefined when no model knows the kind. */
export function checkBuiltin(obj: Record<string, unknown>): SchemaError[] | undefined {
  const apiVersion = String(obj.apiVersion);
  const kind = String(obj.kind);
  const Model = findModel(apiVersion, kind);
  if (!Model) return undefined;
  let errors: SchemaError[] = [];
  try {
    new Model(obj).validate();
  } catch (err) {
    const e = err as { errors?: unknown; message?: string };
    errors = Array.isArray(e.errors) ? schemaErrors(e.errors) : [{ segs: [], message: String(e.message ?? err) }];
  }
  const ref = FIELDS.kinds[`${apiVersion}|${kind}`];
  if (ref !== undefined) {
    const seen = new Set(errors.map((e) => e.segs.join('\u0000')));
    const unknown: SchemaError[] = [];
    unknownFields(obj, ref, [], unknown, 0);
    errors.push(...unknown.filter((e) => !seen.has(e.segs.join('\u0000'))));
  }
  return errors;
}
