import { cniSupported } from '../../platform/cni-rule';
import { IssueCollector } from '../errors';
import type { FleetSpec } from '../types';
import { controlPlaneShape } from './control-plane';
import { controlPlanePlacement } from './control-plane-placement';
import { etcdSchedules } from './etcd-schedules';
import { references, uniqueNames } from './names';
import { renderableInputs, skuRenderable } from './renderable';
import { networkRanges } from './network';
import type { Rule } from './rule';
import { nodePoolRules } from './node-pools';
import { scaleLimits } from './scale';
import { tenantRules } from './tenants';
import { upgradeRules } from './upgrades';

/** Every cross-field rule, run in this order; each reports all it finds. */
export const RULES: Rule[] = [uniqueNames, references, networkRanges, controlPlaneShape, controlPlanePlacement, etcdSchedules, scaleLimits, nodePoolRules, tenantRules, upgradeRules, cniSupported, skuRenderable, renderableInputs];

export function validateFleet(fleet: FleetSpec, rules: Rule[] = RULES): IssueCollector {
  const issues = new IssueCollector();
  for (const rule of rules) rule(fleet, issues);
  return issues;
}
