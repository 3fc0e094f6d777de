import { parse } from 'yaml';
import { exampleTree } from './helpers';

const SKIP_PREFLIGHT = 'machineset.cluster.x-k8s.io/skip-preflight-checks';
const WAVE = 'argocd.argoproj.io/sync-wave';

describe('upgrade order inside the cluster/ Application', () => {
  const objects = [...exampleTree().tree.entries()].filter(([f]) => /\/cluster\/[^/]+\.yaml$/.test(f)).map(([file, text]) => ({ file, obj: parse(text) }));
  const wave = (o: any) => Number(o.metadata.annotations?.[WAVE] ?? 0);
  const ofKind = (kind: string) => objects.filter((o) => o.obj.kind === kind).map((o) => o.obj);

  it('every MachineDeployment and the cluster-autoscaler sync after the KubeadmControlPlane and the Cluster', () => {
    const cp = Math.max(...[...ofKind('KubeadmControlPlane'), ...ofKind('Cluster')].map(wave));
    const mds = ofKind('MachineDeployment');
    expect(mds.length).toBeGreaterThanOrEqual(10);
    for (const md of mds) expect(wave(md)).toBeGreaterThan(cp);
    const autoscaler = ofKind('Deployment').find((d) => d.metadata.name === 'cluster-autoscaler');
    expect(wave(autoscaler)).toBeGreaterThan(cp);
  });

  it('no MachineDeployment skips the MachineSet preflight checks', () => {
    for (const md of ofKind('MachineDeployment')) {
      expect(md.metadata.annotations?.[SKIP_PREFLIGHT]).toBeUndefined();
      expect(md.spec.template.metadata?.annotations?.[SKIP_PREFLIGHT]).toBeUndefined();
    }
  });

  it('pools run the control plane version (the preflight KubernetesVersion check would hold a newer one)', () => {
    const byNamespace = new Map(ofKind('KubeadmControlPlane').map((k) => [k.metadata.namespace, k.spec.version]));
    for (const md of ofKind('MachineDeployment')) expect(md.spec.template.spec.version).toBe(byNamespace.get(md.metadata.namespace));
  });
});
