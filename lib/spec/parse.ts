import { platformProjectName } from '../gitops/app-project-names';
import { z } from 'zod';
import { cluster as clusterSchema, fleet as fleetSchema } from './schema/cluster';
import { dnsLabel } from './schema/common';
import { sku as skuSchema } from './schema/node-pools';
import { formatPath, SpecError, type SpecIssue } from './errors';
import { extensionIssues, type ParseOptions } from './extensions';
import { deepFreeze } from './freeze';
import type { ClusterSpec, FleetInput, FleetSpec } from './types';
import { RULES, validateFleet } from './validate';
import { references } from './validate/names';
import { skuRenderable } from './validate/renderable';

export interface ParseResult {
  spec: FleetSpec;
  /** Warnings that did not stop validation (e.g. quota overcommit). */
  warnings: SpecIssue[];
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

/** Fills the defaults that depend on other fields, in one place. */
function resolve(parsed: Parsed): FleetSpec {
  return {
    ...parsed,
    environments: parsed.environments.map((env) => ({
      ...env,
      gitops: { ...env.gitops, project: env.gitops.project ?? platformProjectName(env) },
      clusters: env.clusters.map((cluster): ClusterSpec => {
        const cp = cluster.controlPlane;
        const ep = cp.endpoint;
        const port = ep.port ?? (ep.mode === 'keepalived-haproxy' ? 8443 : 6443);
        const usedSkus = Object.fromEntries(
          cluster.nodePools.filter((p) => parsed.skus[p.sku]).map((p) => [p.sku, parsed.skus[p.sku]]),
        );
        return {
          ...cluster,
          environment: env.name,
          fleet: parsed.name,
          skus: usedSkus,
          controlPlane: {
            ...cp,
            replicas: cp.replicas ?? (cp.ha ? 3 : 1),
            endpoint: { ...ep, port, host: ep.dnsNames[0] ?? ep.vip ?? '' },
          },
        };
      }),
    })),
  } as FleetSpec;
}

/**
 * Validates a fleet spec and returns it with defaults filled in, deeply frozen.
 * Throws SpecError listing every problem (schema and cross-field) with its path.
 */
export function parseFleet(input: FleetInput | unknown, options: ParseOptions = {}): ParseResult {
  // Capability settings are checked alongside, so their errors come in the same report.
  const ext = extensionIssues(input, options);
  const result = fleetSchema.safeParse(input, { reportInput: true });
  if (!result.success) throw new SpecError([...zodIssues(result.error), ...ext.issues, ...crossFieldIssuesOfValidParts(input)]);
  const spec = withExtensionSettings(resolve(result.data), ext.settings);
  const issues = validateFleet(spec, undefined, { now: options.now ?? new Date() });
  if (issues.errors.length || ext.issues.length) throw new SpecError([...issues.issues, ...ext.issues]);
  return { spec: options.freeze === false ? spec : deepFreeze(spec), warnings: issues.warnings };
}

/** The clusters with their `extensions` replaced by the capabilities' parsed settings (defaults filled in). */
function withExtensionSettings(spec: FleetSpec, settings: ReadonlyMap<string, Record<string, unknown>>): FleetSpec {
  return {
    ...spec,
    environments: spec.environments.map((env, e) => ({ ...env, clusters: env.clusters.map((c, i) => ({ ...c, extensions: settings.get(`${e}/${i}`) ?? c.extensions })) })),
  };
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
