/** Where things go in `dist/` (DESIGN.md "Contracts other code relies on"). */
export const layout = {
  clusterDir: (env: string, cluster: string) => `${env}/${cluster}`,
  managementDir: (env: string, cluster: string) => `${env}/${cluster}/cluster`,
  addonDir: (env: string, cluster: string, addon: string) => `${env}/${cluster}/addons/${addon}`,
  tenantDir: (env: string, cluster: string, tenant: string) => `${env}/${cluster}/tenants/${tenant}`,
  argocdDir: (env: string) => `${env}/argocd`,
  /** A cluster's Applications in the `per-cluster` Argo CD layout (`gitops.argocd.layout`). */
  clusterArgocdDir: (env: string, cluster: string) => `${env}/argocd/${cluster}`,
  /** Reviewer pages (lib/report/environment-readme.ts): the environment's index, and each cluster's page. */
  environmentReadme: (env: string) => `${env}/README.md`,
  clusterReadme: (env: string, cluster: string) => `${layout.clusterDir(env, cluster)}/README.md`,
};

/** The `<env>/<cluster>` (or `<env>/argocd`) folder a file of `dist/` belongs to. */
export function clusterDirOf(file: string): string {
  // The first two path segments; called once per file of the tree, so no split/join.
  const first = file.indexOf('/');
  const second = first < 0 ? -1 : file.indexOf('/', first + 1);
  return second < 0 ? file : file.slice(0, second);
}

export interface ObjectIdentity {
  kind: string;
  metadata: { name: string; namespace?: string };
}

/**
 * File name of one object: `<kind>_<namespace>_<name>.yaml`, or `<kind>_<name>.yaml` when
 * cluster-scoped. "_" cannot occur in Kubernetes names, so the name is unambiguous and two objects
 * of one kind and name in different namespaces never share a file (cdk8s issue 2821). ":" (legal in
 * RBAC names, illegal in Windows file names) is written as "%3A".
 */
export function objectFileName(obj: ObjectIdentity): string {
  const kind = obj.kind.toLowerCase();
  const ns = obj.metadata.namespace;
  const name = obj.metadata.name.replace(/:/g, '%3A');
  return ns ? `${kind}_${ns}_${name}.yaml` : `${kind}_${name}.yaml`;
}
