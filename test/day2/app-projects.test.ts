import { AppProject } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { parse } from 'yaml';
import { applicationSources } from '../../lib/platform/helm-application';
import { parseFleet, SpecError } from '../../lib/spec';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synth } from '../../constructs/synth';
import { exampleFleet } from '../helpers/fleet';
import { tempDir } from '../helpers/tmp';
import { edited, exampleTree, type Synthesized } from './helpers';

const objectsOf = (s: Synthesized, prefix: string) => [...s.tree.entries()].filter(([f]) => f.startsWith(prefix) && f.endsWith('.yaml')).map(([file, text]) => ({ file, obj: parse(text) }));
const argo = (s: Synthesized, env: string) => objectsOf(s, `${env}/argocd/`).map((o) => o.obj);
const glob = (pattern: string, value: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(value);

describe.each(['prod', 'staging'])('AppProjects of %s', (env) => {
  const objs = argo(exampleTree(), env);
  const projects = new Map(objs.filter((o) => o.kind === 'AppProject').map((p) => [p.metadata.name, p]));
  const apps = objs.filter((o) => o.kind === 'Application');

  const tenantApps = apps.filter((a) => a.metadata.labels['kprod.io/folder'] === 'tenant');

  it('root, platform and one project per tenant folder, each valid against the Argo CD model', () => {
    expect(tenantApps.length).toBeGreaterThan(0);
    expect([...projects.keys()].sort()).toEqual([`${env}-platform`, `${env}-root`, ...tenantApps.map((a) => `${env}-${a.metadata.name}`)].sort());
    for (const p of projects.values()) expect(() => new AppProject(p).validate()).not.toThrow();
  });

  it('no Application uses the default project; each may use only its sources and destinations', () => {
    for (const app of apps) {
      const project = projects.get(app.spec.project);
      expect(project).toBeDefined();
      // Every source of a multi-source Application (the Calico CRD and operator charts) too.
      const sources = applicationSources(app);
      expect(sources.length).toBeGreaterThan(0);
      for (const source of sources) expect([app.metadata.name, project.spec.sourceRepos]).toEqual([app.metadata.name, expect.arrayContaining([source.repoURL])]);
      const dest = app.spec.destination;
      const allowed = project.spec.destinations.some(
        (d: any) => (d.server ? d.server === dest.server : d.name === dest.name) && (dest.namespace === undefined || glob(d.namespace, dest.namespace)),
      );
      expect([app.metadata.name, allowed]).toEqual([app.metadata.name, true]);
    }
    expect(apps.find((a) => a.metadata.name === `${env}-root`).spec.project).toBe(`${env}-root`);
    for (const t of tenantApps) expect(t.spec.project).toBe(`${env}-${t.metadata.name}`);
  });

  it('sources: the fleet repository plus exactly the chart repositories of the Helm Applications', () => {
    const charts = apps.flatMap((a) => applicationSources(a).filter((s) => s.chart).map((s) => s.repoURL));
    expect(projects.get(`${env}-platform`).spec.sourceRepos).toEqual([...new Set(['https://git.example.com/platform/fleet.git', ...charts])].sort());
    for (const t of tenantApps) expect(projects.get(t.spec.project).spec.sourceRepos).toEqual(['https://git.example.com/platform/fleet.git']);
  });

  it('the root project creates only Applications and AppProjects in the Argo CD namespace', () => {
    const root = projects.get(`${env}-root`).spec;
    expect(root.clusterResourceWhitelist).toEqual([]);
    expect(root.destinations).toEqual([{ server: 'https://kubernetes.default.svc', namespace: 'argocd' }]);
    expect(root.namespaceResourceWhitelist.map((k: any) => k.kind).sort()).toEqual(['AppProject', 'Application']);
  });

  it("a tenant folder reaches only its own namespaces, and no cluster-scoped kind but Namespace", () => {
    for (const app of tenantApps) {
      const spec = projects.get(app.spec.project).spec;
      expect(spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
      for (const d of spec.destinations) expect(d.name).toBe(app.spec.destination.name);
      const allowed = new Set(spec.destinations.map((d: any) => d.namespace));
      const objects = objectsOf(exampleTree(), `${app.spec.source.path.replace(/^dist\//, '')}/`);
      expect(objects.length).toBeGreaterThan(3);
      for (const { obj } of objects) expect([obj.kind, obj.metadata.name, allowed.has(obj.kind === 'Namespace' ? obj.metadata.name : obj.metadata.namespace)]).toEqual([obj.kind, obj.metadata.name, true]);
    }
    // Tenants are kept apart: no namespace is a destination of two tenant projects.
    const all = tenantApps.flatMap((a) => projects.get(a.spec.project).spec.destinations.map((d: any) => `${d.name}/${d.namespace}`));
    expect(new Set(all).size).toBe(all.length);
  });

  it('no maintenance window: no sync windows', () => expect(projects.get(`${env}-platform`).spec.syncWindows).toBeUndefined());
});

describe('maintenance windows', () => {
  it('become allow sync windows (manual sync allowed) for the Applications that replace machines', () => {
    const next = edited((f) => (f.environments[0].gitops.maintenanceWindows = [{ schedule: '0 22 * * 6', duration: '4h', timeZone: 'Europe/Berlin' }]));
    const platform = argo(next, 'prod').find((o) => o.kind === 'AppProject' && o.metadata.name === 'prod-platform');
    expect(platform.spec.syncWindows).toEqual([
      { kind: 'allow', schedule: '0 22 * * 6', duration: '4h', timeZone: 'Europe/Berlin', applications: ['eu-west-1-cluster', 'eu-west-1-openstack-cloud-controller-manager'], manualSync: true },
    ]);
    expect(() => new AppProject(platform).validate()).not.toThrow();
    // Staging declares none and keeps syncing on every commit.
    expect(argo(next, 'staging').find((o) => o.metadata.name === 'staging-platform').spec.syncWindows).toBeUndefined();
  });

  it("a cluster's own windows replace the environment's for its Applications", () => {
    const next = edited((f) => {
      f.environments[0].gitops.maintenanceWindows = [{ schedule: '0 22 * * 6', duration: '4h' }];
      f.environments[1].clusters[0].maintenanceWindows = [{ schedule: '0 6 * * 1-5', duration: '2h', timeZone: 'Europe/Paris' }];
    });
    const windows = (env: string) => argo(next, env).find((o) => o.metadata.name === `${env}-platform`).spec.syncWindows;
    expect(windows('prod')).toEqual([expect.objectContaining({ schedule: '0 22 * * 6', timeZone: 'UTC', applications: ['eu-west-1-cluster', 'eu-west-1-openstack-cloud-controller-manager'] })]);
    expect(windows('staging')).toEqual([{ kind: 'allow', schedule: '0 6 * * 1-5', duration: '2h', timeZone: 'Europe/Paris', applications: ['dc1-cluster'], manualSync: true }]);
  });

  it('a bad window is refused with its path', () => {
    const f = exampleFleet();
    f.environments[1].gitops.maintenanceWindows = [{ schedule: 'saturday night', duration: '4 hours', timeZone: 'Mars/Olympus' }];
    f.environments[0].clusters[0].maintenanceWindows = [{ schedule: '0 22 * * 6', duration: '90' }];
    let error: SpecError | undefined;
    try {
      parseFleet(f);
    } catch (e) {
      error = e as SpecError;
    }
    expect(error?.issues.filter((i) => i.severity === 'error').map((i) => i.path).sort()).toEqual([
      'environments[0].clusters[0].maintenanceWindows[0].duration',
      'environments[1].gitops.maintenanceWindows[0].duration',
      'environments[1].gitops.maintenanceWindows[0].schedule',
      'environments[1].gitops.maintenanceWindows[0].timeZone',
    ]);
  });

  it('timeZone defaults to UTC', () => {
    const f = exampleFleet();
    f.environments[0].gitops.maintenanceWindows = [{ schedule: '0 2 * * *', duration: '1h30m' }];
    expect(parseFleet(f).spec.environments[0].gitops.maintenanceWindows).toEqual([{ schedule: '0 2 * * *', duration: '1h30m', timeZone: 'UTC' }]);
  });
});

describe('a project the user manages', () => {
  it('is used by the platform Applications and not rendered', () => {
    const next = edited((f) => (f.environments[0].gitops.project = 'platform-team'));
    const objs = argo(next, 'prod');
    expect(objs.filter((o) => o.kind === 'AppProject').map((p) => p.metadata.name).sort()).toEqual(['prod-eu-west-1-tenant-ml', 'prod-eu-west-1-tenant-payments', 'prod-root']);
    expect(objs.find((o) => o.metadata.name === 'eu-west-1-cluster').spec.project).toBe('platform-team');
    expect(objs.find((o) => o.metadata.name === 'eu-west-1-cni').spec.project).toBe('platform-team');
  });
});

describe('AppProjects written to disk', () => {
  const { dir, cleanup } = tempDir('kprod-projects-');
  afterAll(cleanup);

  it('are the in-memory ones, also when every cluster comes from the synth cache', () => {
    const file = 'prod/argocd/appproject_argocd_prod-platform.yaml';
    const memory = exampleTree().tree.get(file)!;
    // every chart repository of the multi-source CNI Application is allowed
    expect(parse(memory).spec.sourceRepos).toEqual(expect.arrayContaining(applicationSources(argo(exampleTree(), 'prod').find((o) => o.metadata.name === 'eu-west-1-cni')).map((s) => s.repoURL)));
    synth(exampleFleet(), { outDir: dir });
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(memory);
    const again = synth(exampleFleet(), { outDir: dir });
    expect([again.cached, again.built]).toEqual([2, 0]);
    expect(again.changed).toEqual([]);
    expect(fs.readFileSync(path.join(dir, file), 'utf8')).toBe(memory);
  });
});
