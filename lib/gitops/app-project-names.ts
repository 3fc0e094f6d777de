/** Names of the Argo CD AppProjects kprod renders per environment (lib/gitops/app-projects.ts). */
type Env = { readonly name: string };

/** The platform Applications: Cluster API folders, add-ons, Helm charts. */
export const platformProjectName = (env: Env) => `${env.name}-platform`;
/** One tenant's folder on one cluster: namespaced objects in that tenant's namespaces only. */
export const tenantProjectName = (env: Env, cluster: { readonly name: string }, tenant: { readonly name: string }) => `${env.name}-${cluster.name}-tenant-${tenant.name}`;
/** The app of apps: Applications and AppProjects in the Argo CD namespace only. */
export const rootProjectName = (env: Env) => `${env.name}-root`;
