/**
 * kprod's own capabilities, in build order, each with the id users replace or remove it by.
 * Frozen: the default set cannot be changed by pushing onto it; build a set of your own with
 * `resolveCapabilities` (constructs/capabilities/selection.ts).
 */
import { addAddons } from '../addons';
import { WorkloadCluster } from '../cluster-api/cluster';
import { ControlPlane } from '../control-plane/control-plane';
import { addEtcdBackup } from '../etcd/backup';
import { addEtcdDefrag } from '../etcd/defrag';
import { addEtcdRestoreRunbook } from '../etcd/runbook';
import { NodePools } from '../node-pools/node-pools';
import { Observability } from '../observability';
import { Logging } from '../observability/logging';
import { PlatformEssentials } from '../platform';
import { Cni } from '../platform/cni';
import { addTenancy } from '../tenancy';
import type { Capability } from './contract';

const capability = (c: Capability): Capability => Object.freeze(c);

export const BUILTIN_CAPABILITIES: readonly Capability[] = Object.freeze([
  capability({ id: 'cluster', build: (ctx) => void new WorkloadCluster(ctx.managementChart, 'cluster', { ctx }) }),
  capability({ id: 'control-plane', build: (ctx) => void new ControlPlane(ctx.managementChart, 'control-plane', { ctx }) }),
  capability({ id: 'cni', build: (ctx) => void new Cni(ctx.managementChart, 'cni', { ctx }) }),
  capability({ id: 'platform', build: (ctx) => void new PlatformEssentials(ctx.managementChart, 'platform', { ctx, cni: false }) }),
  capability({ id: 'etcd-backup', build: (ctx) => void addEtcdBackup(ctx) }),
  // Defrag runs in the backup's folder and namespace (same etcd client certificates).
  capability({ id: 'etcd-defrag', extends: ['etcd-backup'], build: (ctx) => void addEtcdDefrag(ctx) }),
  capability({ id: 'etcd-restore-runbook', build: (ctx) => addEtcdRestoreRunbook(ctx) }),
  capability({ id: 'node-pools', build: (ctx) => void new NodePools(ctx.managementChart, 'node-pools', { ctx }) }),
  capability({ id: 'observability', build: (ctx) => void new Observability(ctx.managementChart, 'observability', { ctx, logging: false }) }),
  capability({ id: 'logging', build: (ctx) => void new Logging(ctx.managementChart, 'logging', { ctx }) }),
  capability({ id: 'addons', build: (ctx) => addAddons(ctx) }),
  capability({ id: 'tenancy', build: (ctx) => addTenancy(ctx) }),
]);
