import type { IssueCollector } from '../errors';
import type { FleetSpec } from '../types';

/**
 * A cross-field rule. It reads the resolved (defaulted) fleet and reports every problem it finds;
 * paths are arrays like ['environments', 0, 'clusters', 1, 'network', 'podCidr'].
 */
export type Rule = (fleet: FleetSpec, issues: IssueCollector, context?: RuleContext) => void;

/** What a rule may depend on besides the fleet, injectable for tests. */
export interface RuleContext {
  /** "Today", for rules about dates (end of life). @default new Date() */
  readonly now: Date;
}

/** Visits every cluster with the path prefix of that cluster. */
export function forEachCluster(
  fleet: FleetSpec,
  visit: (cluster: FleetSpec['environments'][number]['clusters'][number], path: (string | number)[]) => void,
): void {
  fleet.environments.forEach((env, e) =>
    env.clusters.forEach((cluster, c) => visit(cluster, ['environments', e, 'clusters', c])),
  );
}

/** Reports duplicates of `key` among `items` at `path[i].field`. */
export function reportDuplicates<T>(
  items: readonly T[],
  key: (item: T) => string,
  path: (string | number)[],
  field: string,
  scope: string,
  issues: IssueCollector,
): void {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first !== undefined) issues.error([...path, i, field], `duplicate name in ${scope}: also used at index ${first}`, k);
    else seen.set(k, i);
  });
}
