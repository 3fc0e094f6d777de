/**
 * The generic Helm add-on: one pinned chart installed into a workload cluster by an Argo CD
 * Application. User-declared add-ons (`addons.helm[]`) and the built-in Helm add-ons
 * (kube-prometheus-stack, Headlamp) are all instances of `HelmAddon`; their Application comes
 * from the one builder, `helmApplication` in lib/platform/helm-application.ts.
 */
import type { HelmApplicationOptions } from '../platform/helm-application';
import type { ClusterSpec } from '../spec';

/** One resolved Helm add-on (`addons.helm[]` entry, or a built-in one built the same way). */
export type HelmAddon = ClusterSpec['addons']['helm'][number];

/**
 * The builder options of one Helm add-on: Application `<cluster>-<addon.name>`, release
 * `addon.releaseName ?? addon.name` into `addon.namespace` (created with `CreateNamespace=true`).
 */
export function helmAddonOptions(addon: HelmAddon): HelmApplicationOptions {
  return {
    name: addon.name,
    chart: { repoURL: addon.repoURL, chart: addon.chart, version: addon.version },
    releaseName: addon.releaseName ?? addon.name,
    namespace: addon.namespace,
    syncWave: addon.syncWave,
    values: addon.values,
    podSecurity: addon.podSecurity,
  };
}
