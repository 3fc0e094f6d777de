/**
 * Clusters validated before with exactly the same input (`ParseOptions.known`). A synth's cache
 * knows a cluster by a key over its input, its environment's and the fleet's settings and kprod's
 * code; validation is a pure function of those (and of the date, for the rules that read it), so an
 * earlier verdict can stand in for parsing the cluster again: its resolved spec, and the warnings
 * the cluster-local rules gave it (validate/index.ts `CLUSTER_LOCAL_RULES`). The rules that look
 * across clusters, or at the date, still run on every cluster.
 */
import type { SpecIssue } from './errors';
import type { ClusterSpec } from './types';

/** A warning of a cluster-local rule, its path relative to the cluster (`.tenants[0].owners`, or '' for the cluster itself). */
export interface KnownWarning {
  /** Index of the rule in RULES. */
  readonly rule: number;
  readonly path: string;
  readonly message: string;
  readonly value?: unknown;
}

/** What an earlier validation of a cluster found. */
export interface KnownCluster {
  /** The cluster as resolved (defaults and capability settings filled in). */
  readonly spec: ClusterSpec;
  readonly warnings: readonly KnownWarning[];
}

/** Looks up a cluster by its position in the input. */
export type KnownClusters = (environment: number, cluster: number) => KnownCluster | undefined;

const CLUSTER_PATH = /^environments\[(\d+)\]\.clusters\[(\d+)\]/;

/** The cluster an issue's path lies under, as [environment, cluster, length of the prefix]; undefined for fleet- and environment-level paths. */
export function clusterOfPath(path: string): [number, number, number] | undefined {
  const m = CLUSTER_PATH.exec(path);
  return m ? [Number(m[1]), Number(m[2]), m[0].length] : undefined;
}

/** An issue as ordered in a full validation: fleet- and environment-level ones first, then by cluster (a stable sort keeps each rule's own order). */
const order = (issue: SpecIssue): number => {
  const at = clusterOfPath(issue.path);
  return at ? at[0] * 1_000_000 + at[1] : -1;
};

/**
 * One cluster-local rule's issues: the fresh ones (from the clusters validated now) and the known
 * clusters' warnings of that rule, in the order a validation of every cluster gives them.
 */
export function mergeRuleIssues(fresh: readonly SpecIssue[], rule: number, known: ReadonlyMap<string, KnownCluster>): SpecIssue[] {
  const restored: SpecIssue[] = [];
  for (const [position, cluster] of known) {
    const [e, c] = position.split('/');
    for (const w of cluster.warnings)
      if (w.rule === rule) restored.push({ path: `environments[${e}].clusters[${c}]${w.path}`, message: w.message, value: w.value, severity: 'warning' });
  }
  if (!restored.length) return [...fresh];
  return [...fresh, ...restored].map((issue, i) => ({ issue, i, at: order(issue) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.issue);
}

/**
 * Each cluster's verdict from a full validation: its spec and the warnings the cluster-local rules
 * reported under its path. `ruleOf(i)` is the RULES index that reported `issues[i]` (undefined: not a
 * cluster-local rule). A cluster whose local warnings are not all under its own path has no verdict
 * (it is always validated).
 */
export function verdictsOf(clusters: ReadonlyArray<readonly ClusterSpec[]>, issues: readonly SpecIssue[], ruleOf: (i: number) => number | undefined): Array<Array<KnownCluster | undefined>> {
  const warnings = clusters.map((env) => env.map((): KnownWarning[] | undefined => []));
  issues.forEach((issue, i) => {
    const rule = ruleOf(i);
    if (rule === undefined || issue.severity !== 'warning') return;
    const at = clusterOfPath(issue.path);
    // A local rule's warning outside any cluster: no cluster can be taken as known.
    if (!at) {
      for (const env of warnings) env.fill(undefined);
      return;
    }
    const [e, c, prefix] = at;
    const list = warnings[e]?.[c];
    if (list) list.push({ rule, path: issue.path.slice(prefix), message: issue.message, ...(issue.value === undefined ? {} : { value: issue.value }) });
  });
  return clusters.map((env, e) => env.map((spec, c) => (warnings[e][c] ? { spec, warnings: warnings[e][c]! } : undefined)));
}
