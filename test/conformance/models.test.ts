import * as path from 'node:path';
import { exampleFleet } from '../helpers/fleet';
import { synthObjects } from '../helpers/synth';

/** Groups whose kinds are not Kubernetes built-ins: checked by the CRD schemas (validate-manifests) instead. */
const CRD_GROUPS = [
  'cluster.x-k8s.io',
  'addons.cluster.x-k8s.io',
  'controlplane.cluster.x-k8s.io',
  'bootstrap.cluster.x-k8s.io',
  'infrastructure.cluster.x-k8s.io',
  'ipam.metal3.io',
  'monitoring.coreos.com',
];

/** The kubernetes-models (or Argo CD models) class for an apiVersion/kind, if it is a model kind. */
function modelClass(apiVersion: string, kind: string): (new (data: unknown) => { validate(): void }) | undefined {
  if (apiVersion === 'argoproj.io/v1alpha1') return require('@kubernetes-models/argo-cd/argoproj.io/v1alpha1')[kind];
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  if (CRD_GROUPS.includes(group)) return undefined;
  const dir = group === '' ? 'v1' : path.join(group, version);
  return require(`kubernetes-models/${dir}`)[kind];
}

describe.each([
  ['the example fleet', () => exampleFleet()],
  ['the YAML example cluster', () => require('yaml').parse(require('node:fs').readFileSync(path.join(__dirname, '../../examples/clusters/edge-lab.yaml'), 'utf8'))],
])('every built-in and Argo CD object of %s validates against its model', (_name, spec) => {
  const objects = synthObjects(spec());
  const builtIn = objects.filter(({ obj }) => !CRD_GROUPS.includes(String(obj.apiVersion).split('/')[0]));

  it('has a model for every built-in kind', () => {
    const missing = builtIn.filter(({ obj }) => !modelClass(obj.apiVersion, obj.kind)).map(({ obj }) => `${obj.apiVersion} ${obj.kind}`);
    expect(missing).toEqual([]);
    expect(builtIn.length).toBeGreaterThan(20);
  });

  it('passes model validation', () => {
    const failures: string[] = [];
    for (const { file, obj } of builtIn) {
      const Model = modelClass(obj.apiVersion, obj.kind);
      if (!Model) continue;
      try {
        new Model(obj).validate();
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
