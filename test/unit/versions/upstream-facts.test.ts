/**
 * Every pin of lib/versions has a recorded upstream fact (upstream/images.json,
 * upstream/charts/*.json), every image kprod renders is one of the pins, every Helm values key
 * kprod sets exists in that chart version, and every Application ships the CRDs of the custom
 * resources it renders (or an earlier wave to the same cluster does).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { calicoValues, ciliumValues } from '../../../lib/platform/cni';
import { applicationSources } from '../../../lib/platform/helm-application';
import { renderedCustomResources, unknownValuesKeys, type ChartFacts } from '../../../lib/versions/chart-facts';
import { KUBERNETES_MATRIX } from '../../../lib/versions/matrix';
import { CHARTS, IMAGES, imageRef, PROVIDERS, type ChartPin, type ImagePin } from '../../../lib/versions/pins';
import { exampleFleet } from '../../helpers/fleet';
import { synthObjects } from '../../helpers/synth';
import { parse } from 'yaml';

const ROOT = path.join(__dirname, '..', '..', '..');
const imageFacts = JSON.parse(fs.readFileSync(path.join(ROOT, 'upstream', 'images.json'), 'utf8'));
const chartFactsFile = (chart: string, version: string) => path.join(ROOT, 'upstream', 'charts', `${chart}-${version}.json`);
const chartFacts = (chart: string, version: string): ChartFacts => JSON.parse(fs.readFileSync(chartFactsFile(chart, version), 'utf8'));

const imagePins: ImagePin[] = [
  ...Object.values(IMAGES),
  ...KUBERNETES_MATRIX.flatMap((m) => [m.etcd, m.clusterAutoscaler].filter((p): p is ImagePin => p !== undefined)),
];
const chartPins: ChartPin[] = [...Object.values(CHARTS), ...KUBERNETES_MATRIX.flatMap((m) => (m.occmChart ? [m.occmChart] : []))];

describe('recorded upstream facts', () => {
  it('every image pin has a fact from the repository and ref it names, checked 2026-12-01', () => {
    for (const pin of imagePins) {
      const f = imageFacts.images[imageRef(pin)];
      expect([imageRef(pin), f && f.source, f && f.ref.split(':')[0], f && f.checked]).toEqual([imageRef(pin), pin.source.repo, pin.source.ref, '2026-12-01']);
      expect(f.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(f.date).toMatch(/^20\d\d-\d\d-\d\d$/);
    }
    // and no fact for an image that is no longer pinned
    expect(Object.keys(imageFacts.images).sort()).toEqual([...new Set(imagePins.map(imageRef))].sort());
  });

  it('every provider release has a fact at its tag', () => {
    for (const pin of Object.values(PROVIDERS)) {
      const f = imageFacts.releases[`${pin.source.repo}@${pin.version}`];
      expect([pin.version, f?.ref, f?.commit?.length]).toEqual([pin.version, pin.source.ref, 40]);
    }
  });

  it('every chart pin has a chart fact of the same version, repository and ref', () => {
    for (const pin of chartPins) {
      expect([pin.chart, pin.version, fs.existsSync(chartFactsFile(pin.chart, pin.version))]).toEqual([pin.chart, pin.version, true]);
      const f = chartFacts(pin.chart, pin.version);
      expect([f.chart, f.version, f.source.repo, f.source.ref]).toEqual([pin.chart, pin.version, pin.source.repo, pin.source.ref]);
    }
  });

  it('pins exact tags only: no floating tags such as latest, lts, alpine or 2.8-alpine', () => {
    for (const pin of imagePins) expect([imageRef(pin), /^v?\d+\.\d+\.\d+(-[0-9a-z.]+)?$/.test(pin.tag)]).toEqual([imageRef(pin), true]);
    for (const pin of chartPins) expect([pin.chart, /^v?\d+\.\d+\.\d+$/.test(pin.version)]).toEqual([pin.chart, true]);
  });
});

/** Every container image of an object, and of static pods carried in files[].content. */
function imagesOf(obj: any): string[] {
  const found: string[] = [];
  const visit = (v: any): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      if (typeof v.image === 'string' && (v.name !== undefined || v.command !== undefined)) found.push(v.image);
      if (typeof v.content === 'string' && typeof v.path === 'string' && v.path.startsWith('/etc/kubernetes/manifests/')) visit(parse(v.content));
      Object.values(v).forEach(visit);
    }
  };
  visit(obj);
  return found;
}

/** The example fleet with every optional piece that renders an image or a chart switched on. */
function everythingFleet(): any {
  const input = exampleFleet();
  for (const env of input.environments) for (const c of env.clusters) c.addons.dashboard = { enabled: true, viewerGroups: ['platform-viewers'] };
  return input;
}

