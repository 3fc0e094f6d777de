import { parseFleet } from '../../../lib/spec';
import { errorsOf } from '../../helpers/spec-issues';
import { exampleFleet } from '../../helpers/fleet';

const withArgocd = (argocd: unknown) => {
  const fleet = exampleFleet();
  fleet.environments[0].gitops.argocd = argocd;
  return fleet;
};

describe('gitops.argocd (Argo CD layout of an environment)', () => {
  it('defaults to the flat layout without handover', () => {
    const { spec } = parseFleet(exampleFleet());
    const controller = { shardingAlgorithm: 'legacy', shards: 'balanced' };
    for (const env of spec.environments) expect(env.gitops.argocd).toEqual({ layout: 'flat', handover: false, controller });
    expect(parseFleet(withArgocd({ layout: 'per-cluster' })).spec.environments[0].gitops.argocd).toEqual({ layout: 'per-cluster', handover: false, controller });
  });

  it('reports a bad layout, a bad handover and an unknown field at once, each with its path', () => {
    const errors = errorsOf(withArgocd({ layout: 'per-tenant', handover: 'yes', recurse: true }));
    expect(errors.map((e) => [e.path, e.value])).toEqual([
      ['environments[0].gitops.argocd.layout', 'per-tenant'],
      ['environments[0].gitops.argocd.handover', 'yes'],
      ['environments[0].gitops.argocd.recurse', true],
    ]);
    expect(errors[0].message).toMatch(/flat.*per-cluster/);
  });

  it('refuses a cluster named argocd (its folder would be the environment argocd/ folder)', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].name = 'argocd';
    expect(errorsOf(fleet).map((e) => `${e.path}: ${e.message}`)).toContain("environments[0].clusters[0].name: is the name of the environment's Argo CD folder (prod/argocd/)");
  });

  it('refuses a Helm add-on named applications (the per-cluster layout names the cluster Application <cluster>-applications)', () => {
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].addons.helm = [{ name: 'applications', repoURL: 'https://charts.example.com', chart: 'x', version: '1.0.0', namespace: 'x' }];
    expect(errorsOf(fleet).map((e) => [e.path, e.message])).toEqual([
      ['environments[0].clusters[0].addons.helm[0].name', "is the name of the cluster's Application of the per-cluster Argo CD layout (gitops.argocd.layout)"],
    ]);
  });
});
