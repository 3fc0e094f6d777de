import { parseFleet } from '../../../lib/spec';
import { SHARDING_ALGORITHMS } from '../../../lib/spec/schema/argocd-controller';
import { exampleFleet } from '../../helpers/fleet';
import { errorsOf } from '../../helpers/spec-issues';

const withController = (controller: unknown) => {
  const fleet = exampleFleet();
  fleet.environments[0].gitops.argocd = { controller };
  return fleet;
};

describe('gitops.argocd.controller (the Argo CD application controller of an environment)', () => {
  it('keeps unset numbers unset (the stack derives them), with the algorithm and shard placement defaulted', () => {
    const { spec } = parseFleet(exampleFleet());
    for (const env of spec.environments) expect(env.gitops.argocd.controller).toEqual({ shardingAlgorithm: 'legacy', shards: 'balanced' });
    const set = parseFleet(withController({ replicas: 2, statusProcessors: 60, operationProcessors: 30, shardingAlgorithm: 'round-robin', shards: 'argocd' }));
    expect(set.spec.environments[0].gitops.argocd).toEqual({
      layout: 'flat',
      handover: false,
      controller: { replicas: 2, statusProcessors: 60, operationProcessors: 30, shardingAlgorithm: 'round-robin', shards: 'argocd' },
    });
  });

  it('accepts exactly the sharding algorithms Argo CD v3.4.4 knows', () => {
    for (const shardingAlgorithm of SHARDING_ALGORITHMS) expect(errorsOf(withController({ shardingAlgorithm }))).toEqual([]);
  });

  it('reports every bad field at once, each with its indexed path and value', () => {
    const errors = errorsOf(withController({ replicas: 0, statusProcessors: 2.5, operationProcessors: 5000, shardingAlgorithm: 'hash', shards: 'manual', sharding: true }));
    expect(errors.map((e) => [e.path, e.value])).toEqual([
      ['environments[0].gitops.argocd.controller.replicas', 0],
      ['environments[0].gitops.argocd.controller.statusProcessors', 2.5],
      ['environments[0].gitops.argocd.controller.operationProcessors', 5000],
      ['environments[0].gitops.argocd.controller.shardingAlgorithm', 'hash'],
      ['environments[0].gitops.argocd.controller.shards', 'manual'],
      ['environments[0].gitops.argocd.controller.sharding', true],
    ]);
    expect(errors[3].message).toMatch(/legacy.*round-robin.*consistent-hashing/);
    expect(errors[5].message).toMatch(/^unknown field/);
  });

  it('refuses more replicas than the clusters Argo CD can shard, with the count in the message', () => {
    const fleet = withController({ replicas: 3 });
    fleet.environments[1].gitops.argocd = { controller: { replicas: 2 } };
    // prod has one workload cluster: with the management cluster, two clusters to shard
    expect(errorsOf(fleet).map((e) => `${e.path}: ${e.message} (got ${JSON.stringify(e.value)})`)).toEqual([
      "environments[0].gitops.argocd.controller.replicas: exceeds the 2 clusters Argo CD can shard (the environment's 1 workload cluster and the management cluster); a replica without a cluster idles (got 3)",
    ]);
  });

  it('leaves the cross-field checks of a spec the schema rejects working (that pass has no gitops settings)', () => {
    const fleet = withController({ replicas: 3 });
    fleet.environments[0].clusters[0].maxPodsPerNodeLimit = 5;
    fleet.environments[0].clusters[0].network.podCidr = '10.10.8.0/21';
    const paths = errorsOf(fleet).map((e) => e.path);
    expect(paths).toContain('environments[0].clusters[0].maxPodsPerNodeLimit');
    expect(paths).toContain('environments[0].clusters[0].network.podCidr');
  });
});
