/**
 * The root Application (app of apps) of an environment: one definition for the object the
 * synthesized `dist/<env>/argocd/` holds and the one the bootstrap stack creates before Argo CD
 * has synced anything, so that Argo CD adopts the stack's object unchanged.
 */
import type { EnvironmentSpec } from '../spec';
import { rootProjectName } from './app-project-names';

/** The in-cluster address Argo CD uses for the cluster it runs in (the management cluster). */
export const IN_CLUSTER = 'https://kubernetes.default.svc';

/** The root Application's name. */
export function rootApplicationName(environment: Pick<EnvironmentSpec, 'name'>): string {
  return `${environment.name}-root`;
}

/** Path of `dist/<env>/argocd` inside the GitOps repository. */
export function rootApplicationPath(environment: Pick<EnvironmentSpec, 'name' | 'gitops'>): string {
  const base = environment.gitops.path.replace(/\/+$/, '');
  return base && base !== '.' ? `${base}/${environment.name}/argocd` : `${environment.name}/argocd`;
}

/** The root Application object, pointing at `dist/<env>/argocd` of the environment's GitOps repository. */
export function rootApplication(environment: Pick<EnvironmentSpec, 'name' | 'gitops'>) {
  const g = environment.gitops;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: rootApplicationName(environment), namespace: g.argocdNamespace, labels: { 'kprod.io/environment': environment.name } },
    spec: {
      // Its own project: Applications and AppProjects in the Argo CD namespace, nothing else (app-projects.ts).
      project: rootProjectName(environment),
      source: { repoURL: g.repoURL, targetRevision: g.targetRevision, path: rootApplicationPath(environment) },
      destination: { server: IN_CLUSTER, namespace: g.argocdNamespace },
      syncPolicy: { automated: { prune: g.prune, selfHeal: g.selfHeal }, syncOptions: ['PruneLast=true'] },
    },
  };
}
