/**
 * The one builder of Argo CD Applications that install a pinned Helm chart into a workload
 * cluster (platform essentials, built-in and user add-ons alike). Pure data: a capability hands
 * it to `ctx.addApplication()`, which writes it to `dist/<env>/argocd/`.
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
  /**
   * Charts holding the CRDs the main chart's custom resources need (Calico's operator chart ships
   * none from v3.32). They become extra sources of the same Application, listed first: Argo CD
   * applies the CRDs of a sync before other kinds and skips the dry run of custom resources whose
   * CRD is part of the sync (argo-cd docs, user-guide/sync-options.md), so an empty cluster syncs.
   * @default [] (a single `source`)
   */
  readonly crdCharts?: readonly PinnedChart[];
}

/** Namespace labels enforcing a Pod Security level (audit and warn at restricted, to show the gap). */
export function podSecurityNamespaceLabels(level: 'privileged' | 'baseline' | 'restricted'): Record<string, string> {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/audit': 'restricted',
    'pod-security.kubernetes.io/warn': 'restricted',
  };
}

function chartSource(chart: PinnedChart, helm: Record<string, unknown>): Record<string, unknown> {
  return { repoURL: chart.repoURL, chart: chart.chart, targetRevision: chart.version, helm };
}

/** Every source of an Application (`spec.sources`, or the single `spec.source`); the main chart is the last. */
export function applicationSources(app: { spec?: { source?: unknown; sources?: unknown[] } }): Array<Record<string, any>> {
  const spec = app.spec ?? {};
  return (spec.sources ?? (spec.source ? [spec.source] : [])) as Array<Record<string, any>>;
}

/** The main (last) source of an Application: its chart and values, or its folder path. */
export function mainSource(app: { spec?: { source?: unknown; sources?: unknown[] } }): Record<string, any> {
  const all = applicationSources(app);
  return all[all.length - 1] ?? {};
}

/** `source` for one chart; `sources` (CRD charts first) when the chart needs CRDs from another. */
function helmSources(o: HelmApplicationOptions): Record<string, unknown> {
  const main = chartSource(o.chart, { releaseName: o.releaseName, valuesObject: o.values });
  const crdCharts = o.crdCharts ?? [];
  if (crdCharts.length === 0) return { source: main };
  return { sources: [...crdCharts.map((c) => chartSource(c, { releaseName: `${o.releaseName}-${c.chart}`.slice(0, 53) })), main] };
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
      // No manifest-generate-paths (folder Applications have it): a chart source has no path in the
      // fleet repository, its cached manifests are keyed by the chart version, so a commit does not
      // invalidate them, and Argo CD compares the annotation's paths for git sources only.
      annotations: { 'argocd.argoproj.io/sync-wave': String(o.syncWave) },
      // Deleting the Application deletes the release (why a layout switch needs its handover step, lib/day2/argocd-moves.ts).
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: gitops.project,
      ...helmSources(o),
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
