/**
 * Second validation pass for what capabilities own in the spec: `extensions.<id>` of every
 * cluster against the settings schema of capability `<id>`, and the capability a `none` CNI names.
 * lib/spec does not know capabilities; the caller passes their ids and schemas as plain data
 * (constructs/capabilities/selection.ts `parseOptionsOf`).
 */
import type { z } from 'zod';
import { formatPath, type SpecIssue } from './errors';
import type { KnownClusters } from './known-clusters';

/** Capability id → schema of its `extensions.<id>` settings (`null`: the capability takes no settings). */
export type ExtensionSchemas = Readonly<Record<string, z.ZodType | null>>;

export interface ParseOptions {
  /**
   * Every capability of the set that will build the fleet, with its settings schema. Settings
   * of an id not listed are errors.
   * @default no capability takes settings, and a `none` CNI's provider is not checked
   */
  readonly extensions?: ExtensionSchemas;
  /**
   * Ports CNI capabilities declare (capability id → rules): a `none` CNI's `rules` must list every
   * rule its provider declares.
   * @default {}
   */
  readonly cniRules?: Readonly<Record<string, readonly CniRuleData[]>>;
  /** "Today" for date rules (the end-of-life warning); fixed in tests. @default new Date() */
  readonly now?: Date;
  /**
   * Deep-freeze the parsed spec. A synth turns this off and freezes what its capabilities can
   * reach (constructs/stream-synth.ts): freezing a 1000-cluster spec costs more than building a
   * cluster, and a cached cluster's spec is never read by a capability.
   * @default true
   */
  readonly freeze?: boolean;
  /**
   * Clusters validated before with exactly this input, by position (a synth's cache knows them by
   * key, known-clusters.ts): their resolved spec and cluster-local warnings are taken as they were;
   * the rules across clusters and the date rules still see them. @default none
   */
  readonly known?: KnownClusters;
  /** Return each cluster's verdict (`ParseResult.verdicts`), for a later parse's `known`. @default false */
  readonly verdicts?: boolean;
}

/** A CNI port rule as data (see schema/network.ts cniRule). */
export interface CniRuleData {
  readonly protocol: string;
  readonly ports?: readonly number[];
  readonly description: string;
}

const ruleKey = (r: { protocol?: unknown; ports?: unknown }) => `${String(r.protocol)} ${Array.isArray(r.ports) ? r.ports.join('-') : ''}`.trim();

export interface ExtensionResult {
  issues: SpecIssue[];
  /** Parsed settings (defaults filled in) by `envIndex/clusterIndex`. */
  settings: Map<string, Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the capability-owned parts of a raw spec input; paths as in the core spec. */
export function extensionIssues(input: unknown, options: ParseOptions = {}): ExtensionResult {
  const issues: SpecIssue[] = [];
  const settings = new Map<string, Record<string, unknown>>();
  const schemas = options.extensions ?? {};
  const known = Object.keys(schemas);
  const error = (path: PropertyKey[], message: string, value: unknown) => issues.push({ path: formatPath(path), message, value, severity: 'error' });
  if (!isObject(input) || !Array.isArray(input.environments)) return { issues, settings };
  input.environments.forEach((env: unknown, e: number) => {
    if (!isObject(env) || !Array.isArray(env.clusters)) return;
    env.clusters.forEach((cluster: unknown, c: number) => {
      if (!isObject(cluster)) return;
      const at = ['environments', e, 'clusters', c];
      const provider = isObject(cluster.network) && isObject(cluster.network.cni) && cluster.network.cni.plugin === 'none' ? cluster.network.cni.provider : undefined;
      if (options.extensions && typeof provider === 'string' && !(provider in schemas))
        error([...at, 'network', 'cni', 'provider'], `no capability "${provider}" in the capability set (${known.join(', ')}); add it with --plugin or the capabilities option`, provider);
      const needed = typeof provider === 'string' ? options.cniRules?.[provider] : undefined;
      if (needed) {
        const given = Array.isArray(cluster.network.cni.rules) ? cluster.network.cni.rules : [];
        const have = new Set(given.filter(isObject).map(ruleKey));
        const missing = needed.filter((r) => !have.has(ruleKey(r)));
        if (missing.length)
          error([...at, 'network', 'cni', 'rules'], `capability "${provider}" needs ${missing.map((r) => `${ruleKey(r)} (${r.description})`).join(', ')} open between nodes; list it so the security groups open it`, given);
      }
      if (!isObject(cluster.extensions)) return;
      const parsed: Record<string, unknown> = {};
      for (const [id, value] of Object.entries(cluster.extensions)) {
        const path = [...at, 'extensions', id];
        if (!(id in schemas)) {
          error(path, `no capability "${id}" in the capability set${known.length ? ` (${known.join(', ')})` : ''}; add it with --plugin or the capabilities option`, value);
          continue;
        }
        const schema = schemas[id];
        if (!schema) {
          error(path, `capability "${id}" takes no settings`, value);
          continue;
        }
        const result = schema.safeParse(value, { reportInput: true });
        if (result.success) parsed[id] = result.data;
        else for (const issue of result.error.issues) issueAt(path, issue, error);
      }
      settings.set(`${e}/${c}`, parsed);
    });
  });
  return { issues, settings };
}

/** One zod issue of a capability's schema, under the extension's path (unknown keys named like the core spec's). */
function issueAt(at: PropertyKey[], issue: z.core.$ZodIssue, error: (path: PropertyKey[], message: string, value: unknown) => void): void {
  if (issue.code === 'unrecognized_keys') {
    for (const key of issue.keys) error([...at, ...issue.path, key], 'unknown field; check the spelling against the capability\'s settings', (issue.input as Record<string, unknown> | undefined)?.[key]);
    return;
  }
  error([...at, ...issue.path], issue.message, issue.input);
}
