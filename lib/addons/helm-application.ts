/**
 * The generic Helm add-on: one pinned chart installed into a workload cluster by an Argo CD
 * Application. User-declared add-ons (`addons.helm[]`) and the built-in Helm add-ons
 * (kube-prometheus-stack, Kubernetes Dashboard) are all instances of `HelmAddon`.
 */
import { helmApplication as pinnedChartApplication } from '../platform/helm-application';
import type { ClusterSpec, EnvironmentSpec } from '../spec';

/** One resolved Helm add-on (`addons.helm[]` entry, or a built-in one built the same way). */
export type HelmAddon = ClusterSpec['addons']['helm'][number];

/**
 * The Application of one Helm add-on: named `<cluster>-<addon.name>` in the Argo CD namespace,
 * destination the workload cluster (`names.argocdCluster`) and `addon.namespace` (created with
 * `CreateNamespace=true`), `ServerSideApply=true` (large CRDs exceed the client-side annotation
 * limit), automated sync with the environment's prune/selfHeal.
 */
export function helmApplication(cluster: ClusterSpec, env: EnvironmentSpec, addon: HelmAddon): Record<string, unknown> {
  return pinnedChartApplication(cluster, env, {
    name: addon.name,
    chart: { repoURL: addon.repoURL, chart: addon.chart, version: addon.version },
    releaseName: addon.releaseName ?? addon.name,
    namespace: addon.namespace,
    syncWave: addon.syncWave,
    values: addon.values,
    podSecurity: addon.podSecurity,
  });
}