describe('rendered images and Helm Applications of the example fleet', () => {
  const objects = synthObjects(everythingFleet());
  const apps = objects.map((o) => o.obj).filter((o) => o.kind === 'Application' && applicationSources(o).some((s) => s.chart));

  it('renders only pinned images (the example fleet, with optional add-ons on)', () => {
    const pinned = new Set(imagePins.map(imageRef));
    const rendered = [...new Set(objects.flatMap((o) => imagesOf(o.obj)))].sort();
    expect(rendered.length).toBeGreaterThanOrEqual(8);
    expect(rendered.filter((i) => !pinned.has(i))).toEqual([]);
  });

  it('sets only values keys that exist in the pinned chart version', () => {
    expect(apps.length).toBeGreaterThanOrEqual(6);
    for (const app of apps)
      for (const s of applicationSources(app))
        expect([app.metadata.name, s.chart, unknownValuesKeys(s.helm?.valuesObject ?? {}, chartFacts(s.chart, s.targetRevision))]).toEqual([app.metadata.name, s.chart, []]);
  });

  it('applies the CRDs of every custom resource a chart renders in the same sync or an earlier wave', () => {
    const wave = (a: any) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
    const crdGroupsOf = (a: any) => applicationSources(a).flatMap((s) => chartFacts(s.chart, s.targetRevision).crdGroups);
    const problems: string[] = [];
    for (const app of apps) {
      const earlier = apps.filter((o) => o.spec.destination.name === app.spec.destination.name && wave(o) < wave(app));
      const available = new Set([...crdGroupsOf(app), ...earlier.flatMap(crdGroupsOf)]);
      for (const s of applicationSources(app))
        for (const cr of renderedCustomResources(s.helm?.valuesObject ?? {}, chartFacts(s.chart, s.targetRevision)))
          if (!available.has(cr.group)) problems.push(`${app.metadata.name}: ${s.chart} renders ${cr.kind} (${cr.group}, ${cr.file}) without its CRD`);
    }
    expect(problems).toEqual([]);
    // the case that motivated it: Calico's Installation comes with the CRD chart in the same Application
    const cni = apps.find((a) => a.metadata.name === 'eu-west-1-cni')!;
    const operator = chartFacts('tigera-operator', CHARTS.tigeraOperator.version);
    expect(operator.crdGroups).toEqual([]);
    expect(renderedCustomResources(applicationSources(cni)[1].helm.valuesObject, operator).map((r) => r.kind)).toContain('Installation');
    expect(crdGroupsOf(cni)).toContain('operator.tigera.io');
  });
});

describe('the checks themselves', () => {
  const operator = chartFacts('tigera-operator', CHARTS.tigeraOperator.version);

  it('flag a key the chart does not have, accept free-form maps and values rendered whole', () => {
    expect(unknownValuesKeys({ installation: { calicoNetwork: { bgp: 'Enabled' } }, tolerations: [{ key: 'x' }], instalation: { enabled: true } }, operator)).toEqual([
      'instalation.enabled',
    ]);
    const occm = chartFacts('openstack-cloud-controller-manager', '2.36.0');
    // podSecurityContext is rendered whole by `with .Values.podSecurityContext` + `toYaml .`
    expect(unknownValuesKeys({ podSecurityContext: { seccompProfile: { type: 'RuntimeDefault' } }, secret: { nmae: 'x' } }, occm)).toEqual(['secret.nmae']);
  });

  it('evaluate the conditions around custom resources with the chart defaults and kprod values', () => {
    expect(renderedCustomResources({}, operator).map((r) => r.kind)).toContain('Installation');
    expect(renderedCustomResources({ installation: { enabled: false } }, operator).map((r) => r.kind)).not.toContain('Installation');
    const cilium = chartFacts('cilium', CHARTS.cilium.version);
    expect(renderedCustomResources({}, cilium)).toEqual([]);
    expect(renderedCustomResources({ operator: { prometheus: { enabled: true, serviceMonitor: { enabled: true } } } }, cilium).map((r) => `${r.group}/${r.kind}`)).toEqual([
      'monitoring.coreos.com/ServiceMonitor',
    ]);
  });
});

describe('folder Applications on workload clusters', () => {
  const objects = synthObjects(everythingFleet());
  const apps = objects.map((o) => o.obj).filter((o) => o.kind === 'Application');
  const wave = (a: any) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
  const BUILTIN = /(^|\.)k8s\.io$|^(v1|apps|batch|policy|autoscaling)$/;

  it('apply custom resources only after a Helm Application of an earlier wave installed their CRDs', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const app of apps.filter((a) => a.spec.source?.path && a.spec.destination.name)) {
      const folder = app.spec.source.path.replace(/^dist\//, '');
      const earlier = apps.filter((o) => o.spec.destination.name === app.spec.destination.name && wave(o) < wave(app) && applicationSources(o).some((s) => s.chart));
      const available = new Set(earlier.flatMap((o) => applicationSources(o).flatMap((s) => chartFacts(s.chart, s.targetRevision).crdGroups)));
      for (const { file, obj } of objects.filter((o) => o.file.startsWith(`${folder}/`))) {
        const group = String(obj.apiVersion).includes('/') ? String(obj.apiVersion).split('/')[0] : 'v1';
        if (BUILTIN.test(group)) continue;
        checked++;
        if (!available.has(group)) problems.push(`${file}: ${obj.kind} (${group}) before any Application installs its CRD`);
      }
    }
    expect(checked).toBeGreaterThan(0); // PrometheusRules at least
    expect(problems).toEqual([]);
  });
});

describe('CNI values of every network mode against the charts', () => {
  const network = (encapsulation: 'ipip' | 'vxlan' | 'bgp') => ({ podCidr: '10.244.0.0/16', nodeCidr: '10.10.16.0/20', cni: { plugin: 'calico', encapsulation } }) as any;

  it('tigera-operator: ipip, vxlan and bgp set only keys the chart has or renders whole', () => {
    for (const enc of ['ipip', 'vxlan', 'bgp'] as const)
      expect([enc, unknownValuesKeys(calicoValues(network(enc)), chartFacts('tigera-operator', CHARTS.tigeraOperator.version))]).toEqual([enc, []]);
  });

  it('cilium: vxlan and native routing, kubernetes and cluster-pool IPAM, with kube-proxy replacement', () => {
    const facts = chartFacts('cilium', CHARTS.cilium.version);
    for (const enc of ['vxlan', 'bgp'] as const)
      for (const ipam of ['kubernetes', 'cluster-pool'] as const)
        expect([enc, ipam, unknownValuesKeys(ciliumValues(network(enc), { ipam, kubeProxyReplacement: true }), facts)]).toEqual([enc, ipam, []]);
  });
});
