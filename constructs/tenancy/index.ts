import { kubeconfigUnavailableReason, renderTenantKubeconfig } from '../../lib/render/kubeconfig';
import { tenancyAdmissionPlugins } from '../../lib/tenancy/admission';
import type { ClusterContext } from '../context';
import { TenancyBase } from './tenancy-base';
import { TenantBundle } from './tenant-bundle';

export { TenancyBase, type TenancyBaseProps } from './tenancy-base';
export { TenantBundle, type TenantBundleProps } from './tenant-bundle';

/** Argo CD sync wave of the `tenancy-base` folder: before the add-ons and tenants that use it. */
export const TENANCY_BASE_SYNC_WAVE = -2;

/**
 * The tenancy capability of one cluster:
 * - `addons/tenancy-base/`: PriorityClasses and the shared ClusterRoles;
 * - `tenants/<tenant>/`: one TenantBundle per tenant;
 * - `kubeconfigs/<tenant>.yaml`: a credential-free kubeconfig per tenant (only with OIDC).
 */
export function addTenancy(ctx: ClusterContext): void {
  new TenancyBase(ctx.addonChart('tenancy-base', { syncWave: TENANCY_BASE_SYNC_WAVE }), 'tenancy-base', { ctx });
  const cluster = ctx.cluster;
  for (const tenant of cluster.tenants) new TenantBundle(ctx.tenantChart(tenant.name), 'tenant', { ctx, tenant });
  if (cluster.tenants.length === 0) return;
  // kprod cannot know a tenant's workloads, so it renders no budget for them (a namespace-wide one
  // would block drains on bare pods); owners create their own (their role allows it).
  ctx.addSummary(
    `tenants without a PodDisruptionBudget from kprod: ${cluster.tenants.map((t) => t.name).join(', ')} (drains evict their pods freely unless their owners create PDBs)`,
  );
  const unavailable = kubeconfigUnavailableReason(cluster);
  if (unavailable) ctx.addSummary(`tenant kubeconfigs skipped: ${unavailable}`);
  else {
    for (const tenant of cluster.tenants) ctx.addFile(`kubeconfigs/${tenant.name}.yaml`, renderTenantKubeconfig(cluster, tenant));
    ctx.addSummary(`tenant kubeconfigs: ${cluster.tenants.map((t) => `kubeconfigs/${t.name}.yaml`).join(', ')}`);
  }
  const plugins = tenancyAdmissionPlugins(cluster);
  if (plugins.length) ctx.addSummary(`tenant node isolation needs admission plugins: ${plugins.map((p) => p.name).join(', ')}`);
}
