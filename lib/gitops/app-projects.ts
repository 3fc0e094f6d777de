/**
 * The Argo CD AppProjects of an environment, instead of `default` (which may deploy anything from
 * anywhere to anywhere):
 *
 * - `<env>-root`: the app of apps; sources the fleet repository only and may create nothing but
 *   Applications and AppProjects in the Argo CD namespace. The bootstrap stack creates it from this
 *   same definition (the root Application needs it before the first sync), Argo CD adopts it.
 * - `<env>-platform`: Cluster API folders, add-on folders and pinned Helm charts; sources the fleet
 *   repository and the chart repositories the environment pins; destinations the management
 *   cluster's Argo CD and Cluster API namespaces and the environment's workload clusters. Carries
 *   the maintenance windows for the Applications that replace machines.
 * - `<env>-<cluster>-tenant-<tenant>`: one tenant folder; the fleet repository only, destinations
 *   that tenant's namespaces on its cluster, and no cluster-scoped object but its Namespaces. One
 *   project per tenant keeps tenants apart and a tenant change inside that tenant's files.
 */
import { OCCM_CHART_NAME } from '../platform/cloud-controller-manager';
import { names } from '../naming';
import type { EnvironmentSpec } from '../spec';
import { platformProjectName, rootProjectName, tenantProjectName } from './app-project-names';
import { IN_CLUSTER } from './root-application';

export { platformProjectName, rootProjectName, tenantProjectName } from './app-project-names';

type Env = Pick<EnvironmentSpec, 'name' | 'gitops'>;
type Destination = { server?: string; name?: string; namespace: string };

function project(env: Env, name: string, description: string, spec: Record<string, unknown>) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name,
      namespace: env.gitops.argocdNamespace,
      labels: { 'kprod.io/environment': env.name },
      // Before the Applications that use it (the root Application syncs this folder in waves).
      annotations: { 'argocd.argoproj.io/sync-wave': '-20' },
    },
    spec: { description, ...spec },
  };
}

/** `<env>-root`: the app of apps may only manage Applications and AppProjects in the Argo CD namespace. */
export function rootProject(env: Env) {
  return project(env, rootProjectName(env), `kprod app of apps of environment ${env.name}`, {
    sourceRepos: [env.gitops.repoURL],
    destinations: [{ server: IN_CLUSTER, namespace: env.gitops.argocdNamespace }],
    clusterResourceWhitelist: [],
    namespaceResourceWhitelist: [
      { group: 'argoproj.io', kind: 'Application' },
      { group: 'argoproj.io', kind: 'AppProject' },
    ],
  });
}

type ClusterOf = EnvironmentSpec['clusters'][number];
type Window = EnvironmentSpec['gitops']['maintenanceWindows'][number];

/** Names of a cluster's Applications that replace machines or are bound to the Kubernetes minor: synced only in maintenance windows. */
export function machineReplacingApplications(cluster: ClusterOf): string[] {
  return [`${cluster.name}-cluster`, ...(cluster.infrastructure.provider === 'openstack' ? [`${cluster.name}-${OCCM_CHART_NAME}`] : [])];
}

/** Allow windows: each distinct window with the Applications of every cluster it governs (a cluster's own windows replace the environment's). */
function syncWindows(env: EnvironmentSpec) {
  const byWindow = new Map<string, { window: Window; applications: string[] }>();
  for (const cluster of env.clusters) {
    const windows = cluster.maintenanceWindows.length ? cluster.maintenanceWindows : env.gitops.maintenanceWindows;
    for (const w of windows) {
      const key = JSON.stringify([w.schedule, w.duration, w.timeZone]);
      const entry = byWindow.get(key) ?? { window: w, applications: [] };
      entry.applications.push(...machineReplacingApplications(cluster));
      byWindow.set(key, entry);
    }
  }
  return [...byWindow.values()].map(({ window: w, applications }) => ({
    kind: 'allow',
    schedule: w.schedule,
    duration: w.duration,
    timeZone: w.timeZone,
    applications,
    // Emergencies: a person may sync by hand outside the window.
    manualSync: true,
  }));
}

/** `<env>-platform`; `chartRepos` are the repositories of the environment's Helm Applications. */
export function platformProject(env: EnvironmentSpec, chartRepos: readonly string[]) {
  const destinations: Destination[] = [
    { server: IN_CLUSTER, namespace: env.gitops.argocdNamespace },
    ...env.clusters.map((c) => ({ server: IN_CLUSTER, namespace: names.capiNamespace(c) })),
    ...env.clusters.map((c) => ({ name: names.argocdCluster(c), namespace: '*' })),
  ];
  const windows = syncWindows(env);
  return project(env, platformProjectName(env), `kprod platform Applications of environment ${env.name}`, {
    sourceRepos: [...new Set([env.gitops.repoURL, ...chartRepos])].sort(),
    destinations,
    // CRDs, ClusterRoles, webhooks of add-ons and Cluster API objects.
    clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    ...(windows.length ? { syncWindows: windows } : {}),
  });
}

/** The project of one tenant folder: its namespaces on its cluster; the only cluster-scoped kind is its Namespaces. */
export function tenantProject(env: Env, cluster: EnvironmentSpec['clusters'][number], tenant: EnvironmentSpec['clusters'][number]['tenants'][number]) {
  return project(env, tenantProjectName(env, cluster, tenant), `kprod tenant ${tenant.name} on cluster ${cluster.name} of environment ${env.name}`, {
    sourceRepos: [env.gitops.repoURL],
    destinations: tenant.namespaces.map((ns) => ({ name: names.argocdCluster(cluster), namespace: ns.name })),
    // A tenant folder creates its own Namespaces (cluster-scoped) and nothing else cluster-wide.
    clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }],
  });
}
