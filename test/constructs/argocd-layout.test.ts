import * as path from 'node:path';
import { parse } from 'yaml';
import { generateFleet } from '../../bench/fleet-gen';
import { synthFleet } from '../../constructs/fleet';
import { streamSynth, streamSynthAsync } from '../../constructs/stream-synth';
import { synth } from '../../constructs/synth';
import { checkFiles, formatReport } from '../../lib/check';
import { mainSource } from '../../lib/platform/helm-application';
import { parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

jest.setTimeout(120_000);

const GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';

/** The example fleet (or `input`) with every environment in `layout`, synthesized in memory. */
function tree(layout: 'flat' | 'per-cluster', input = exampleFleet()): Map<string, string> {
  for (const env of input.environments) env.gitops.argocd = { layout };
  return synthFleet(parseFleet(input).spec).files;
}

/** Files directly in `dir/` (not in its subfolders). */
const directlyIn = (files: Iterable<string>, dir: string) => [...files].filter((f) => f.startsWith(`${dir}/`) && !f.slice(dir.length + 1).includes('/'));

/** Every Application of a tree, parsed as a YAML 1.1 reader (Kubernetes' go-yaml, kprod check) reads it. */
const applications = (files: Map<string, string>) =>
  [...files].filter(([f]) => /\/argocd\/(.+\/)?application_/.test(f)).map(([file, text]) => ({ file, app: parse(text, { version: '1.1' }) }));

/** The tree without kprod's own folder. */
const manifests = (dir: string) => new Map([...snapshotTree(dir)].filter(([f]) => !f.startsWith('.kprod/')).map(([f, { content }]) => [f, content]));

describe('manifest-generate-paths', () => {
  it('every folder Application and the root render only their own folder; the Helm Applications carry none', () => {
    for (const layout of ['flat', 'per-cluster'] as const) {
      const files = tree(layout);
      const apps = applications(files);
      const folders = apps.filter(({ app }) => mainSource(app).path);
      const charts = apps.filter(({ app }) => mainSource(app).chart);
      expect(folders.length).toBeGreaterThan(10);
      expect(charts.length).toBeGreaterThan(3);
      for (const { file, app } of folders) {
        // A string even to a YAML 1.1 reader, where a bare `.` is a float.
        expect([file, app.metadata.annotations[GENERATE_PATHS]]).toEqual([file, '.']);
        expect(files.get(file)).toContain(`${GENERATE_PATHS}: "."`);
        // Relative to source.path: the folder the Application applies, which holds its objects.
        const folder = path.posix.join(mainSource(app).path, app.metadata.annotations[GENERATE_PATHS]).replace(/^dist\//, '');
        expect([file, directlyIn(files.keys(), folder).length > 0]).toEqual([file, true]);
      }
      // Chart sources are no git paths: nothing for the annotation to compare.
      for (const { file, app } of charts) expect([file, app.metadata.annotations[GENERATE_PATHS]]).toEqual([file, undefined]);
    }
  });
});

describe('per-cluster layout', () => {
  const t = tempDirPerTest();

  it("keeps the root folder to the projects and one Application per cluster, pointing at the cluster's folder", () => {
    const files = tree('per-cluster');
    for (const [env, cluster] of [['prod', 'eu-west-1'], ['staging', 'dc1']]) {
      expect(directlyIn(files.keys(), `${env}/argocd`).sort()).toEqual([
        `${env}/argocd/application_argocd_${cluster}-applications.yaml`,
        `${env}/argocd/application_argocd_${env}-root.yaml`,
        `${env}/argocd/appproject_argocd_${env}-platform.yaml`,
        `${env}/argocd/appproject_argocd_${env}-root.yaml`,
      ]);
      const root = parse(files.get(`${env}/argocd/application_argocd_${env}-root.yaml`)!);
      const child = parse(files.get(`${env}/argocd/application_argocd_${cluster}-applications.yaml`)!);
      expect(root.spec.source.path).toBe(`dist/${env}/argocd`);
      expect(child.spec.source.path).toBe(`dist/${env}/argocd/${cluster}`);
      // Same project, destination and sync policy as the root; no finalizer, so deleting it never cascades.
      expect(child.spec.project).toBe(`${env}-root`);
      expect(child.spec.destination).toEqual(root.spec.destination);
      expect(child.spec.syncPolicy).toEqual(root.spec.syncPolicy);
      expect(child.metadata.finalizers).toBeUndefined();
      // What the child applies is what the root project allows: Applications and AppProjects.
      const project = parse(files.get(`${env}/argocd/appproject_argocd_${env}-root.yaml`)!);
      const kinds = new Set(directlyIn(files.keys(), `${env}/argocd/${cluster}`).map((f) => parse(files.get(f)!).kind));
      expect([...kinds].sort()).toEqual(['AppProject', 'Application']);
      for (const kind of kinds) expect(project.spec.namespaceResourceWhitelist).toContainEqual({ group: 'argoproj.io', kind });
    }
  });

  it('holds the same objects as the flat layout, byte for byte, only in the cluster folders; everything else is unchanged', () => {
    const flat = tree('flat');
    const perCluster = tree('per-cluster');
    const key = (f: string) => f.replace(/^([^/]+)\/argocd\/(?:[^/]+\/)?/, '$1/argocd/');
    const childApps = [...perCluster.keys()].filter((f) => f.endsWith('-applications.yaml'));
    expect(childApps).toEqual(['prod/argocd/application_argocd_eu-west-1-applications.yaml', 'staging/argocd/application_argocd_dc1-applications.yaml']);
    const moved = new Map([...perCluster].filter(([f]) => !childApps.includes(f)).map(([f, text]) => [key(f), text]));
    expect(moved).toEqual(flat);
  });

  it('streams, caches and builds on two threads to the bytes of the in-memory synth; --only leaves the argocd folder alone', async () => {
    const gen = generateFleet({ clusters: 3, tenants: 2 });
    for (const env of gen.environments) env.gitops.argocd = { layout: 'per-cluster' };
    const { spec } = parseFleet(gen);
    const memory = synthFleet(spec).files;
    const a = path.join(t.dir, 'a');
    const cacheDir = path.join(t.dir, 'cache');
    expect(streamSynth(spec, a, { cacheDir }).cached).toBe(0);
    expect(manifests(a)).toEqual(memory);
    const again = streamSynth(spec, a, { cacheDir });
    expect([again.built, again.cached, again.write.written]).toEqual([0, 3, []]);
    expect(manifests(a)).toEqual(memory);
    await streamSynthAsync(spec, path.join(t.dir, 'b'), { workers: 2 });
    expect(manifests(path.join(t.dir, 'b'))).toEqual(memory);

    const out = path.join(t.dir, 'dist');
    const example = exampleFleet();
    for (const env of example.environments) env.gitops.argocd = { layout: 'per-cluster' };
    synth(example, { outDir: out });
    const before = snapshotTree(out);
    example.environments[1].clusters[0].tenants[0].quota['requests.cpu'] = '42';
    example.environments[1].clusters[0].tenants.push({ name: 'search', owners: { groups: ['search-admins'] }, namespaces: [{ name: 'search' }] });
    const report = synth(example, { outDir: out, only: 'staging/dc1' });
    expect(report.written.filter((f) => !f.startsWith('staging/dc1/'))).toEqual([]);
    const after = snapshotTree(out);
    for (const [file, entry] of before) if (file.startsWith('staging/argocd/')) expect([file, after.get(file)]).toEqual([file, entry]);
  });

  it('passes kprod check, with and without handover', () => {
    for (const argocd of [{ layout: 'per-cluster' }, { layout: 'flat', handover: true }, { layout: 'per-cluster', handover: true }]) {
      const fleet = exampleFleet();
      for (const env of fleet.environments) env.gitops.argocd = argocd;
      const report = checkFiles(synthFleet(parseFleet(fleet).spec).files);
      expect([argocd, formatReport(report)]).toEqual([argocd, [`checked ${report.objects} objects, 0 failed, 0 unevaluated`]]);
    }
  });
});
