import { synthFleet } from '../../constructs/fleet';
import { checkFiles, formatReport } from '../../lib/check';
import { transitionIssues } from '../../lib/day2/transitions';
import type { Tree } from '../../lib/day2/tree';
import { formatIssue, parseFleet, type FleetSpec } from '../../lib/spec';
import { parse } from 'yaml';
import { exampleFleet } from '../helpers/fleet';
import { forbiddenKcpPaths } from './kcp-update-paths';

/** A spec and the tree kprod synthesizes from it. */
export interface Synthesized {
  readonly spec: FleetSpec;
  readonly tree: Tree;
}

export function synthesize(input: unknown): Synthesized {
  const { spec } = parseFleet(input);
  return { spec, tree: synthFleet(spec).files };
}

let baseline: Synthesized | undefined;
/** The example fleet, synthesized once per test file. */
export function exampleTree(): Synthesized {
  return (baseline ??= synthesize(exampleFleet()));
}

/** The example fleet after `edit` (a mutation of a deep copy), synthesized. */
export function edited(edit: (fleet: any) => void): Synthesized {
  const fleet = exampleFleet();
  edit(fleet);
  return synthesize(fleet);
}

/** Files added, changed and removed from `before` to `after`, sorted. */
export function diff(before: Tree, after: Tree): { added: string[]; changed: string[]; removed: string[]; all: string[] } {
  const added = [...after.keys()].filter((f) => !before.has(f)).sort();
  const removed = [...before.keys()].filter((f) => !after.has(f)).sort();
  const changed = [...after.keys()].filter((f) => before.has(f) && before.get(f) !== after.get(f)).sort();
  return { added, changed, removed, all: [...added, ...changed, ...removed].sort() };
}

/** The transition errors kprod reports for `previous` → `next`, formatted. */
export function refusals(previous: Synthesized, next: Synthesized): string[] {
  return transitionIssues(previous.tree, next.tree, next.spec).map(formatIssue);
}

/** Kinds Cluster API references by name and whose spec upstream treats as immutable. */
export const TEMPLATE_KINDS = ['openstackmachinetemplate', 'metal3machinetemplate', 'metal3datatemplate', 'kubeadmconfigtemplate'];
const isTemplate = (file: string) => TEMPLATE_KINDS.includes((file.split('/').pop() ?? '').split('_')[0]);

/** Template files that appear or disappear (a rename: new content, new name). */
export function renamedTemplates(previous: Tree, next: Tree): { added: string[]; removed: string[] } {
  const d = diff(previous, next);
  return { added: d.added.filter(isTemplate), removed: d.removed.filter(isTemplate) };
}

/** Templates never change in place: a file of a template kind present in both trees is byte-identical. */
export function templatesUpdatedInPlace(previous: Tree, next: Tree): string[] {
  return diff(previous, next).changed.filter(isTemplate);
}

/**
 * Every rule kprod applies to an update of the live fleet accepts `previous` → `next`: the
 * transition rules, and no template updated in place. The lead adds the conformance check's update
 * rules here (`checkFiles(next.tree, { previous: previous.tree })`).
 */
export function assertTransitionAccepted(previous: Synthesized, next: Synthesized): void {
  expect(refusals(previous, next)).toEqual([]);
  // kprod check with the previous tree: schemas, CEL (transition rules included) and the providers' webhook rules on update.
  const report = checkFiles(next.tree, { previous: previous.tree });
  expect(formatReport(report)).toEqual([`checked ${report.objects} objects, 0 failed, 0 unevaluated`]);
  expect(templatesUpdatedInPlace(previous.tree, next.tree)).toEqual([]);
  const changed = diff(previous.tree, next.tree).changed;
  // KubeadmControlPlane updates stay within the webhook's allowed paths (upstream/day2/update-rules.json).
  for (const file of changed.filter((f) => /\/kubeadmcontrolplane_/.test(f)))
    expect([file, forbiddenKcpPaths(parse(previous.tree.get(file)!), parse(next.tree.get(file)!))]).toEqual([file, []]);
  // MachineDeployment and MachineHealthCheck: spec.clusterName is immutable.
  for (const file of changed.filter((f) => /\/(machinedeployment|machinehealthcheck)_/.test(f)))
    expect([file, parse(next.tree.get(file)!).spec.clusterName]).toEqual([file, parse(previous.tree.get(file)!).spec.clusterName]);
}
