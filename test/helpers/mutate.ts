import type { StringField } from './string-fields';

/** Where a malformed value was put: the concrete path and the cluster it belongs to (if any). */
export interface Mutation {
  path: Array<string | number>;
  input: any;
  cluster?: { env: number; cluster: number };
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Puts `value` at a concrete instance of `field` in a copy of `base`: `[]` is element 0 (or the
 * first element whose discriminators already match), `{}` the first existing key (or "x");
 * missing parents are created. For a record-key field, `value` becomes a new key.
 */
export function mutate(base: unknown, field: StringField, value: string | number): Mutation {
  const input = structuredClone(base) as any;
  const path: Array<string | number> = [];
  const indices: number[] = [];
  // Chooses array indices so that the required discriminators hold where possible.
  const candidates = (arr: any[], depth: number): number => {
    const req = field.requires?.[0];
    if (!req) return 0;
    const rest = req.at.slice(depth + 1);
    const hit = arr.findIndex((el) => {
      let cur = el;
      for (const seg of rest) cur = seg === '[]' ? cur?.[0] : cur?.[seg];
      return cur === req.value;
    });
    return hit >= 0 ? hit : 0;
  };
  let cur: any = input;
  field.pattern.forEach((seg, depth) => {
    const last = depth === field.pattern.length - 1;
    if (seg === '[]') {
      const i = candidates(cur, depth);
      indices.push(i);
      path.push(i);
      if (last) cur[i] = value;
      else cur = cur[i] ??= {};
    } else if (seg === '{}') {
      const key = Object.keys(cur)[0] ?? 'x';
      if (last && field.key) {
        cur[String(value)] = cur[key] ?? '';
        path.push(String(value));
      } else if (last) {
        cur[key] = value;
        path.push(key);
      } else {
        path.push(key);
        cur = cur[key] ??= {};
      }
    } else {
      path.push(seg);
      if (last) cur[seg] = value;
      else {
        if (!isObject(cur[seg]) && !Array.isArray(cur[seg])) cur[seg] = field.pattern[depth + 1] === '[]' ? [] : {};
        cur = cur[seg];
      }
    }
  });
  for (const req of field.requires ?? []) {
    let at: any = input;
    let k = 0;
    req.at.slice(0, -1).forEach((seg) => (at = seg === '[]' ? at?.[indices[k++]] : at?.[seg]));
    if (isObject(at)) at[req.at[req.at.length - 1]] = req.value;
  }
  const cluster = field.pattern[0] === 'environments' && field.pattern[3] === '[]' ? { env: indices[0], cluster: indices[1] } : undefined;
  return { path, input, cluster };
}
