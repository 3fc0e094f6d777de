import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { synthFleet } from '../../constructs/fleet';
import { checkFiles, formatReport, type CheckReport } from '../../lib/check';
import { loadSpecFile, parseFleet } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { minorStep, patchStep, PROD_BEFORE, PROD_NOW, setVersion, STAGING_NEXT, STAGING_NOW } from '../helpers/versions';

/** The example fleet synthesized in memory once: file → text. */
const fleetFiles = synthFleet(parseFleet(exampleFleet()).spec).files;

/** A copy of the tree with the one object of `kind` named `name` changed by edit. */
function withEdit(files: ReadonlyMap<string, string>, kind: string, name: string, edit: (obj: any) => void, under = ''): Map<string, string> {
  const out = new Map(files);
  const hits = [...files].filter(([f, text]) => f.startsWith(under) && f.endsWith('.yaml') && new RegExp(`^kind: ${kind}$`, 'm').test(text) && parse(text)?.metadata?.name === name);
  if (hits.length !== 1) throw new Error(`expected one ${kind}/${name}, found ${hits.length}`);
  const [file, text] = hits[0];
  const obj = parse(text);
  edit(obj);
  out.set(file, stringify(obj));
  return out;
}

/** The name of the first object of kind (whose name matches) in the tree's manifests. */
function objectName(files: ReadonlyMap<string, string>, kind: string, name = /./): string {
  const hit = [...files]
    .filter(([f, t]) => f.endsWith('.yaml') && new RegExp(`^kind: ${kind}$`, 'm').test(t))
    .map(([, t]) => parse(t))
    .find((o) => name.test(o.metadata.name));
  if (!hit) throw new Error(`no ${kind} matching ${name}`);
  return hit.metadata.name as string;
}

const lines = (r: CheckReport) => r.failures.map((f) => `${f.object}: ${f.path}: ${f.message}`);

describe('kprod check on the examples', () => {
  const clusterExamples = readdirSync(path.join(__dirname, '../../examples/clusters')).filter((f) => /\.(ya?ml|json)$/.test(f));
  it('finds the YAML examples', () => expect(clusterExamples).toContain('edge-lab.yaml'));
  it.each([
    ['examples/fleet.ts', () => fleetFiles] as const,
    ...clusterExamples.map((f) => [`examples/clusters/${f}`, () => synthFleet(loadSpecFile(path.join(__dirname, '../../examples/clusters', f)).spec).files] as const),
  ])('%s: every object checked, 0 failed, 0 unevaluated', (_name, files) => {
    const tree = files();
    const report = checkFiles(tree);
    expect(formatReport(report).slice(0, -1)).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.unevaluated).toEqual([]);
    // not vacuous: more objects than manifest files (embedded KubeletConfiguration, kubeadm, audit, admission documents count too)
    const manifests = [...tree.keys()].filter((f) => f.endsWith('.yaml')).length;
    expect(report.objects).toBeGreaterThan(manifests);
  });

  it('checks the tree as updates of itself with no failure (every update rule allows an unchanged object)', () => {
    const report = checkFiles(fleetFiles, { previous: fleetFiles });
    expect(lines(report)).toEqual([]);
    expect(report.unevaluated).toEqual([]);
  });
});

