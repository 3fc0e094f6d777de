/**
 * An Argo CD Application installing one pinned Helm chart into a workload cluster. Pure data:
 * a capability hands it to `ctx.addApplication()`, which writes it to `dist/<env>/argocd/`.
 */
import { names } from '../naming';
import type { ClusterSpec, EnvironmentSpec } from '../spec';

/** A Helm chart pinned to one version. */
export interface PinnedChart {
  readonly repoURL: string;
  readonly chart: string;
  readonly version: string;
}

export interface HelmApplicationOptions {
  /** Suffix of the Application name: `<cluster>-<name>`. */
  readonly name: string;
  readonly chart: PinnedChart;
  /** Helm release name (objects' names derive from it). */
  readonly releaseName: string;
  /** Namespace the release is installed into. */
  readonly namespace: string;
  /** Argo CD sync wave of the Application. */
  readonly syncWave: number;
  readonly values: Record<string, unknown>;
  /**
   * Create the namespace when it is missing (never for kube-system).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Pod Security level labelled on the namespace Argo CD creates (`managedNamespaceMetadata`); the
   * apiserver enforces `baseline` cluster-wide, which rejects host networking and hostPath volumes.
   * @default none (the cluster-wide default applies)
   */
  readonly podSecurity?: 'privileged' | 'baseline' | 'restricted';
}

/** Namespace labels enforcing a Pod Security level (audit and warn at restricted, to show the gap). */
export function podSecurityNamespaceLabels(level: 'privileged' | 'baseline' | 'restricted'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
}

/** The Application manifest; its destination is the workload cluster registered in Argo CD. */
export function helmApplication(cluster: ClusterSpec, env: EnvironmentSpec, o: HelmApplicationOptions): Record<string, unknown> {
  const gitops = env.gitops;
  const syncOptions = ['ServerSideApply=true'];
  const createNamespace = o.createNamespace ?? true;
  if (createNamespace) syncOptions.unshift('CreateNamespace=true');
  const namespaceMetadata = createNamespace && o.podSecurity ? { managedNamespaceMetadata: { labels: podSecurityNamespaceLabels(o.podSecurity) } } : {};
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${cluster.name}-${o.name}`,
      namespace: gitops.argocdNamespace,
      labels: { 'kprod.io/environment': env.name, 'kprod.io/cluster': cluster.name, 'kprod.io/folder': 'addon' },
      annotations: { 'argocd.argoproj.io/sync-wave': String(o.syncWave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: gitops.project,
      source: {
        repoURL: o.chart.repoURL,
        chart: o.chart.chart,
        targetRevision: o.chart.version,
        helm: { releaseName: o.releaseName, valuesObject: o.values },
      },
      destination: { name: names.argocdCluster(cluster), namespace: o.namespace },
      syncPolicy: {
        automated: { prune: gitops.prune, selfHeal: gitops.selfHeal },
        syncOptions,
        ...namespaceMetadata,
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    },
  };
}
