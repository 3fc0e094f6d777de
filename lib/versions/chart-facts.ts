/**
 * Checks of Helm values and CRD ordering against the recorded chart facts
 * (upstream/charts/<chart>-<version>.json, written by scripts/refresh-chart-facts.mjs). Pure:
 * callers load the facts.
 */

/** What the refresh script records of one chart version. */
export interface ChartFacts {
  readonly chart: string;
  readonly version: string;
  readonly source: { readonly repo: string; readonly ref: string; readonly path: string; readonly commit: string; readonly date: string };
  readonly checked: string;
  /** Every key path of values.yaml and values.schema.json. */
  readonly valuesKeys: readonly string[];
  /** Keys whose value is free-form (empty map/list/null, or schema additionalProperties). */
  readonly openKeys: readonly string[];
  /** `.Values` paths the templates read. */
  readonly templateKeys: readonly string[];
  /** `.Values` paths the templates render whole (toYaml, omit), so any sub-key is passed on. */
  readonly wholeKeys: readonly string[];
  /** API groups of the CRDs the chart ships. */
  readonly crdGroups: readonly string[];
  /** Custom resources the templates render whose CRDs the chart does not ship, with the open `if` conditions. */
  readonly customResources: readonly { readonly group: string; readonly kind: string; readonly file: string; readonly when: readonly string[] }[];
  /** Chart defaults of the values those conditions read. */
  readonly conditionDefaults: Readonly<Record<string, unknown>>;
  /** `appVersion` of Chart.yaml at the ref (a placeholder where the chart's release build sets it), or null. */
  readonly appVersion?: string | null;
  /** Keys the templates' containers read through `configMapKeyRef`, by ConfigMap name (literal names and keys only). */
  readonly configMapKeys?: Readonly<Record<string, readonly string[]>>;
  /** Environment variables the templates set from a `.Values` path (`value: {{ .Values.x }}`), with those paths. */
  readonly envFromValues?: Readonly<Record<string, readonly string[]>>;
  /** Facts of the chart's application at `appVersion`, for charts kprod configures through them (argo-cd). */
  readonly app?: { readonly repo: string; readonly ref: string; readonly commit: string; readonly date: string } & Readonly<Record<string, unknown>>;
}

type Values = Record<string, unknown>;
const isMap = (v: unknown): v is Values => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaf key paths of a values object; lists, scalars and empty maps end a path. */
export function valuesLeafPaths(values: Values, prefix = ''): string[] {
  return Object.entries(values).flatMap(([k, v]) => {
    const p = prefix ? `${prefix}.${k}` : k;
    return isMap(v) && Object.keys(v).length ? valuesLeafPaths(v, p) : [p];
  });
}

/** Values paths kprod sets that the chart neither declares nor reads (nor passes on whole). */
export function unknownValuesKeys(values: Values, facts: ChartFacts): string[] {
  const exact = new Set([...facts.valuesKeys, ...facts.templateKeys]);
  const open = new Set([...facts.openKeys, ...facts.wholeKeys]);
  return valuesLeafPaths(values).filter((p) => {
    if (exact.has(p)) return false;
    const parts = p.split('.');
    for (let i = parts.length - 1; i > 0; i--) if (open.has(parts.slice(0, i).join('.'))) return false;
    return true;
  });
}

// --- Go-template conditions, evaluated three-valued (true, false, unknown) --------------------

type Tri = boolean | undefined;
type Lookup = (path: string) => unknown;

const truthy = (v: unknown): boolean => !(v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0) || (isMap(v) && Object.keys(v).length === 0));

function tokenize(expr: string): string[] {
  return expr.match(/"(?:[^"\\]|\\.)*"|\(|\)|[^\s()]+/g) ?? [];
}

/** One operand or parenthesised call; `{ known: false }` when it cannot be evaluated offline. */
type Operand = { known: true; value: unknown } | { known: false };

function parseCall(tokens: string[], lookup: Lookup): Operand {
  const head = tokens.shift();
  if (head === undefined) return { known: false };
  const args: Operand[] = [];
  while (tokens.length && tokens[0] !== ')') args.push(parseOperand(tokens, lookup));
  const tri = (o: Operand): Tri => (o.known ? truthy(o.value) : undefined);
  switch (head) {
    case 'and': {
      const vs = args.map(tri);
      if (vs.includes(false)) return { known: true, value: false };
      return vs.every((v) => v === true) ? { known: true, value: true } : { known: false };
    }
    case 'or': {
      const vs = args.map(tri);
      if (vs.includes(true)) return { known: true, value: true };
      return vs.every((v) => v === false) ? { known: true, value: false } : { known: false };
    }
    case 'not': {
      const v = args[0] ? tri(args[0]) : undefined;
      return v === undefined ? { known: false } : { known: true, value: !v };
    }
    case 'eq':
    case 'ne': {
      if (args.length !== 2 || !args[0].known || !args[1].known) return { known: false };
      const same = args[0].value === args[1].value;
      return { known: true, value: head === 'eq' ? same : !same };
    }
    default:
      if (args.length === 0) return operandOf(head, lookup);
      return { known: false };
  }
}

function operandOf(token: string, lookup: Lookup): Operand {
  if (token.startsWith('"')) return { known: true, value: JSON.parse(token) };
  if (token === 'true' || token === 'false') return { known: true, value: token === 'true' };
  if (/^-?\d+(\.\d+)?$/.test(token)) return { known: true, value: Number(token) };
  const m = token.match(/^\$?\.Values((?:\.[\w-]+)+)$/);
  if (m) return { known: true, value: lookup(m[1].slice(1)) };
  return { known: false };
}

function parseOperand(tokens: string[], lookup: Lookup): Operand {
  const t = tokens.shift()!;
  if (t === '(') {
    const inner = parseCall(tokens, lookup);
    tokens.shift(); // ')'
    return inner;
  }
  return operandOf(t, lookup);
}

/** Whether a template condition holds for these values: true, false, or undefined (cannot tell offline). */
export function evaluateCondition(condition: string, lookup: Lookup): Tri {
  if (condition.startsWith('else')) return undefined;
  if (/^(range|with)\b/.test(condition)) {
    const m = condition.match(/\$?\.Values((?:\.[\w-]+)+)\s*$/);
    return m ? truthy(lookup(m[1].slice(1))) : undefined;
  }
  const r = parseCall(tokenize(condition), lookup);
  return r.known ? truthy(r.value) : undefined;
}

/** Reads `path` from the values kprod sets, falling back to the chart default the facts recorded. */
export function valuesLookup(values: Values, facts: ChartFacts): Lookup {
  return (path) => {
    const set = path.split('.').reduce<unknown>((o, k) => (isMap(o) ? o[k] : undefined), values);
    return set !== undefined ? set : facts.conditionDefaults[path];
  };
}

/** The custom resources of a chart that may render with these values (not provably off). */
export function renderedCustomResources(values: Values, facts: ChartFacts): ChartFacts['customResources'] {
  const lookup = valuesLookup(values, facts);
  return facts.customResources.filter((cr) => cr.when.every((c) => evaluateCondition(c, lookup) !== false));
}
