/**
 * The app-of-apps Applications of an environment: the root (`dist/<env>/argocd/`), and in the
 * `per-cluster` layout one Application per cluster (`dist/<env>/argocd/<cluster>/`). One
 * definition for the root the synthesized tree holds and the one the bootstrap stack creates
 * before Argo CD has synced anything, so that Argo CD adopts the stack's object unchanged.
 */
import type { EnvironmentSpec } from '../spec';
import { rootProjectName } from './app-project-names';
import { OWN_FOLDER_ONLY } from './argocd-annotations';

/** The in-cluster address Argo CD uses for the cluster it runs in (the management cluster). */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

type Env = Pick<EnvironmentSpec, 'name' | 'gitops'>;

/** The root Application's name. */
export function rootApplicationName(environment: Pick<EnvironmentSpec, 'name'>): string {
  return `${environment.name}-root`;
}

/** Path of `dist/<env>/argocd` inside the GitOps repository. */
export function rootApplicationPath(environment: Env): string {
  const base = environment.gitops.path.replace(/\/+$/, '');
  return base && base !== '.' ? `${base}/${environment.name}/argocd` : `${environment.name}/argocd`;
}

/** The per-cluster layout's Application of one cluster's Applications (`<cluster>-applications`). */
export function clusterApplicationName(cluster: string): string {
  return `${cluster}-applications`;
}

/**
 * An Application whose folder holds Applications and AppProjects: in the root project (the Argo CD
 * namespace, nothing else), not recursive, renders only its own folder. No finalizer: deleting it
 * (a pruned cluster Application, a layout switched back) never cascades to what it manages.
 */
function appOfApps(environment: Env, name: string, path: string, labels: Record<string, string>) {
  const g = environment.gitops;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace: g.argocdNamespace, labels: { 'kprod.io/environment': environment.name, ...labels }, annotations: { ...OWN_FOLDER_ONLY } },
    spec: {
      // Its own project: Applications and AppProjects in the Argo CD namespace, nothing else (app-projects.ts).
      project: rootProjectName(environment),
      source: { repoURL: g.repoURL, targetRevision: g.targetRevision, path },
      destination: { server: IN_CLUSTER, namespace: g.argocdNamespace },
      syncPolicy: { automated: { prune: g.prune, selfHeal: g.selfHeal }, syncOptions: ['PruneLast=true'] },
    },
  };
}

/** The root Application object, pointing at `dist/<env>/argocd` of the environment's GitOps repository. */
export function rootApplication(environment: Env) {
  return appOfApps(environment, rootApplicationName(environment), rootApplicationPath(environment), {});
}

/** The Application of one cluster's Applications (`per-cluster` layout), in the root's folder. */
export function clusterApplication(environment: Env, cluster: string) {
  return appOfApps(environment, clusterApplicationName(cluster), `${rootApplicationPath(environment)}/${cluster}`, {
    'kprod.io/cluster': cluster,
    'kprod.io/folder': 'applications',
  });
}
