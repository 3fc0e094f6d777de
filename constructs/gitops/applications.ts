import { ApiObject, type Chart } from 'cdk8s';
import { Construct } from 'constructs';
import type { EnvironmentSpec } from '../../lib/spec';
import { platformProject, platformProjectName, rootProject, tenantProject } from '../../lib/gitops/app-projects';
import { OWN_FOLDER_ONLY } from '../../lib/gitops/argocd-annotations';
import { clusterApplication, IN_CLUSTER, rootApplication } from '../../lib/gitops/root-application';

/** One folder of `dist/` that Argo CD applies. */
export interface GitopsFolder {
  /** Application name (unique per environment). */
  readonly name: string;
  /** Folder relative to the synthesized tree's root, e.g. `prod/eu-west-1/addons/logging`. */
  readonly path: string;
  /** Destination cluster: `in-cluster` (the management cluster) or an Argo CD cluster name. */
  readonly destination: { readonly server: string } | { readonly name: string };
  /** @default 0 */
  readonly syncWave?: number;
  /** Destination namespace, created by Argo CD. @default none */
  readonly namespace?: string;
  /** Labels for selection (cluster, folder kind). @default {} */
  readonly labels?: Record<string, string>;
  /**
   * Fields Argo CD must neither diff nor reset, e.g. the replicas of autoscaled MachineDeployments
   * (Cluster API issues 7293, 10343). Adds `RespectIgnoreDifferences=true`. @default []
   */
  readonly ignoreDifferences?: ReadonlyArray<Record<string, unknown>>;
}

export interface ArgoApplicationsProps {
  readonly environment: EnvironmentSpec;
  readonly folders: readonly GitopsFolder[];
  /** Repositories of the environment's Helm Applications, allowed as sources of the platform AppProject. @default [] */
  readonly chartRepos?: readonly string[];
}

export { IN_CLUSTER } from '../../lib/gitops/root-application';

/**
 * `dist/<env>/argocd/`: the root Application (app of apps) and one Application per folder,
 * ordered by sync waves so CRDs and Namespaces land before what uses them; in the `per-cluster`
 * layout also one Application per cluster of `folders` (its folder holds that cluster's share,
 * see clusterArgocdFiles in constructs/fleet.ts).
 */
export class ArgoApplications extends Construct {
  constructor(scope: Chart, id: string, props: ArgoApplicationsProps) {
    super(scope, id);
    const env = props.environment;
    const g = env.gitops;
    const base = g.path.replace(/\/+$/, '');
    const repoPath = (p: string) => (base && base !== '.' ? `${base}/${p}` : p);
    const automated = { prune: g.prune, selfHeal: g.selfHeal };

    // One definition with the bootstrap stack, so Argo CD adopts the stack's object unchanged.
    new ApiObject(this, 'root', rootApplication(env));
    new ApiObject(this, 'root-project', rootProject(env));
    // A project the user named is theirs to manage; kprod's own is rendered here.
    if (g.project === platformProjectName(env)) new ApiObject(this, 'platform-project', platformProject(env, props.chartRepos ?? []));
    const tenantProjects = new Map<string, string>();
    // A tenant's project comes with its cluster's folders, so each cluster contributes its own (streaming synth, cache).
    const clustersHere = new Set(props.folders.map((f) => f.labels?.['kprod.io/cluster']));
    for (const cluster of env.clusters.filter((c) => clustersHere.has(c.name)))
      for (const tenant of cluster.tenants) {
        const p = tenantProject(env, cluster, tenant);
        new ApiObject(this, `tenant-project-${cluster.name}-${tenant.name}`, p);
        tenantProjects.set(`${cluster.name}-tenant-${tenant.name}`, p.metadata.name);
      }
    if (g.argocd.layout === 'per-cluster')
      for (const cluster of env.clusters.filter((c) => clustersHere.has(c.name))) new ApiObject(this, `applications-${cluster.name}`, clusterApplication(env, cluster.name));

    for (const folder of props.folders) {
      const syncOptions = ['ServerSideApply=true', 'PruneLast=true'];
      if (folder.namespace) syncOptions.unshift('CreateNamespace=true');
      const ignore = folder.ignoreDifferences ?? [];
      if (ignore.length) syncOptions.push('RespectIgnoreDifferences=true');
      new ApiObject(this, folder.name, {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: {
          name: folder.name,
          namespace: g.argocdNamespace,
          labels: { 'kprod.io/environment': env.name, ...(folder.labels ?? {}) },
          // A commit to another folder of the repository reuses this folder's cached manifests.
          annotations: { 'argocd.argoproj.io/sync-wave': String(folder.syncWave ?? 0), ...OWN_FOLDER_ONLY },
        },
        spec: {
          // A tenant folder (Application `<cluster>-tenant-<tenant>`) in its tenant's own project.
          project: tenantProjects.get(folder.name) ?? g.project,
          source: { repoURL: g.repoURL, targetRevision: g.targetRevision, path: repoPath(folder.path), directory: { recurse: false } },
          destination: { ...folder.destination, ...(folder.namespace ? { namespace: folder.namespace } : {}) },
          syncPolicy: { automated, syncOptions, retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } },
          ...(ignore.length ? { ignoreDifferences: ignore.map((i) => ({ ...i })) } : {}),
        },
      });
    }
  }
}
