import { isIPv4 } from 'node:net';
import type { SchemaError } from './openapi';
import type { Segment } from './paths';
import type { CrdSchema } from './schemas';

/**
 * Validation of a value against a CRD structural schema, walked alongside the value (no code
 * generation: a check costs what the object holds, not what the CRD could hold). Follows the API
 * server: objects that list properties are closed unless they preserve unknown fields, required
 * fields with a default may be left out (defaulting runs first), list-type set/map items are unique.
 */
export function validateStructural(schema: CrdSchema, value: unknown, segs: Segment[] = [], out: SchemaError[] = []): SchemaError[] {
  if (value === undefined) return out;
  const type = schema.type as string | undefined;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) out.push({ segs, message: 'must be an integer or a string' });
    else if (typeof value === 'string') stringChecks(schema, value, segs, out);
    return out;
  }
  if (value === null) {
    if (schema.nullable !== true && type !== undefined) out.push({ segs, message: `must be ${type}` });
    return out;
  }
  if (type && !hasType(type, value)) {
    out.push({ segs, message: `must be ${type}` });
    return out;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value)) {
    const values = (schema.enum as unknown[]).map((v) => JSON.stringify(v));
    out.push({ segs, message: `must be one of ${values.slice(0, 12).join(', ')}${values.length > 12 ? ', ...' : ''}` });
  }
  combinators(schema, value, segs, out);
  if (typeof value === 'string') stringChecks(schema, value, segs, out);
  else if (typeof value === 'number') numberChecks(schema, value, segs, out);
  else if (Array.isArray(value)) arrayChecks(schema, value, segs, out);
  else if (typeof value === 'object') objectChecks(schema, value as Record<string, unknown>, segs, out);
  return out;
}

const EMBEDDED_META = new Set(['apiVersion', 'kind', 'metadata']);

const passes = (schema: CrdSchema, value: unknown): boolean => validateStructural(schema, value, [], []).length === 0;

/** allOf / anyOf / oneOf / not (CRDs use them for value constraints beside the structural schema). */
function combinators(schema: CrdSchema, value: unknown, segs: Segment[], out: SchemaError[]): void {
  for (const sub of (schema.allOf ?? []) as CrdSchema[]) validateStructural(sub, value, segs, out);
  const anyOf = schema.anyOf as CrdSchema[] | undefined;
  if (anyOf && !anyOf.some((s) => passes(s, value))) out.push({ segs, message: 'does not match any allowed form (anyOf)' });
  const oneOf = schema.oneOf as CrdSchema[] | undefined;
  if (oneOf && oneOf.filter((s) => passes(s, value)).length !== 1) out.push({ segs, message: 'must match exactly one allowed form (oneOf)' });
  if (schema.not && passes(schema.not as CrdSchema, value)) out.push({ segs, message: 'must NOT match the forbidden form (not)' });
}

function hasType(type: string, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return true;
  }
}

const patterns = new Map<string, RegExp | null>();
function pattern(source: string): RegExp | null {
  if (!patterns.has(source)) {
    try {
      patterns.set(source, new RegExp(source));
    } catch {
      patterns.set(source, null);
    }
  }
  return patterns.get(source)!;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The string formats the API server checks in CRDs (kube-openapi strfmt); others pass. */
function formatOk(format: string, value: string): boolean {
  switch (format) {
    case 'date-time':
      return DATE_TIME.test(value);
    case 'uuid':
      return UUID.test(value);
    case 'ipv4':
      return isIPv4(value);
    case 'byte':
      return BASE64.test(value);
    case 'uri':
      try {
        return !!new URL(value);
      } catch {
        return false;
      }
    default:
      return true;
  }
}

function stringChecks(schema: CrdSchema, value: string, segs: Segment[], out: SchemaError[]): void {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) out.push({ segs, message: `must NOT have fewer than ${schema.minLength} characters` });
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) out.push({ segs, message: `must NOT have more than ${schema.maxLength} characters` });
  if (typeof schema.pattern === 'string') {
    const re = pattern(schema.pattern);
    if (re && !re.test(value)) out.push({ segs, message: `must match pattern "${schema.pattern}"` });
  }
  if (typeof schema.format === 'string' && !formatOk(schema.format, value)) out.push({ segs, message: `must match format "${schema.format}"` });
}

function numberChecks(schema: CrdSchema, value: number, segs: Segment[], out: SchemaError[]): void {
  const min = schema.minimum as number | undefined;
  const max = schema.maximum as number | undefined;
  if (min !== undefined && (schema.exclusiveMinimum === true ? value <= min : value < min)) out.push({ segs, message: `must be ${schema.exclusiveMinimum === true ? '>' : '>='} ${min}` });
  if (max !== undefined && (schema.exclusiveMaximum === true ? value >= max : value > max)) out.push({ segs, message: `must be ${schema.exclusiveMaximum === true ? '<' : '<='} ${max}` });
}

function arrayChecks(schema: CrdSchema, value: unknown[], segs: Segment[], out: SchemaError[]): void {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push({ segs, message: `must NOT have fewer than ${schema.minItems} items` });
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push({ segs, message: `must NOT have more than ${schema.maxItems} items` });
  const items = schema.items as CrdSchema | undefined;
  if (items) value.forEach((v, i) => validateStructural(items, v, [...segs, i], out));
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set' || listType === 'map') {
    const keys = (schema['x-kubernetes-list-map-keys'] ?? []) as string[];
    const seen = new Map<string, number>();
    value.forEach((v, i) => {
      const id = listType === 'set' ? JSON.stringify(v) : JSON.stringify(keys.map((k) => (v as Record<string, unknown> | null)?.[k]));
      if (seen.has(id)) out.push({ segs: [...segs, i], message: `duplicate entry (x-kubernetes-list-type ${listType}${keys.length ? ` keyed by ${keys.join(', ')}` : ''})` });
      else seen.set(id, i);
    });
  }
}

function objectChecks(schema: CrdSchema, value: Record<string, unknown>, segs: Segment[], out: SchemaError[]): void {
  const props = schema.properties as Record<string, CrdSchema> | undefined;
  const count = Object.keys(value).length;
  if (typeof schema.minProperties === 'number' && count < schema.minProperties) out.push({ segs, message: `must NOT have fewer than ${schema.minProperties} properties` });
  if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) out.push({ segs, message: `must NOT have more than ${schema.maxProperties} properties` });
  for (const r of (schema.required ?? []) as string[]) {
    if (value[r] === undefined && props?.[r]?.default === undefined) out.push({ segs: [...segs, r], message: 'required field missing' });
  }
  const extra = schema.additionalProperties;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [k, v] of Object.entries(value)) {
    const child = props?.[k];
    if (child) validateStructural(child, v, [...segs, k], out);
    else if (schema['x-kubernetes-embedded-resource'] === true && EMBEDDED_META.has(k)) continue;
    else if (extra && typeof extra === 'object') validateStructural(extra as CrdSchema, v, [...segs, k], out);
    else if (props && !preserve && extra !== true) out.push({ segs: [...segs, k], message: 'unknown field' });
  }
}
