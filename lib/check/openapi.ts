import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { pointerSegments, type Segment } from './paths';
import type { CrdSchema } from './schemas';

/** Kubernetes `duration` is a Go duration (`5m0s`), not ISO 8601. */
const GO_DURATION = /^(0|[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$/;

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, logger: false });
  addFormats(ajv);
  ajv.addFormat('duration', GO_DURATION);
  ajv.addFormat('cidr', /^[0-9a-fA-F:.]+\/[0-9]{1,3}$/);
  ajv.addFormat('mac', /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/);
  // formats the API server accepts without checking
  for (const f of ['int-or-string', 'password', 'byte', 'quantity', 'int32', 'int64', 'float', 'double', 'uint32', 'uint64']) ajv.addFormat(f, true);
  return ajv;
}

const ajv = newAjv();

/** ObjectMeta as far as an offline check can tell: names are strings, labels and annotations string maps. */
const OBJECT_META = {
  type: 'object',
  // the other ObjectMeta fields are the API server's (uid, resourceVersion, ...): not refused here
  'x-kubernetes-preserve-unknown-fields': true,
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
  },
};

/** A CRD version's top-level schema with ObjectMeta, apiVersion and kind as the API server checks them. */
export function topLevelSchema(schema: CrdSchema): CrdSchema {
  return { ...schema, type: 'object', properties: { ...((schema.properties as object) ?? {}), metadata: OBJECT_META, apiVersion: { type: 'string' }, kind: { type: 'string' } } };
}

const configValidators = new Map<string, ValidateFunction>();

/** The compiled validator of a config kind's JSON Schema, compiled once per process. */
export function configValidator(file: string, schema: Record<string, unknown>): ValidateFunction {
  let v = configValidators.get(file);
  if (!v) {
    v = ajv.compile(schema);
    configValidators.set(file, v);
  }
  return v;
}

export interface SchemaError {
  readonly segs: Segment[];
  readonly message: string;
}

/** ajv errors as path + message, without the noise of the branches of an anyOf that failed as a whole. */
export function schemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  const list = errors ?? [];
  const anyOfAt = new Set(list.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath));
  const out: SchemaError[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath) && anyOfAt.has(e.instancePath)) continue;
    const segs = pointerSegments(e.instancePath);
    let message = e.message ?? e.keyword;
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'additionalProperties') {
      segs.push(String(params.additionalProperty));
      message = 'unknown field';
    } else if (e.keyword === 'required') {
      segs.push(String(params.missingProperty));
      message = 'required field missing';
    } else if (e.keyword === 'enum') {
      const values = (params.allowedValues as unknown[]).map((v) => JSON.stringify(v));
      message = `must be one of ${values.slice(0, 12).join(', ')}${values.length > 12 ? ', ...' : ''}`;
    } else if (e.keyword === 'const') message = `must be ${JSON.stringify(params.allowedValue)}`;
    else if (e.keyword === 'anyOf' || e.keyword === 'oneOf') message = `does not match any allowed form (${e.keyword})`;
    const key = `${segs.join('\u0000')}\u0001${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ segs, message });
  }
  return out;
}
