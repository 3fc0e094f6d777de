import { controlPlaneSize, quantityToGiB } from '../../sizing/control-plane';
import type { IssueCollector } from '../errors';
import { forEachCluster, type Rule } from './rule';

/** Members per failure domain when `count` members are spread round-robin over `domains`. */
export function roundRobinSpread(count: number, domains: readonly string[]): Map<string, number> {
  const spread = new Map<string, number>(domains.map((d) => [d, 0]));
  for (let i = 0; i < count && domains.length; i++) spread.set(domains[i % domains.length], (spread.get(domains[i % domains.length]) ?? 0) + 1);
  return spread;
}

/**
 * Whether losing the failure domain holding the most members leaves a quorum (⌊n/2⌋+1).
 * Example: 3 members over 2 domains put 2 in one; losing it leaves 1 of 3 — no quorum.
 */
export function survivesDomainLoss(spread: ReadonlyMap<string, number>): boolean {
  const counts = [...spread.values()];
  const total = counts.reduce((a, b) => a + b, 0);
  const largest = Math.max(0, ...counts);
  return total - largest >= Math.floor(total / 2) + 1;
}

function checkSpread(
  what: string,
  spread: ReadonlyMap<string, number>,
  domainCount: number,
  allowDegraded: boolean,
  path: (string | number)[],
  issues: IssueCollector,
): void {
  const total = [...spread.values()].reduce((a, b) => a + b, 0);
  if (total < 3) return; // a single member has no quorum to protect
  const shown = [...spread].map(([d, n]) => `${d}: ${n}`).join(', ');
  if (domainCount === 1) {
    issues.warn(path, `all ${total} ${what} are in one failure domain; losing it loses the cluster — add failure domains for HA`, shown);
    return;
  }
  if (!survivesDomainLoss(spread) && !allowDegraded)
    issues.error(
      path,
      `${total} ${what} spread as {${shown}}: losing the failure domain with the most members loses etcd quorum; use at least 3 failure domains (or ${total} members over more domains), or set controlPlane.allowDegradedSpread: true to accept it`,
      shown,
    );
}

/**
 * Control-plane machine size and placement:
 * - an explicit `controlPlane.flavor` whose catalogue SKU is smaller than the size table asks for
 *   the cluster's maximum node count is an error unless `controlPlane.allowUndersized`;
 * - control-plane machines (Cluster API spreads them round-robin over `failureDomains`) and
 *   external/events etcd members (their `failureDomain`, else round-robin) must survive the loss
 *   of any one failure domain with quorum, unless `controlPlane.allowDegradedSpread`; a single
 *   failure domain is only a warning (nothing to spread over);
 * - an etcd member's `failureDomain` must be one of the cluster's failure domains;
 * - `rollout.maxSurge: 0` needs at least 3 replicas.
 */
export const controlPlanePlacement: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    const cp = cluster.controlPlane;
    const cpPath = [...path, 'controlPlane'];

    if (cp.flavor) {
      const size = controlPlaneSize(cluster);
      const sku = Object.entries(fleet.skus).find(([, s]) => s.flavor === cp.flavor || s.hostClass === cp.flavor);
      if (sku && (sku[1].cpu < size.cpu || quantityToGiB(sku[1].memory) < size.memoryGiB) && !cp.allowUndersized)
        issues.error(
          [...cpPath, 'flavor'],
          `SKU ${sku[0]} (${sku[1].cpu} CPU / ${sku[1].memory}) is smaller than the ${size.cpu} CPU / ${size.memoryGiB}Gi a cluster of up to ${size.nodes} nodes needs; choose a larger flavor or set controlPlane.allowUndersized: true`,
          cp.flavor,
        );
    }

    // maxSurge 0 deletes a machine before its replacement exists: with fewer than 3 members that
    // removes the etcd quorum (1 member: the whole control plane) during every rollout.
    if (cp.rollout.maxSurge === 0 && cp.replicas < 3)
      issues.error([...cpPath, 'rollout', 'maxSurge'], `0 needs at least 3 control-plane replicas (has ${cp.replicas}); with fewer, a rollout removes the only quorum — use maxSurge 1`, 0);

    const domains = cluster.failureDomains;
    // Only for a count controlPlaneShape accepts: a huge one (1e9) would take minutes to spread.
    if ([1, 3, 5, 7].includes(cp.replicas))
      checkSpread('control-plane machines', roundRobinSpread(cp.replicas, domains), domains.length, cp.allowDegradedSpread, [...path, 'failureDomains'], issues);

    for (const key of ['external', 'events'] as const) {
      const members = cp.etcd[key]?.members;
      if (!members) continue;
      const membersPath = [...cpPath, 'etcd', key, 'members'];
      let explicit = true;
      members.forEach((m, i) => {
        if (m.failureDomain === undefined) explicit = false;
        else if (!domains.includes(m.failureDomain))
          issues.error([...membersPath, i, 'failureDomain'], `must be one of the cluster's failureDomains (${domains.join(', ')})`, m.failureDomain);
      });
      const spread = explicit ? new Map<string, number>() : roundRobinSpread(members.length, domains);
      if (explicit) for (const m of members) spread.set(m.failureDomain!, (spread.get(m.failureDomain!) ?? 0) + 1);
      const used = explicit ? spread.size : Math.min(domains.length, members.length);
      checkSpread(`${key === 'events' ? 'events ' : ''}etcd members`, spread, used, cp.allowDegradedSpread, membersPath, issues);
    }
  });
