import { forEachCluster, reportDuplicates, type Rule } from './rule';

/** DNS-1123 names of environments and clusters must be unique in their scope (the fleet, the environment). */
export const uniqueNames: Rule = (fleet, issues) => {
  reportDuplicates(fleet.environments, (e) => e.name, ['environments'], 'name', 'the fleet', issues);
  fleet.environments.forEach((env, e) => {
    reportDuplicates(env.clusters, (c) => c.name, ['environments', e, 'clusters'], 'name', `environment ${env.name}`, issues);
    // `<env>/<cluster>/` would be `<env>/argocd/`, the folder of the environment's Applications.
    env.clusters.forEach((c, i) => {
      if (c.name === 'argocd') issues.error(['environments', e, 'clusters', i, 'name'], `is the name of the environment's Argo CD folder (${env.name}/argocd/)`, c.name);
    });
  });
};

/**
 * A cluster's node pools, tenants, PriorityClasses and namespaces must be unique in the cluster.
 * Apart from uniqueNames because it reads the cluster alone: a cluster validated before with the
 * same input keeps its verdict (known-clusters.ts), and its tenants are not read at all.
 */
export const uniqueNamesInCluster: Rule = (fleet, issues) => {
  forEachCluster(fleet, (cluster, path) => {
    reportDuplicates(cluster.nodePools, (p) => p.name, [...path, 'nodePools'], 'name', `cluster ${cluster.name}`, issues);
    reportDuplicates(cluster.tenants, (t) => t.name, [...path, 'tenants'], 'name', `cluster ${cluster.name}`, issues);
    reportDuplicates(cluster.priorityClasses, (p) => p.name, [...path, 'priorityClasses'], 'name', `cluster ${cluster.name}`, issues);
    // A namespace belongs to one tenant only.
    const owner = new Map<string, string>();
    cluster.tenants.forEach((tenant, t) =>
      tenant.namespaces.forEach((ns, n) => {
        const prev = owner.get(ns.name);
        if (prev !== undefined)
          issues.error([...path, 'tenants', t, 'namespaces', n, 'name'], `namespace already belongs to ${prev === tenant.name ? 'this tenant' : `tenant ${prev}`}`, ns.name);
        else owner.set(ns.name, tenant.name);
      }),
    );
  });
};

/** References by name must point at something that exists. */
export const references: Rule = (fleet, issues) => {
  const skuNames = Object.keys(fleet.skus);
  forEachCluster(fleet, (cluster, path) => {
    const tenants = new Set(cluster.tenants.map((t) => t.name));
    const pools = new Set(cluster.nodePools.map((p) => p.name));
    cluster.nodePools.forEach((pool, p) => {
      if (!fleet.skus[pool.sku]) issues.error([...path, 'nodePools', p, 'sku'], `unknown SKU; the fleet defines ${skuNames.join(', ') || 'none'}`, pool.sku);
      if (pool.dedicatedTo && !tenants.has(pool.dedicatedTo))
        issues.error([...path, 'nodePools', p, 'dedicatedTo'], `no tenant of that name in cluster ${cluster.name}`, pool.dedicatedTo);
      for (const [i, fd] of (pool.failureDomains ?? []).entries())
        if (!cluster.failureDomains.includes(fd))
          issues.error([...path, 'nodePools', p, 'failureDomains', i], `not one of the cluster's failure domains (${cluster.failureDomains.join(', ')})`, fd);
    });
    const priorities = new Set(cluster.priorityClasses.map((pc) => pc.name));
    cluster.tenants.forEach((tenant, t) => {
      tenant.nodePools.forEach((pool, i) => {
        if (!pools.has(pool)) issues.error([...path, 'tenants', t, 'nodePools', i], `no node pool of that name in cluster ${cluster.name}`, pool);
      });
      for (const tier of Object.keys(tenant.priorityQuotas))
        if (!priorities.has(tier))
          issues.error([...path, 'tenants', t, 'priorityQuotas', tier], `no PriorityClass of that name; the cluster defines ${[...priorities].join(', ')}`, tier);
    });
  });
};
