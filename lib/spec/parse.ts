import { platformProjectName } from '../gitops/app-project-names';
import { z } from 'zod';
import { cluster as clusterSchema, environment as environmentSchema, fleet as fleetSchema } from './schema/cluster';
import { dnsLabel } from './schema/common';
import { sku as skuSchema } from './schema/node-pools';
import { formatPath, SpecError, type SpecIssue } from './errors';
import { extensionIssues, type ParseOptions } from './extensions';
import { deepFreeze } from './freeze';
import type { ClusterSpec, FleetInput, FleetSpec } from './types';
import { RULES, validateFleet, validateRules } from './validate';
import { verdictsOf, type KnownCluster } from './known-clusters';
import { references } from './validate/names';
import { skuRenderable } from './validate/renderable';

export interface ParseResult {
  spec: FleetSpec;
  /** Warnings that did not stop validation (e.g. quota overcommit). */
  warnings: SpecIssue[];
  /**
   * With `verdicts` on: each cluster's verdict (environment by environment) for a later parse's
   * `known`; undefined for a cluster that was itself known, or whose verdict cannot be kept.
   */
  verdicts?: Array<Array<KnownCluster | undefined>>;
}

function zodIssues(error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = (issue as unknown as { keys: string[] }).keys;
      return {
        path: formatPath([...issue.path, ...(keys.length === 1 ? keys : [])]),
        message: `unknown field${keys.length > 1 ? `s ${keys.join(', ')}` : ''}; check the spelling against the spec reference`,
        value: keys.length === 1 ? (issue.input as Record<string, unknown> | undefined)?.[keys[0]] : keys,
        severity: 'error' as const,
      };
    }
    return { path: formatPath(issue.path), message: issue.message, value: issue.input, severity: 'error' as const };
  });
}

type Parsed = z.output<typeof fleetSchema>;
type ParsedCluster = z.output<typeof clusterSchema>;

/** Fills the defaults that depend on other fields, in one place; a known cluster is taken as it was resolved (`known` by position `e/c`). */
function resolve(parsed: Parsed, known?: ReadonlyMap<string, KnownCluster>): FleetSpec {
  return {
    ...parsed,
    environments: parsed.environments.map((env, e) => ({
      ...env,
      gitops: { ...env.gitops, project: env.gitops.project ?? platformProjectName(env) },
      clusters: env.clusters.map((cluster, c): ClusterSpec => known?.get(`${e}/${c}`)?.spec ?? resolveCluster(parsed, env.name, cluster)),
    })),
  } as FleetSpec;
}

function resolveCluster(parsed: Parsed, environment: string, cluster: ParsedCluster): ClusterSpec {
  const cp = cluster.controlPlane;
  const ep = cp.endpoint;
  const port = ep.port ?? (ep.mode === 'keepalived-haproxy' ? 8443 : 6443);
  const usedSkus = Object.fromEntries(cluster.nodePools.filter((p) => parsed.skus[p.sku]).map((p) => [p.sku, parsed.skus[p.sku]]));
  return {
    ...cluster,
    environment,
    fleet: parsed.name,
    skus: usedSkus,
    controlPlane: {
      ...cp,
      replicas: cp.replicas ?? (cp.ha ? 3 : 1),
      endpoint: { ...ep, port, host: ep.dnsNames[0] ?? ep.vip ?? '' },
    },
  } as ClusterSpec;
}

/**
 * Validates a fleet spec and returns it with defaults filled in, deeply frozen.
 * Throws SpecError listing every problem (schema and cross-field) with its path.
 * Clusters `options.known` gives a verdict for are not parsed again (known-clusters.ts); the
 * result is the same as without them.
 */
export function parseFleet(input: FleetInput | unknown, options: ParseOptions = {}): ParseResult {
  const known = knownOf(input, options);
  const result = (known && parseWithKnown(input as Record<string, any>, known, options)) || parseWhole(input, options);
  return { ...result, spec: options.freeze === false ? result.spec : deepFreeze(result.spec) };
}

