import { imageFollowsVersion } from '../../day2/image-version';
import { cniSupported } from '../../platform/cni-rule';
import { IssueCollector } from '../errors';
import { argocdControllerRules } from './argocd-controller';
import type { FleetSpec } from '../types';
import { controlPlaneShape } from './control-plane';
import { controlPlanePlacement } from './control-plane-placement';
import { etcdSchedules } from './etcd-schedules';
import { kubeletTopologyRules } from './kubelet-topology';
import { references, uniqueNames, uniqueNamesInCluster } from './names';
import { renderableInputs, skuRenderable } from './renderable';
import { networkRanges } from './network';
import { kubernetesVersionSupport } from './kubernetes-version';
import type { Rule, RuleContext } from './rule';
import { nodePoolRules } from './node-pools';
import { scaleLimits } from './scale';
import { tenantRules } from './tenants';
import { upgradeRules } from './upgrades';
import { zoneRules } from './zones';
import { mergeRuleIssues, type KnownCluster } from '../known-clusters';

/** Every cross-field rule, run in this order; each reports all it finds. */
export const RULES: Rule[] = [uniqueNames, uniqueNamesInCluster, references, networkRanges, kubernetesVersionSupport, controlPlaneShape, controlPlanePlacement, etcdSchedules, scaleLimits, nodePoolRules, kubeletTopologyRules, tenantRules, upgradeRules, zoneRules, argocdControllerRules, cniSupported, imageFollowsVersion, skuRenderable, renderableInputs];

export function validateFleet(fleet: FleetSpec, rules: Rule[] = RULES, context: RuleContext = { now: new Date() }): IssueCollector {
  const issues = new IssueCollector();
  for (const rule of rules) rule(fleet, issues, context);
  return issues;
}

/**
 * Rules whose findings about a cluster depend only on that cluster, its environment and the
 * fleet-level settings (not on other clusters, nor on the date), reported under the cluster's path:
 * an earlier validation of the same input may stand in for them (known-clusters.ts). The others
 * (names across clusters, the end-of-life date, environment settings) run on every cluster.
 */
export const CLUSTER_LOCAL_RULES: ReadonlySet<Rule> = new Set([uniqueNamesInCluster, references, networkRanges, controlPlaneShape, controlPlanePlacement, etcdSchedules, scaleLimits, nodePoolRules, kubeletTopologyRules, tenantRules, upgradeRules, zoneRules, cniSupported, imageFollowsVersion, skuRenderable, renderableInputs]);

/** Every rule's issues, and which cluster-local rule (its RULES index) reported each. */
export interface RuleRun {
  issues: IssueCollector;
  ruleOf: (issue: number) => number | undefined;
}

/**
 * Runs RULES in order. With known clusters, the cluster-local rules run on `known.local` (the
 * fleet without them: holes in the clusters arrays, which forEachCluster skips) and the known
 * clusters' warnings are merged in where a validation of every cluster reports them.
 */
export function validateRules(fleet: FleetSpec, context: RuleContext, known?: { local: FleetSpec; clusters: ReadonlyMap<string, KnownCluster> }): RuleRun {
  const issues = new IssueCollector();
  const reportedBy: number[] = [];
  RULES.forEach((rule, r) => {
    const local = CLUSTER_LOCAL_RULES.has(rule);
    const before = issues.issues.length;
    rule(local && known ? known.local : fleet, issues, context);
    if (local && known) for (const issue of mergeRuleIssues(issues.issues.splice(before), r, known.clusters)) issues.issues.push(issue);
    while (reportedBy.length < issues.issues.length) reportedBy.push(local ? r : -1);
  });
  return { issues, ruleOf: (i) => (reportedBy[i] >= 0 ? reportedBy[i] : undefined) };
}
