/** Names of the Argo CD AppProjects kprod renders per environment (lib/gitops/app-projects.ts). */
type Env = { readonly name: string };

/** The platform Applications: Cluster API folders, add-ons, Helm charts. */
export const platformProjectName = (env: Env) => `${env.name}-platform`;
/** The tenant folders: namespaced objects in the tenants' namespaces only. */
export const tenantProjectName = (env: Env) => `${env.name}-tenants`;
/** The app of apps: Applications and AppProjects in the Argo CD namespace only. */
export const rootProjectName = (env: Env) => `${env.name}-root`;