function parseWhole(input: unknown, options: ParseOptions): ParseResult {
  // Capability settings are checked alongside, so their errors come in the same report.
  const ext = extensionIssues(input, options);
  const result = fleetSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new SpecError([...zodIssues(result.error), ...ext.issues, ...crossFieldIssuesOfValidParts(input)]);
  const spec = withExtensionSettings(resolve(result.data), ext.settings);
  const { issues, ruleOf } = validateRules(spec, { now: options.now ?? new Date() });
  if (issues.errors.length || ext.issues.length) throw new SpecError([...issues.issues, ...ext.issues]);
  const verdicts = options.verdicts ? verdictsOf(spec.environments.map((env) => env.clusters), issues.issues, ruleOf) : undefined;
  return { spec, warnings: issues.warnings, ...(verdicts ? { verdicts } : {}) };
}

/** The known clusters of the input by position `e/c` (undefined when none is, or the input is not shaped like a fleet). */
function knownOf(input: unknown, options: ParseOptions): Map<string, KnownCluster> | undefined {
  if (!options.known || !isObject(input) || !Array.isArray(input.environments)) return undefined;
  const known = new Map<string, KnownCluster>();
  input.environments.forEach((env: unknown, e: number) => {
    if (!isObject(env) || !Array.isArray(env.clusters)) return;
    env.clusters.forEach((_: unknown, c: number) => {
      const k = options.known!(e, c);
      if (k) known.set(`${e}/${c}`, k);
    });
  });
  return known.size ? known : undefined;
}

/** The fleet and its environments without parsing their clusters (schema/cluster.ts, clusters of any shape). */
const fleetShell = fleetSchema.extend({ environments: z.array(environmentSchema.extend({ clusters: z.array(z.unknown()).min(1) })).min(1) });

/**
 * The parse of a fleet some of whose clusters are known: the fleet and environment settings and
 * the other clusters are parsed, the known ones taken as resolved before, and the cluster-local
 * rules run on the others only. Undefined on any problem: the whole input is then parsed again,
 * so that a report of errors is the same with and without known clusters.
 */
function parseWithKnown(input: Record<string, any>, known: ReadonlyMap<string, KnownCluster>, options: ParseOptions): ParseResult | undefined {
  const environments = input.environments as Array<Record<string, any>>;
  // A known cluster's capability settings are in its spec.
  const ext = extensionIssues({ ...input, environments: environments.map((env, e) => ({ ...env, clusters: env.clusters.map((c: unknown, i: number) => (known.has(`${e}/${i}`) ? {} : c)) })) }, options);
  if (ext.issues.length) return undefined;
  const shell = fleetShell.safeParse(input);
  if (!shell.success) return undefined;
  const parsedEnvironments = [];
  for (const [e, env] of shell.data.environments.entries()) {
    const clusters = [];
    for (const [c, raw] of env.clusters.entries()) {
      if (known.has(`${e}/${c}`)) {
        clusters.push(undefined);
        continue;
      }
      const one = clusterSchema.safeParse(raw);
      if (!one.success) return undefined;
      clusters.push(one.data);
    }
    parsedEnvironments.push({ ...env, clusters });
  }
  const spec = withExtensionSettings(resolve({ ...shell.data, environments: parsedEnvironments } as Parsed, known), ext.settings);
  // The cluster-local rules see the clusters that are not known (holes where the known ones are).
  const local: FleetSpec = { ...spec, environments: spec.environments.map((env, e) => ({ ...env, clusters: sparse(env.clusters, (c) => !known.has(`${e}/${c}`)) })) };
  const { issues, ruleOf } = validateRules(spec, { now: options.now ?? new Date() }, { local, clusters: known });
  if (issues.errors.length) return undefined;
  const verdicts = options.verdicts
    ? verdictsOf(spec.environments.map((env) => env.clusters), issues.issues, ruleOf).map((env, e) => env.map((v, c) => (known.has(`${e}/${c}`) ? undefined : v)))
    : undefined;
  return { spec, warnings: issues.warnings, ...(verdicts ? { verdicts } : {}) };
}

