/**
 * Day 2 of `gitops.argocd.layout`: switching a live environment between the flat and the
 * per-cluster layout hands Applications from one parent Application to another. `argoCdPrunes`
 * (helpers.ts) says what Argo CD would delete on the way; kprod must refuse the switch that deletes
 * workloads and let through the ones that do not, without calling a move a mass prune.
 */
import { synth } from '../../constructs/synth';
import { planTransition } from '../../lib/day2/plan';
import { SpecError } from '../../lib/spec';
import { parse } from 'yaml';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';
import { argoCdPrunes, assertTransitionAccepted, inLayout, prod, type Synthesized } from './helpers';

const LAYOUT_PATHS = ['environments[0].gitops.argocd.layout', 'environments[1].gitops.argocd.layout'];
const FINALIZER = 'resources-finalizer.argocd.argoproj.io';

const plan = (previous: Synthesized, next: Synthesized) => planTransition(previous.tree, next.tree, next.spec);
const objectsIn = (s: Synthesized, folder: RegExp) => [...s.tree].filter(([f]) => folder.test(f)).map(([file, text]) => ({ file, obj: parse(text) }));

describe('switching the Argo CD layout of a live environment', () => {
  const flat = inLayout({});
  const handover = inLayout({ handover: true });
  const perCluster = inLayout({ layout: 'per-cluster' });

  it('flat → per-cluster in one commit would delete the Helm Applications’ workloads: refused, and not called a mass prune', () => {
    // What Argo CD would do: the root prunes every moved object, the Helm Applications with their workloads.
    const prunes = argoCdPrunes(flat.tree, perCluster.tree);
    expect(prunes.cascading).toEqual(expect.arrayContaining(['Application/eu-west-1-cni', 'Application/eu-west-1-openstack-cloud-controller-manager', 'Application/dc1-cni', 'Application/dc1-monitoring']));
    expect(prunes.pruned).toEqual(expect.arrayContaining(['Application/eu-west-1-cluster', 'AppProject/prod-eu-west-1-tenant-ml']));
    const p = plan(flat, perCluster);
    expect(p.refused.map((i) => i.path)).toEqual(LAYOUT_PATHS);
    expect(p.refused[0].message).toMatch(/gitops\.argocd\.handover: true/);
    expect(p.pruneRefusals).toEqual([]);
  });

  it('handover first: the flat tree marks every object of the clusters Prune=false, and Argo CD prunes nothing', () => {
    const marked = (o: { obj: any }) => String(o.obj.metadata.annotations?.['argocd.argoproj.io/sync-options'] ?? '').split(',').includes('Prune=false');
    const shares = objectsIn(handover, /^[^/]+\/argocd\//).filter((o) => !/-(root|platform)$/.test(o.obj.metadata.name));
    // Everything but each environment's root Application, root project and platform project.
    expect(shares.length).toBe(objectsIn(flat, /^[^/]+\/argocd\//).length - 6);
    expect(shares.filter((o) => !marked(o)).map((o) => o.file)).toEqual([]);
    // Roots and environment projects are never marked: removing a cluster must still prune its objects later.
    expect(objectsIn(handover, /^[^/]+\/argocd\//).filter((o) => /-(root|platform)$/.test(o.obj.metadata.name) && marked(o))).toEqual([]);
    expect(argoCdPrunes(flat.tree, handover.tree)).toEqual({ pruned: [], cascading: [] });
    assertTransitionAccepted(flat, handover);
    expect(plan(flat, handover).pruneRefusals).toEqual([]);
  });

  it('handover → per-cluster: accepted, the root prunes nothing, every object reaches its cluster Application', () => {
    expect(argoCdPrunes(handover.tree, perCluster.tree)).toEqual({ pruned: [], cascading: [] });
    assertTransitionAccepted(handover, perCluster);
    const p = plan(handover, perCluster);
    expect([p.refused, p.pruneRefusals]).toEqual([[], []]);
    // Each object that left the root folder sits in the folder of an Application of the root folder.
    const children = objectsIn(perCluster, /^[^/]+\/argocd\/application_/).map((o) => o.obj.spec.source.path.replace(/^dist\//, ''));
    for (const removed of p.removed) {
      const name = removed.split('/').pop()!;
      const now = [...perCluster.tree.keys()].filter((f) => f.endsWith(`/${name}`));
      expect([removed, now.length, children.includes(now[0]?.slice(0, now[0].lastIndexOf('/')))]).toEqual([removed, 1, true]);
    }
  });

  it('per-cluster → flat in one commit: the cluster Applications are pruned without cascading; accepted', () => {
    const prunes = argoCdPrunes(perCluster.tree, flat.tree);
    expect(prunes).toEqual({ pruned: ['Application/dc1-applications', 'Application/eu-west-1-applications'], cascading: [] });
    for (const { obj } of objectsIn(perCluster, /-applications\.yaml$/)) expect(obj.metadata.finalizers).toBeUndefined();
    const p = plan(perCluster, flat);
    expect([p.refused, p.pruneRefusals]).toEqual([[], []]);
    assertTransitionAccepted(perCluster, flat);
  });

  it('a real removal in the per-cluster layout is still a prune: the cluster Application prunes it and the guard sees it', () => {
    const fewer = inLayout({ layout: 'per-cluster' }, (f) => {
      const c = prod(f);
      c.tenants = [];
      c.nodePools = c.nodePools.filter((pool: { name: string }) => pool.name !== 'gpu');
      c.addons = { ...c.addons, nodeProblemDetector: { enabled: false }, metricsServer: { enabled: false }, monitoring: { enabled: false } };
    });
    const prunes = argoCdPrunes(perCluster.tree, fewer.tree);
    expect(prunes.pruned).toEqual(expect.arrayContaining(['Application/eu-west-1-tenant-ml', 'AppProject/prod-eu-west-1-tenant-ml']));
    expect(prunes.cascading).toEqual(expect.arrayContaining(['Application/eu-west-1-monitoring']));
    const p = plan(perCluster, fewer);
    expect(p.refused).toEqual([]);
    expect(p.pruneRefusals.map((v) => v.folder)).toEqual(['prod/argocd', 'prod/eu-west-1']);
    expect(p.pruneRefusals[0].files).toContain('prod/argocd/eu-west-1/application_argocd_eu-west-1-tenant-ml.yaml');
  });
});

describe('kprod synth through the switch, on disk', () => {
  const t = tempDirPerTest();
  it('refuses flat → per-cluster and writes nothing; with handover in between it writes without --allow-prune', () => {
    synth(fleetIn({}), { outDir: t.dir });
    const before = snapshotTree(t.dir);
    let error: unknown;
    try {
      synth(fleetIn({ layout: 'per-cluster' }), { outDir: t.dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    // One issue per environment, not one per cluster.
    expect((error as SpecError).issues.map((i) => i.path)).toEqual(LAYOUT_PATHS);
    expect(snapshotTree(t.dir)).toEqual(before);
    expect(synth(fleetIn({ layout: 'per-cluster' }), { outDir: t.dir, dryRun: true }).refused.length).toBe(2);

    synth(fleetIn({ handover: true }), { outDir: t.dir });
    const moved = synth(fleetIn({ layout: 'per-cluster' }), { outDir: t.dir });
    expect(moved.deleted.length).toBeGreaterThan(20);
    expect(moved.violations).toEqual([]);
    // And back, in one step.
    expect(synth(fleetIn({}), { outDir: t.dir }).violations).toEqual([]);
  });
});

/** The example fleet input with every environment's `gitops.argocd` set. */
function fleetIn(argocd: object) {
  const f = exampleFleet();
  for (const env of f.environments) env.gitops.argocd = argocd;
  return f;
}

// Catches a finalizer silently dropped from the Helm Applications: the refusal above exists because of it.
it('the Helm Applications carry the cascading finalizer (why the one-step switch is refused)', () => {
  const helm = objectsIn(inLayout({}), /^[^/]+\/argocd\/application_/).filter((o) => o.obj.spec.sources || o.obj.spec.source?.chart);
  expect(helm.length).toBeGreaterThan(3);
  for (const { file, obj } of helm) expect([file, obj.metadata.finalizers]).toEqual([file, [FINALIZER]]);
});
