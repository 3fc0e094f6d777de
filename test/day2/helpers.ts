import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFleet } from '../../constructs/fleet';
import { checkFiles, formatReport } from '../../lib/check';
import { layout } from '../../lib/gitops/layout';
import { transitionIssues } from '../../lib/day2/transitions';
import { firstOfKind, managementObjects, type Tree } from '../../lib/day2/tree';
import { formatIssue, parseFleet, type FleetSpec } from '../../lib/spec';
import { parse, stringify } from 'yaml';
import { exampleFleet } from '../helpers/fleet';
import { setVersion } from '../helpers/versions';

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

/** The prod (OpenStack) and staging (Metal3) clusters of a fleet input. */
export const prod = (f: any) => f.environments[0].clusters[0];
export const staging = (f: any) => f.environments[1].clusters[0];

/** The example fleet with one cluster moved to `version` (its images following), synthesized. */
export function atVersion(cluster: (f: any) => any, version: string): Synthesized {
  return edited((f) => setVersion(cluster(f), version));
}

/** `tree` with the first object of `kind` in one cluster's `cluster/` folder edited (a deep copy). */
export function withLiveObject(tree: Tree, env: string, cluster: string, kind: string, edit: (obj: any) => void): Tree {
  const found = firstOfKind(managementObjects(tree, env, cluster), kind);
  if (!found) throw new Error(`no ${kind} for ${env}/${cluster}`);
  const obj = structuredClone(found.obj);
  edit(obj);
  return new Map([...tree, [found.file, stringify(obj)]]);
}

/**
 * `tree` with the KubeadmControlPlane `spec.version` of one cluster replaced: a live cluster on a
 * version the spec rules no longer accept (e.g. an end-of-life minor), which only the previous tree
 * can hold.
 */
export function withRunningVersion(tree: Tree, env: string, cluster: string, version: string): Tree {
  return withLiveObject(tree, env, cluster, 'KubeadmControlPlane', (kcp) => (kcp.spec.version = `v${version.replace(/^v/, '')}`));
}

/** {@link withRunningVersion} on a synthesized folder on disk (what `kprod plan` / synth read back). */
export function writeRunningVersion(outDir: string, env: string, cluster: string, version: string): void {
  const folder = path.join(outDir, layout.managementDir(env, cluster));
  const files = fs.readdirSync(folder).filter((f) => /^kubeadmcontrolplane_.*\.yaml$/.test(f));
  if (files.length !== 1) throw new Error(`expected one KubeadmControlPlane in ${folder}, found ${files.length}`);
  const file = path.join(folder, files[0]);
  const kcp = parse(fs.readFileSync(file, 'utf8'));
  kcp.spec.version = `v${version.replace(/^v/, '')}`;
  fs.writeFileSync(file, stringify(kcp));
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
  // kprod check with the previous tree: schemas, CEL (transition rules included) and the providers' webhook
  // rules on update, the KubeadmControlPlane allowed update paths among them (lib/check/webhooks/kubeadm.ts).
  const report = checkFiles(next.tree, { previous: previous.tree });
  expect(formatReport(report)).toEqual([`checked ${report.objects} objects, 0 failed, 0 unevaluated`]);
  expect(templatesUpdatedInPlace(previous.tree, next.tree)).toEqual([]);
  const changed = diff(previous.tree, next.tree).changed;
  // MachineDeployment and MachineHealthCheck: spec.clusterName is immutable.
  for (const file of changed.filter((f) => /\/(machinedeployment|machinehealthcheck)_/.test(f)))
    expect([file, parse(next.tree.get(file)!).spec.clusterName]).toEqual([file, parse(previous.tree.get(file)!).spec.clusterName]);
}

/**
 * What Argo CD (v3.5.1, annotation tracking) would delete when the live tree `previous` becomes
 * `next`, for the app-of-apps folders of `<env>/argocd/` (the root's, and each cluster's in the
 * per-cluster layout). A parent whose folder is still in `next` syncs it and prunes every object of
 * its previous folder that is no longer there, unless the live copy carries `Prune=false`
 * (gitops-engine reads the live object), and it does so in the sync that creates the objects' new
 * parents, before they have synced. A parent whose folder is gone cannot render it ("app path does
 * not exist") and prunes nothing. A pruned Application with `resources-finalizer.argocd.argoproj.io`
 * deletes what it deployed (`cascading`).
 */
export function argoCdPrunes(previous: Tree, next: Tree): { pruned: string[]; cascading: string[] } {
  const parentFolder = (file: string) => /^([^/]+\/argocd(?:\/[^/]+)?)\/[^/]+\.yaml$/.exec(file)?.[1];
  const liveFolders = new Set([...next.keys()].map(parentFolder).filter((d): d is string => !!d));
  const pruned: string[] = [];
  const cascading: string[] = [];
  for (const [file, text] of previous) {
    const folder = parentFolder(file);
    if (!folder || next.has(file) || !liveFolders.has(folder)) continue;
    const obj = parse(text);
    const options = String(obj.metadata?.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',');
    if (options.includes('Prune=false')) continue;
    pruned.push(`${obj.kind}/${obj.metadata.name}`);
    if ((obj.metadata.finalizers ?? []).includes('resources-finalizer.argocd.argoproj.io')) cascading.push(`${obj.kind}/${obj.metadata.name}`);
  }
  return { pruned: pruned.sort(), cascading: cascading.sort() };
}

/** The example fleet with every environment's `gitops.argocd` set, after `edit`. */
export function inLayout(argocd: { layout?: 'flat' | 'per-cluster'; handover?: boolean }, edit: (fleet: any) => void = () => {}): Synthesized {
  return edited((f) => {
    for (const env of f.environments) env.gitops.argocd = argocd;
    edit(f);
  });
}
