/** Helm values handling shared by the Helm add-ons. */
export type Values = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges `override` into `base`: objects recursively, everything else (arrays included) replaced. */
export function mergeValues(base: Values, override: Readonly<Values>): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = isPlainObject(out[k]) && isPlainObject(v) ? mergeValues(out[k] as Values, v) : v;
  return out;
}
