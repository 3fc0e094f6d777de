import type { z } from 'zod';

/**
 * A field of the spec schema that accepts a string, as a path pattern: `[]` stands for any array
 * element, `{}` for any record key. `key: true` marks the record key itself (e.g. a label name).
 */
export interface StringField {
  pattern: string[];
  key?: boolean;
  /** For a field inside a discriminated union: the discriminator value its option needs. */
  requires?: Array<{ at: string[]; value: string }>;
}

type Def = { type: string; [k: string]: any };
const defOf = (s: z.ZodType): Def => (s as any)._zod.def;

/** The schema a wrapper type (optional, default, pipe, lazy, ...) stands for, or undefined for any other type. */
function unwrapped(d: Def): z.ZodType | undefined {
  switch (d.type) {
    case 'pipe':
      return d.in;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return d.innerType;
    case 'lazy':
      return d.getter();
    default:
      return undefined;
  }
}

type Leaf = 'string' | 'number';
let leaf: Leaf = 'string';

/** Whether a schema accepts some string (or number) at its top (directly, or through a union/pipe branch). */
function acceptsString(s: z.ZodType, seen = new Set<unknown>()): boolean {
  if (seen.has(s)) return false;
  seen.add(s);
  const d = defOf(s);
  switch (d.type) {
    case 'string':
    case 'template_literal':
      return leaf === 'string';
    case 'number':
    case 'int':
      return leaf === 'number';
    case 'enum':
    case 'literal':
      return false; // a closed set: the schema already refuses every other string
    case 'union':
      return d.options.some((o: z.ZodType) => acceptsString(o, seen));
    default: {
      const inner = unwrapped(d);
      return inner ? acceptsString(inner, seen) : false;
    }
  }
}

/** Every string-accepting (or number-accepting) field of `schema`, found by walking its definition. */
export function stringFields(schema: z.ZodType, kind: Leaf = 'string'): StringField[] {
  leaf = kind;
  const out: StringField[] = [];
  const walk = (s: z.ZodType, pattern: string[], requires: StringField['requires'], depth: number): void => {
    if (depth > 40) return;
    const d = defOf(s);
    if (acceptsString(s)) out.push({ pattern, requires });
    switch (d.type) {
      case 'object':
        for (const [k, v] of Object.entries(d.shape as Record<string, z.ZodType>)) walk(v, [...pattern, k], requires, depth + 1);
        return;
      case 'array':
        return walk(d.element, [...pattern, '[]'], requires, depth + 1);
      case 'record':
        if (kind === 'string' && acceptsString(d.keyType)) out.push({ pattern: [...pattern, '{}'], key: true, requires });
        return walk(d.valueType, [...pattern, '{}'], requires, depth + 1);
      case 'union': {
        const disc: string | undefined = d.discriminator;
        for (const o of d.options as z.ZodType[]) {
          const od = defOf(o);
          if (disc && od.type === 'object') {
            const lit = defOf(od.shape[disc]);
            const value = (lit.values ?? lit.entries ? Object.values(lit.entries ?? {}) : [])[0] ?? lit.values?.[0];
            walk(o, pattern, [...(requires ?? []), { at: [...pattern, disc], value: String(value) }], depth + 1);
          } else walk(o, pattern, requires, depth + 1);
        }
        return;
      }
      default: {
        const inner = unwrapped(d);
        if (inner) walk(inner, pattern, requires, depth + 1);
        return;
      }
    }
  };
  walk(schema, [], undefined, 0);
  // A union of string forms is one field; keep the first occurrence of each pattern.
  const seen = new Set<string>();
  return out.filter((f) => {
    const id = `${f.pattern.join('.')}|${f.key ?? ''}|${JSON.stringify(f.requires ?? [])}`;
    return seen.has(id) ? false : (seen.add(id), true);
  });
}
