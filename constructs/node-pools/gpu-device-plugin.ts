import { nvidiaDevicePluginAddon, type DevicePluginToleration } from '../../lib/addons/gpu-device-plugin';
import { helmAddonOptions } from '../../lib/addons/helm-application';
import { helmApplication } from '../../lib/platform/helm-application';
import type { ClusterContext } from '../context';
import { poolTaints } from './placement';

/**
 * The GPU device plugin of a cluster with NVIDIA pools, as a Helm Application, tolerating every
 * taint of those pools; nothing when the cluster has none. AMD and Intel pools are reported in the
 * summary: kprod ships no device plugin for them yet.
 */
export function addGpuDevicePlugins(ctx: ClusterContext): void {
  const { cluster } = ctx;
  const gpuPools = cluster.nodePools.filter((p) => cluster.skus[p.sku]?.gpu);
  const nvidia = gpuPools.filter((p) => cluster.skus[p.sku]?.gpu?.vendor === 'nvidia');
  if (nvidia.length) {
    const seen = new Map<string, DevicePluginToleration>();
    for (const pool of nvidia) for (const t of poolTaints(cluster, pool)) seen.set(`${t.key}:${t.effect}`, { key: t.key, operator: 'Exists', effect: t.effect });
    const addon = nvidiaDevicePluginAddon([...seen.values()]);
    ctx.addApplication(helmApplication(cluster, ctx.environment, helmAddonOptions(addon)));
    ctx.addSummary(`GPU device plugin: ${addon.chart}@${addon.version} on pools ${nvidia.map((p) => p.name).join(', ')} (nvidia.com/gpu)`);
  }
  const others = gpuPools.filter((p) => !nvidia.includes(p));
  if (others.length) ctx.addSummary(`GPU pools without a kprod device plugin (install the vendor's): ${others.map((p) => `${p.name} (${cluster.skus[p.sku]!.gpu!.vendor})`).join(', ')}`);
}
