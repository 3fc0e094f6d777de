import { imageFollowsVersion } from '../../day2/image-version';
import { cniSupported } from '../../platform/cni-rule';
import { IssueCollector } from '../errors';
import { argocdControllerRules } from './argocd-controller';
import type { FleetSpec } from '../types';
import { controlPlaneShape } from './control-plane';
import { controlPlanePlacement } from './control-plane-placement';
import { etcdSchedules } from './etcd-schedules';
import { kubeletTopologyRules } from './kubelet-topology';
import { references, uniqueNames } from './names';
import { renderableInputs, skuRenderable } from './renderable';
import { networkRanges } from './network';
import { kubernetesVersionSupport } from './kubernetes-version';
import type { Rule, RuleContext } from './rule';
import { nodePoolRules } from './node-pools';
import { scaleLimits } from './scale';
import { tenantRules } from './tenants';
import { upgradeRules } from './upgrades';
import { zoneRules } from './zones';

/** Every cross-field rule, run in this order; each reports all it finds. */
export const RULES: Rule[] = [uniqueNames, references, networkRanges, kubernetesVersionSupport, controlPlaneShape, controlPlanePlacement, etcdSchedules, scaleLimits, nodePoolRules, kubeletTopologyRules, tenantRules, upgradeRules, zoneRules, argocdControllerRules, cniSupported, imageFollowsVersion, skuRenderable, renderableInputs];

export function validateFleet(fleet: FleetSpec, rules: Rule[] = RULES, context: RuleContext = { now: new Date() }): IssueCollector {
  const issues = new IssueCollector();
  for (const rule of rules) rule(fleet, issues, context);
  return issues;
}