describe('kprod check on day-2 transitions of the example fleet', () => {
  /** The example with `mutate` applied, synthesized. */
  const tree = (mutate: (input: any) => void) => {
    const input = exampleFleet();
    mutate(input);
    return synthFleet(parseFleet(input).spec).files;
  };
  const prod = (i: any) => i.environments[0].clusters[0];
  const staging = (i: any) => i.environments[1].clusters[0];
  const STAGING_PATCH_BEFORE = patchStep(STAGING_NOW, -1);

  // prod runs the newest supported minor: its upgrade starts from a tree one minor down.
  it.each([
    [`a one-minor Kubernetes upgrade of prod (${PROD_BEFORE} → ${PROD_NOW})`, () => tree((i) => setVersion(prod(i), PROD_BEFORE)), () => fleetFiles],
    [`a one-minor Kubernetes upgrade of staging (${STAGING_NOW} → ${STAGING_NEXT})`, () => fleetFiles, () => tree((i) => setVersion(staging(i), STAGING_NEXT))],
    [`a patch upgrade of staging (${STAGING_PATCH_BEFORE} → ${STAGING_NOW})`, () => tree((i) => setVersion(staging(i), STAGING_PATCH_BEFORE)), () => fleetFiles],
    [
      // search has a fixed size (general is autoscaled: its replicas are not in the tree)
      'a fixed-size node pool scaled out',
      () => fleetFiles,
      () => tree((i) => (prod(i).nodePools[1].replicas += 3)),
    ],
  ])('%s is accepted as an update', (_name, previous, next) => {
    const before = previous();
    const after = next();
    expect(after).not.toEqual(before);
    const report = checkFiles(after, { previous: before });
    expect(lines(report)).toEqual([]);
    expect(report.unevaluated).toEqual([]);
  });

  it('a two-minor upgrade of prod is refused by the KubeadmControlPlane webhook', () => {
    // The live control plane two minors down (an end-of-life minor only an old tree holds).
    const running = `${minorStep(PROD_NOW, -2)}.4`;
    const previous = withEdit(fleetFiles, 'KubeadmControlPlane', 'eu-west-1-control-plane', (o) => (o.spec.version = `v${running}`));
    expect(lines(checkFiles(fleetFiles, { previous }))).toEqual([`KubeadmControlPlane/eu-west-1-control-plane: spec.version: cannot update Kubernetes version from v${running} to v${PROD_NOW} (admission webhook)`]);
  });
});

