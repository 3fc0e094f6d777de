import type { SchemaError } from '../openapi';
import type { Segment } from '../paths';

export type Json = Record<string, unknown>;

/**
 * One provider webhook's validation of a kind, as it runs on create (old undefined) and on update.
 * The object is the one in the tree; each rule applies the webhook's own defaulting first where it
 * matters for the verdict.
 */
export type WebhookRule = (obj: Json, old?: Json) => SchemaError[];

export const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);

/** The value at a field path, or undefined. */
export function at(obj: unknown, ...path: string[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = isObject(v) ? v[k] : undefined;
  return v;
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

export const err = (segs: Segment[], message: string): SchemaError => ({ segs, message });

/** Equality of JSON values (key order ignored), as reflect.DeepEqual sees two decoded objects. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** `1.2.3` (strict semantic version, as blang/semver Parse). */
export const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** Kubernetes label value: at most 63 characters, alphanumerics with -_. inside (validation.IsValidLabelValue). */
export function labelValueErrors(value: string): string[] {
  const out: string[] = [];
  if (value.length > 63) out.push('must be no more than 63 characters');
  if (value && !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
    out.push("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
  }
  return out;
}

/** An int or a percentage string (`25%`), as intstr.GetScaledValueFromIntOrPercent accepts. */
export function isIntOrPercent(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+%$/.test(v));
}

const SELECTOR_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/** metav1.LabelSelectorAsSelector: the reason a selector is invalid, or undefined. */
export function selectorError(selector: unknown): string | undefined {
  const expressions = at(selector, 'matchExpressions');
  if (!Array.isArray(expressions)) return undefined;
  for (const e of expressions) {
    const op = str(at(e, 'operator'));
    const values = at(e, 'values');
    const n = Array.isArray(values) ? values.length : 0;
    if (!SELECTOR_OPERATORS.has(op)) return `"${op}" is not a valid label selector operator`;
    if ((op === 'In' || op === 'NotIn') && n === 0) return 'for In and NotIn operators, values set can\'t be empty';
    if ((op === 'Exists' || op === 'DoesNotExist') && n > 0) return 'values set must be empty for exists and does not exist';
  }
  return undefined;
}

/** True when the selector selects nothing in particular (no labels, no expressions). */
export function selectorEmpty(selector: unknown): boolean {
  const labels = at(selector, 'matchLabels');
  const expressions = at(selector, 'matchExpressions');
  return !(isObject(labels) && Object.keys(labels).length) && !(Array.isArray(expressions) && expressions.length);
}

/** Whether the label set matches the selector. */
export function selectorMatches(selector: unknown, labels: Json): boolean {
  const match = at(selector, 'matchLabels');
  if (isObject(match) && !Object.entries(match).every(([k, v]) => labels[k] === v)) return false;
  const expressions = at(selector, 'matchExpressions');
  for (const e of Array.isArray(expressions) ? expressions : []) {
    const key = str(at(e, 'key'));
    const values = (at(e, 'values') as unknown[] | undefined) ?? [];
    const has = key in labels;
    const op = str(at(e, 'operator'));
    if (op === 'In' && !(has && values.includes(labels[key]))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key])) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** A rule's finding: a refusal, or (unevaluated) a check that needs data the tree does not hold. */
export interface WebhookFinding extends SchemaError {
  readonly unevaluated?: true;
}

/** clusterv1.ObjectMeta.Validate: label values (and keys) must be valid. */
export function metadataErrors(meta: unknown, segs: Segment[]): SchemaError[] {
  const labels = at(meta, 'labels');
  if (!isObject(labels)) return [];
  const out: SchemaError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name) || name.length > 63) out.push(err([...segs, 'labels', k], 'label key must be a qualified name'));
    for (const e of labelValueErrors(str(v))) out.push(err([...segs, 'labels', k], e));
  }
  return out;
}

/** IsDefined of an optional struct: an object with at least one set field. */
export const defined = (v: unknown): boolean => isObject(v) && Object.values(v).some((x) => x !== undefined && x !== '' && !(isObject(x) && !defined(x)));

export const int = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** intstr IntValue: an int, or a string parsed as an int (0 when it is not one). */
export const intValue = (v: unknown): number => (typeof v === 'number' ? v : Number.parseInt(str(v), 10) || 0);
