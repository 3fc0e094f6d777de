import { dashboardAddon } from '../../lib/addons/dashboard';
import { helmAddonOptions, type HelmAddon } from '../../lib/addons/helm-application';
import { helmApplication } from '../../lib/platform/helm-application';
import { monitoringAddon } from '../../lib/observability/monitoring-application';
import type { ClusterContext } from '../context';
import { DashboardViewer } from './dashboard';

export { DashboardViewer, type DashboardViewerProps } from './dashboard';

/** Every Helm add-on of a cluster, built-in first, then the user's `addons.helm[]` in spec order. */
export function helmAddons(cluster: ClusterContext['cluster']): HelmAddon[] {
  return [monitoringAddon(cluster), dashboardAddon(cluster), ...cluster.addons.helm].filter((a): a is HelmAddon => a !== undefined);
}

/**
 * The Helm add-on capability: one Argo CD Application per Helm add-on (kube-prometheus-stack when
 * monitoring is enabled, the Dashboard when enabled, every `addons.helm[]` entry), and for the
 * Dashboard its read-only RBAC in `addons/dashboard/`.
 */
export function addAddons(ctx: ClusterContext): void {
  const addons = helmAddons(ctx.cluster);
  for (const addon of addons) ctx.addApplication(helmApplication(ctx.cluster, ctx.environment, helmAddonOptions(addon)));
  if (ctx.cluster.addons.dashboard.enabled) new DashboardViewer(ctx.addonChart('dashboard'), 'dashboard-viewer', { ctx });
  if (addons.length) ctx.addSummary(`helm add-ons: ${addons.map((a) => `${a.chart}@${a.version}`).join(', ')}`);
}