describe('kprod check catches planted violations', () => {
  const KCP = 'eu-west-1-control-plane';
  const staging = 'dc1-control-plane';

  it('an unknown field deep in a template (CRD structural schema)', () => {
    const files = withEdit(fleetFiles, 'KubeadmControlPlane', KCP, (o) => (o.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgz = []));
    expect(lines(checkFiles(files))).toEqual([`KubeadmControlPlane/${KCP}: spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgz: unknown field`]);
  });

  it('an unknown field in a built-in pod template (kubernetes-models field list)', () => {
    const files = withEdit(fleetFiles, 'Deployment', 'metrics-server', (o) => (o.spec.template.spec.containers[0].imagePullPolicyy = 'Always'), 'staging/');
    expect(lines(checkFiles(files))).toEqual(['Deployment/metrics-server: spec.template.spec.containers[0].imagePullPolicyy: unknown field']);
  });

  it('a wrong type in an embedded KubeletConfiguration (files[].content)', () => {
    const files = withEdit(fleetFiles, 'KubeadmControlPlane', KCP, (o) => {
      const file = o.spec.kubeadmConfigSpec.files.find((f: any) => /kind: KubeletConfiguration/.test(f.content ?? ''));
      file.content = file.content.replace(/^maxPods: .*$/m, 'maxPods: many');
    });
    const found = lines(checkFiles(files));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(new RegExp(`^KubeadmControlPlane/${KCP}: spec\\.kubeadmConfigSpec\\.files\\[\\d+\\]\\.content\\{KubeletConfiguration\\}\\.maxPods: must be integer$`));
  });

  it('a CEL rule of the CRD (x-kubernetes-validations: extraArgs names unique)', () => {
    const files = withEdit(fleetFiles, 'KubeadmControlPlane', KCP, (o) => o.spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs.push({ name: 'profiling', value: 'true' }));
    expect(lines(checkFiles(files))).toEqual([
      `KubeadmControlPlane/${KCP}: spec.kubeadmConfigSpec.clusterConfiguration.apiServer.extraArgs: extraArgs name must be unique (x-kubernetes-validations rule: self.all(x, self.exists_one(y, x.name == y.name)))`,
    ]);
  });

  it('a webhook rule on create (KubeadmControlPlane: no even replica count with stacked etcd)', () => {
    const files = withEdit(fleetFiles, 'KubeadmControlPlane', staging, (o) => (o.spec.replicas = 2));
    expect(lines(checkFiles(files))).toEqual([`KubeadmControlPlane/${staging}: spec.replicas: cannot be an even number when etcd is stacked (admission webhook)`]);
  });

  it('a webhook rule on create (MachineDeployment: selector must match the template labels)', () => {
    const files = withEdit(fleetFiles, 'MachineDeployment', 'eu-west-1-general-az1', (o) => (o.spec.selector = { matchLabels: { pool: 'other' } }));
    expect(lines(checkFiles(files))).toEqual(['MachineDeployment/eu-west-1-general-az1: spec.template.metadata.labels: must match spec.selector (admission webhook)']);
  });

  it('an immutable template on update (OpenStackMachineTemplate spec.template.spec), only with --previous', () => {
    const name = objectName(fleetFiles, 'OpenStackMachineTemplate', /general/);
    const files = withEdit(fleetFiles, 'OpenStackMachineTemplate', name, (o) => (o.spec.template.spec.flavor = 'm1.other'));
    expect(lines(checkFiles(files))).toEqual([]);
    expect(lines(checkFiles(files, { previous: fleetFiles }))).toEqual([
      `OpenStackMachineTemplate/${name}: spec.template.spec: OpenStackMachineTemplate spec.template.spec field is immutable. Please create a new resource instead. (admission webhook)`,
    ]);
  });

  it('a field the KubeadmControlPlane update webhook does not let change, and a two-minor version jump', () => {
    const files = withEdit(fleetFiles, 'KubeadmControlPlane', KCP, (o) => {
      o.spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir = '/etc/other-pki';
      o.spec.version = o.spec.version.replace(/^v1\.(\d+)\.\d+/, (_: string, m: string) => `v1.${Number(m) + 2}.0`);
    });
    const found = lines(checkFiles(files, { previous: fleetFiles }));
    expect(found).toEqual([
      `KubeadmControlPlane/${KCP}: spec.kubeadmConfigSpec.clusterConfiguration.certificatesDir: cannot be modified (admission webhook)`,
      expect.stringMatching(new RegExp(`^KubeadmControlPlane/${KCP}: spec\\.version: cannot update Kubernetes version from v1\\.\\d+\\.\\d+ to v1\\.\\d+\\.0 \\(admission webhook\\)$`)),
    ]);
    // as a create, both are fine
    expect(lines(checkFiles(files))).toEqual([]);
  });

  it('a CEL transition rule (identityRef.region is immutable) runs only against the previous object', () => {
    const name = objectName(fleetFiles, 'OpenStackCluster');
    const files = withEdit(fleetFiles, 'OpenStackCluster', name, (o) => (o.spec.identityRef.region = 'elsewhere'));
    const before = withEdit(fleetFiles, 'OpenStackCluster', name, (o) => (o.spec.identityRef.region = 'here'));
    expect(lines(checkFiles(files))).toEqual([]);
    expect(lines(checkFiles(files, { previous: before }))).toEqual([
      `OpenStackCluster/${name}: spec.identityRef: region is immutable (x-kubernetes-validations rule: (!has(self.region) && !has(oldSelf.region)) || self.region == oldSelf.region)`,
    ]);
  });

  it('Metal3DataTemplate networkData is immutable on update', () => {
    const name = objectName(fleetFiles, 'Metal3DataTemplate');
    const files = withEdit(fleetFiles, 'Metal3DataTemplate', name, (o) => (o.spec.networkData = { ...(o.spec.networkData ?? {}), services: { dns: ['10.0.0.53'] } }));
    expect(lines(checkFiles(files, { previous: fleetFiles }))).toEqual([`Metal3DataTemplate/${name}: spec.networkData: cannot be modified (admission webhook)`]);
  });

  it('a kind with no schema is unevaluated, never passed, and a file that does not parse fails', () => {
    const files = new Map([
      ['a/widget.yaml', 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n'],
      ['a/broken.yaml', 'kind: [unclosed\n'],
    ]);
    const report = checkFiles(files);
    expect(formatReport(report)).toEqual([
      'a/broken.yaml: -: (file): cannot parse: ' + report.failures[0].message.replace(/^cannot parse: /, ''),
      'a/widget.yaml: Widget/w: (root): unevaluated: no schema for example.com/v1 Widget',
      'checked 1 objects, 1 failed, 1 unevaluated',
    ]);
  });

  it('an object without a string apiVersion and kind fails', () => {
    const report = checkFiles(new Map([['a/x.yaml', 'apiVersion: 42\nkind: ConfigMap\nmetadata:\n  name: x\n']]));
    expect(lines(report)).toEqual(['ConfigMap/x: (root): apiVersion and kind must be non-empty strings']);
  });

  it('reads YAML with 1.1 rules (an unquoted `on` is a boolean) and treats null fields as absent', () => {
    const cm = (value: string) => new Map([['x/cm.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: null\ndata:\n  key: ${value}\n`]]);
    expect(lines(checkFiles(cm('"on"')))).toEqual([]);
    expect(lines(checkFiles(cm('on')))).toEqual(['ConfigMap/c: data.key: must be string']);
  });
});
