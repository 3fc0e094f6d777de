import type { Rule } from './rule';

/**
 * Argo CD shards by cluster (controller/sharding/cache.go at v3.4.4): an environment's controller
 * can use at most one replica per cluster it manages, its workload clusters and the management
 * cluster (`in-cluster`); a replica beyond that is given no cluster and idles.
 */
export const argocdControllerRules: Rule = (fleet, issues) =>
  fleet.environments.forEach((env, e) => {
    // optional chaining: the partial validation of a spec the schema rejected has no gitops settings (parse.ts)
    const replicas = env.gitops?.argocd?.controller?.replicas;
    const clusters = env.clusters.length + 1;
    if (replicas !== undefined && replicas > clusters)
      issues.error(
        ['environments', e, 'gitops', 'argocd', 'controller', 'replicas'],
        `exceeds the ${clusters} clusters Argo CD can shard (the environment's ${env.clusters.length} workload cluster${env.clusters.length === 1 ? '' : 's'} and the management cluster); a replica without a cluster idles`,
        replicas,
      );
  });
