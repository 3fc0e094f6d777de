import * as fs from 'node:fs';
import * as path from 'node:path';
import { Application } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1';
import { parse } from 'yaml';
import { synth } from '../../constructs/synth';
import { SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';
import { applicationSources, mainSource } from '../../lib/platform/helm-application';

describe('synth of the example fleet', () => {
  const t = tempDirPerTest();

  it('is deterministic: two synths are byte-identical', () => {
    const a = path.join(t.dir, 'a');
    const b = path.join(t.dir, 'b');
    synth(exampleFleet(), { outDir: a });
    synth(exampleFleet(), { outDir: b });
    const ta = snapshotTree(a);
    const tb = snapshotTree(b);
    expect([...ta.keys()]).toEqual([...tb.keys()]);
    for (const [file, { content }] of ta) expect(tb.get(file)!.content).toBe(content);
  });

  it('rewrites nothing when the spec is unchanged', () => {
    const first = synth(exampleFleet(), { outDir: t.dir });
    expect(first.written.length).toBe(first.files);
    const before = snapshotTree(t.dir);
    const again = synth(exampleFleet(), { outDir: t.dir });
    expect(again.written).toEqual([]);
    expect(again.deleted).toEqual([]);
    expect(snapshotTree(t.dir)).toEqual(before);
  });

  it('a change to one tenant changes that tenant\'s files only (and its cluster\'s reviewer page)', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].tenants[0].quota['requests.cpu'] = '41';
    const report = synth(fleet, { outDir: t.dir });
    // The tenant's compute quota is per namespace: exactly its two ResourceQuotas change, with the new value.
    // The cluster's reviewer page shows quotas, so it changes too (no Application applies it); the environment's index does not.
    expect(report.written).toEqual([
      'prod/eu-west-1/README.md',
      'prod/eu-west-1/tenants/payments/resourcequota_payments-dev_compute.yaml',
      'prod/eu-west-1/tenants/payments/resourcequota_payments-prod_compute.yaml',
    ]);
    expect(report.deleted).toEqual([]);
    for (const file of report.written.slice(1)) expect(fs.readFileSync(path.join(t.dir, file), 'utf8')).toMatch(/requests\.cpu: "41"/);
  });

  it('leaves the output folder untouched and lists every error when the spec is invalid', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const before = snapshotTree(t.dir);
    const bad = exampleFleet();
    bad.environments[0].clusters[0].network.podCidr = 'nonsense';
    bad.environments[1].clusters[0].controlPlane.replicas = 2;
    let error: unknown;
    try {
      synth(bad, { outDir: t.dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    const paths = (error as SpecError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['environments[0].clusters[0].network.podCidr', 'environments[1].clusters[0].controlPlane.replicas']));
    expect(snapshotTree(t.dir)).toEqual(before);
  });

  it('refuses to prune most of a cluster without the explicit flag', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const before = snapshotTree(t.dir);
    const smaller = exampleFleet();
    smaller.environments[0].clusters[0].tenants = [];
    smaller.environments[0].clusters[0].nodePools = smaller.environments[0].clusters[0].nodePools.filter((p: { name: string }) => p.name === 'general');
    smaller.environments[0].clusters[0].addons = {
      nodeProblemDetector: { enabled: false },
      metricsServer: { enabled: false },
      monitoring: { enabled: false },
      clusterAutoscaler: { enabled: false },
    };
    expect(() => synth(smaller, { outDir: t.dir })).toThrow(/refusing to delete[\s\S]*\n\s+prod\/eu-west-1: \d+ of \d+ files would be deleted \(more than 30 % of its files/);
    expect(snapshotTree(t.dir)).toEqual(before);
    const forced = synth(smaller, { outDir: t.dir, allowPrune: true });
    expect(forced.deleted.length).toBeGreaterThan(0);
  });

  it('writes one Argo CD Application per applied folder, pointing at that folder', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const files = [...snapshotTree(t.dir).keys()];
    for (const env of ['prod', 'staging']) {
      const appFiles = files.filter((f) => f.startsWith(`${env}/argocd/application_`));
      const apps = appFiles.map((f) => parse(fs.readFileSync(path.join(t.dir, f), 'utf8')));
      for (const app of apps) new Application(app).validate();
      const root = apps.find((a) => a.metadata.name === `${env}-root`);
      expect(root.spec.source.path).toBe(`dist/${env}/argocd`);
      const appliedFolders = new Set(
        files.filter((f) => f.startsWith(`${env}/`) && !f.startsWith(`${env}/argocd/`) && !f.endsWith('/README.md') && !f.includes('/kubeconfigs/') && !f.includes('/runbooks/')).map((f) => `dist/${path.dirname(f)}`),
      );
      // Folder Applications; Helm-chart add-ons (source.chart) are checked below.
      const children = apps.filter((a) => a !== root && mainSource(a).path);
      const charts = apps.filter((a) => mainSource(a).chart);
      for (const chart of charts) {
        for (const source of applicationSources(chart)) expect(source.targetRevision).toMatch(/^v?\d+\.\d+\.\d+$/);
        expect(chart.spec.destination.name).toMatch(new RegExp(`^${env}-`));
      }
      const expected = env === 'prod' ? ['kube-prometheus-stack', 'nvidia-device-plugin', 'openstack-cloud-controller-manager', 'tigera-operator'] : ['cilium', 'kube-prometheus-stack'];
      expect(charts.map((a) => mainSource(a).chart).sort()).toEqual(expected);
      expect(new Set(children.map((a) => mainSource(a).path))).toEqual(appliedFolders);
      for (const app of children) {
        expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
        expect(app.metadata.annotations['argocd.argoproj.io/sync-wave']).toMatch(/^-?\d+$/);
        if (app.spec.source.path.endsWith('/cluster')) expect(app.spec.destination.server).toBe('https://kubernetes.default.svc');
        else expect(app.spec.destination.name).toMatch(new RegExp(`^${env}-`));
      }
      // The management-cluster folder syncs before anything in the workload cluster.
      const wave = (a: any) => Number(a.metadata.annotations['argocd.argoproj.io/sync-wave']);
      const clusterWave = Math.max(...children.filter((a) => a.spec.source.path.endsWith('/cluster')).map(wave));
      const others = children.filter((a) => !a.spec.source.path.endsWith('/cluster')).map(wave);
      if (others.length) expect(Math.min(...others)).toBeGreaterThan(clusterWave);
    }
  });

  it('tells Argo CD to leave the replicas of autoscaled MachineDeployments to the autoscaler', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const app = parse(fs.readFileSync(path.join(t.dir, 'prod/argocd/application_argocd_eu-west-1-cluster.yaml'), 'utf8'));
    // The example's "general" pool autoscales over three failure domains; "search" and "gpu" are fixed.
    expect(app.spec.ignoreDifferences).toEqual(
      ['az1', 'az2', 'az3'].map((fd) => ({
        group: 'cluster.x-k8s.io',
        kind: 'MachineDeployment',
        name: `eu-west-1-general-${fd}`,
        namespace: 'prod-eu-west-1',
        jsonPointers: ['/spec/replicas'],
      })),
    );
    expect(app.spec.syncPolicy.syncOptions).toContain('RespectIgnoreDifferences=true');
    for (const fd of ['az1', 'az2', 'az3']) {
      const md = parse(fs.readFileSync(path.join(t.dir, `prod/eu-west-1/cluster/machinedeployment_prod-eu-west-1_eu-west-1-general-${fd}.yaml`), 'utf8'));
      expect(md.spec.replicas).toBeUndefined();
    }
    const staging = parse(fs.readFileSync(path.join(t.dir, 'staging/argocd/application_argocd_dc1-cluster.yaml'), 'utf8'));
    expect(staging.spec.ignoreDifferences).toBeUndefined();
  });

  it('honours prune and selfHeal settings of the environment', () => {
    const fleet = exampleFleet();
    fleet.environments[1].gitops.prune = false;
    fleet.environments[1].gitops.selfHeal = false;
    synth(fleet, { outDir: t.dir });
    const app = parse(fs.readFileSync(path.join(t.dir, 'staging/argocd/application_argocd_dc1-cluster.yaml'), 'utf8'));
    expect(app.spec.syncPolicy.automated).toEqual({ prune: false, selfHeal: false });
  });

  it('synthesizes a YAML spec file and rejects unknown fields in it', () => {
    const report = synth(path.join(__dirname, '../../examples/clusters/edge-lab.yaml'), { outDir: t.dir });
    expect(report.files).toBeGreaterThan(0);
    const osc = parse(fs.readFileSync(path.join(t.dir, 'lab/edge-lab/cluster/openstackcluster_lab-edge-lab_edge-lab.yaml'), 'utf8'));
    expect(osc.spec.apiServerLoadBalancer.enabled).toBe(true);
    const bad = path.join(t.dir, 'bad.yaml');
    fs.writeFileSync(bad, fs.readFileSync(path.join(__dirname, '../../examples/clusters/edge-lab.yaml'), 'utf8').replace('failureDomains:', 'failureDomainz:'));
    expect(() => synth(bad, { outDir: path.join(t.dir, 'out2') })).toThrow(/clusters\[0\]\.failureDomainz: unknown field/);
    expect(fs.existsSync(path.join(t.dir, 'out2'))).toBe(false);
  });
});

describe('defaultWorkers', () => {
  const { defaultWorkers, AUTO_WORKERS_FROM } = require('../../constructs/synth');
  const { generateFleet } = require('../../bench/fleet-gen');
  const { parseFleet } = require('../../lib/spec');
  const os = require('node:os');

  it('stays on one thread below the break-even fleet size and uses the cores from it', () => {
    expect(defaultWorkers(parseFleet(exampleFleet()).spec)).toBe(1);
    const big = parseFleet(generateFleet({ clusters: AUTO_WORKERS_FROM, tenants: 1, namespacesPerTenant: 1 })).spec;
    expect(defaultWorkers(big)).toBe(Math.min(os.availableParallelism(), AUTO_WORKERS_FROM));
  });
});