/** A copy of `items` with holes where `keep` is false (forEach and map skip them; indices stay). */
function sparse<T>(items: readonly T[], keep: (i: number) => boolean): T[] {
  const out = new Array<T>(items.length);
  items.forEach((item, i) => {
    if (keep(i)) out[i] = item;
  });
  return out;
}

/**
 * The clusters with their `extensions` replaced by the capabilities' parsed settings (defaults
 * filled in). A cluster without settings is kept as it is: a known cluster (its settings are in its
 * spec) is not copied, which would read every field of its verdict (synth-cache.ts parses the large
 * ones on first read).
 */
function withExtensionSettings(spec: FleetSpec, settings: ReadonlyMap<string, Record<string, unknown>>): FleetSpec {
  const withSettings = (c: ClusterSpec, key: string): ClusterSpec => {
    const parsed = settings.get(key);
    return parsed ? { ...c, extensions: parsed } : c;
  };
  return { ...spec, environments: spec.environments.map((env, e) => ({ ...env, clusters: env.clusters.map((c, i) => withSettings(c, `${e}/${i}`)) })) };
}

/** Identity helper that gives a TypeScript spec file full type checking and completion. */
export function defineFleet(input: FleetInput): FleetInput {
  return input;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Parses one cluster after dropping the fields the schema rejected (unknown keys, invalid values),
 * so that its other fields still get their cross-field checks; a dropped optional field takes its
 * default. Gives up (undefined) when a required field is among the rejected ones.
 */
function parseWithoutRejectedFields(input: unknown): z.output<typeof clusterSchema> | undefined {
  let candidate: unknown = structuredClone(input);
  for (let attempt = 0; attempt < 4; attempt++) {
    const parsed = clusterSchema.safeParse(candidate);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const parent = issue.path.slice(0, -1).reduce<any>((o, k) => (o == null ? o : o[k as any]), candidate);
      const leaf = issue.path[issue.path.length - 1];
      if (issue.code === 'unrecognized_keys') {
        const target = issue.path.reduce<any>((o, k) => (o == null ? o : o[k as any]), candidate);
        for (const key of (issue as unknown as { keys: string[] }).keys) if (isObject(target)) delete target[key];
      } else if (leaf !== undefined && parent != null && typeof parent === 'object') {
        if (Array.isArray(parent)) parent.splice(Number(leaf), 1);
        else delete parent[leaf as string];
      } else {
        return undefined;
      }
    }
    candidate = structuredClone(candidate);
  }
  return undefined;
}

/**
 * When the schema rejects part of a spec, the clusters that did parse still get their cross-field
 * checks, so the user sees every error in one run. Sparse arrays keep the original indices in the
 * paths (forEach and map skip the holes).
 */
function crossFieldIssuesOfValidParts(input: unknown): SpecIssue[] {
  if (!isObject(input) || !Array.isArray(input.environments)) return [];
  const skus = z.record(dnsLabel, skuSchema).safeParse(input.skus);
  const environments: any[] = [];
  input.environments.forEach((env: unknown, e: number) => {
    if (!isObject(env) || !Array.isArray(env.clusters)) return;
    const clusters: any[] = [];
    env.clusters.forEach((c: unknown, i: number) => {
      const parsed = parseWithoutRejectedFields(c);
      if (parsed) clusters[i] = parsed;
    });
    environments[e] = { name: String(env.name), gitops: {}, clusters };
  });
  try {
    const partial = resolve({ name: String(input.name), skus: skus.success ? skus.data : {}, environments } as unknown as Parsed);
    // Without a valid SKU catalogue every SKU reference would look unknown.
    const rules = skus.success ? RULES : RULES.filter((r) => r !== references && r !== skuRenderable);
    return validateFleet(partial, rules).errors;
  } catch {
    return [];
  }
}
