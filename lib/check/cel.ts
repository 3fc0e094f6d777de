import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import type { Segment } from './paths';
import type { CrdSchema } from './schemas';

/** One `x-kubernetes-validations` entry of a CRD schema. */
interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  reason?: string;
  optionalOldSelf?: boolean;
}

export interface CelOutcome {
  readonly failures: { segs: Segment[]; message: string }[];
  readonly unevaluated: { segs: Segment[]; reason: string }[];
}

type Program = (ctx: Record<string, CelInput>) => unknown;
const env = celEnv({ funcs: strings });
const programs = new Map<string, Program | Error>();

/** A rule compiled once per process, or the reason it cannot be compiled. */
function compile(expr: string): Program | Error {
  let p = programs.get(expr);
  if (!p) {
    try {
      p = plan(env, parse(expr)) as unknown as Program;
    } catch (err) {
      p = err instanceof Error ? err : new Error(String(err));
    }
    programs.set(expr, p);
  }
  return p;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const props = (s: CrdSchema) => (s.properties ?? {}) as Record<string, CrdSchema>;

/** The value with the schema's defaults filled in, as the API server does before it validates. */
export function applyDefaults(schema: CrdSchema | undefined, value: unknown): unknown {
  if (!schema || value === undefined) return value;
  if (Array.isArray(value)) return schema.items ? value.map((v) => applyDefaults(schema.items as CrdSchema, v)) : value;
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = { ...value };
  for (const [k, s] of Object.entries(props(schema))) {
    if (out[k] === undefined && s.default !== undefined) out[k] = structuredClone(s.default);
    if (out[k] !== undefined) out[k] = applyDefaults(s, out[k]);
  }
  if (isObject(schema.additionalProperties)) {
    const ap = schema.additionalProperties as CrdSchema;
    for (const k of Object.keys(out)) if (!(k in props(schema))) out[k] = applyDefaults(ap, out[k]);
  }
  return out;
}

/** A JSON value as CEL sees it under the schema: integer fields are CEL ints, objects are maps. */
function toCel(schema: CrdSchema | undefined, value: unknown): CelInput {
  if (Array.isArray(value)) return value.map((v) => toCel(schema?.items as CrdSchema | undefined, v)) as CelInput;
  if (isObject(value)) {
    const known = schema ? props(schema) : {};
    const extra = schema && isObject(schema.additionalProperties) ? (schema.additionalProperties as CrdSchema) : undefined;
    return new Map(Object.entries(value).map(([k, v]) => [k, toCel(known[k] ?? extra, v)])) as CelInput;
  }
  if (typeof value === 'number') {
    const type = schema?.type;
    if (type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  return value as CelInput;
}

/** `.spec.x` / `.a['b']` → segments. */
function fieldPathSegments(fieldPath: string | undefined): Segment[] {
  if (!fieldPath) return [];
  return [...fieldPath.matchAll(/\.([A-Za-z_$][\w$-]*)|\['([^']*)'\]|\[(\d+)\]/g)].map((m) => (m[3] !== undefined ? Number(m[3]) : (m[1] ?? m[2])));
}

/** Items of a `x-kubernetes-list-type: map` list are correlated with the old list by their keys. */
function oldListItem(schema: CrdSchema, item: unknown, oldList: unknown): unknown {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(oldList) || !isObject(item)) return undefined;
  const keys = (schema['x-kubernetes-list-map-keys'] ?? []) as string[];
  return oldList.find((o) => isObject(o) && keys.every((k) => o[k] === item[k]));
}

/**
 * Evaluates every CEL rule of the schema on value (defaults applied), with oldValue for transition
 * rules. A transition rule without an old value is not run, as on create. A rule that cannot be
 * compiled or that errors is unevaluated, never passed.
 */
export function evaluateCel(schema: CrdSchema, value: unknown, oldValue?: unknown): CelOutcome {
  const outcome: CelOutcome = { failures: [], unevaluated: [] };
  walk(schema, applyDefaults(schema, value), oldValue === undefined ? undefined : applyDefaults(schema, oldValue), [], outcome);
  return outcome;
}

function walk(schema: CrdSchema, value: unknown, old: unknown, segs: Segment[], outcome: CelOutcome): void {
  if (value === undefined || value === null) return;
  const rules = schema['x-kubernetes-validations'];
  if (Array.isArray(rules)) for (const rule of rules as CelRule[]) runRule(rule, schema, value, old, segs, outcome);
  if (Array.isArray(value)) {
    const items = schema.items as CrdSchema | undefined;
    if (items) value.forEach((v, i) => walk(items, v, oldListItem(schema, v, old), [...segs, i], outcome));
    return;
  }
  if (!isObject(value)) return;
  const known = props(schema);
  const extra = isObject(schema.additionalProperties) ? (schema.additionalProperties as CrdSchema) : undefined;
  for (const [k, v] of Object.entries(value)) {
    const child = known[k] ?? extra;
    if (child) walk(child, v, isObject(old) ? old[k] : undefined, [...segs, k], outcome);
  }
}

function runRule(rule: CelRule, schema: CrdSchema, value: unknown, old: unknown, segs: Segment[], outcome: CelOutcome): void {
  const transition = /\boldSelf\b/.test(rule.rule);
  if (transition && old === undefined) {
    if (rule.optionalOldSelf) outcome.unevaluated.push({ segs, reason: `optionalOldSelf rule not supported: ${rule.rule}` });
    return;
  }
  const program = compile(rule.rule);
  if (program instanceof Error) {
    outcome.unevaluated.push({ segs, reason: `cannot compile CEL rule ${JSON.stringify(rule.rule)}: ${program.message.split('\n')[0]}` });
    return;
  }
  const ctx: Record<string, CelInput> = { self: toCel(schema, value) };
  if (transition) ctx.oldSelf = toCel(schema, old);
  let result: unknown;
  try {
    result = program(ctx);
  } catch (err) {
    result = err;
  }
  if (result === true) return;
  if (result !== false) {
    const why = isCelError(result) || result instanceof Error ? (result as Error).message.split('\n')[0] : `result is not a bool: ${String(result)}`;
    outcome.unevaluated.push({ segs, reason: `CEL rule ${JSON.stringify(rule.rule)}: ${why}` });
    return;
  }
  outcome.failures.push({ segs: [...segs, ...fieldPathSegments(rule.fieldPath)], message: `${failureMessage(rule, ctx)} (x-kubernetes-validations rule: ${rule.rule})` });
}

function failureMessage(rule: CelRule, ctx: Record<string, CelInput>): string {
  if (rule.messageExpression) {
    const program = compile(rule.messageExpression);
    if (!(program instanceof Error)) {
      try {
        const text = program(ctx);
        if (typeof text === 'string' && text) return text;
      } catch {
        // fall back to message, as the API server does
      }
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}
