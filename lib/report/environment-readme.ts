import * as path from 'node:path';
import { clusterCisResult } from '../cis/overrides';
import { layout } from '../gitops/layout';
import { allocatableReport } from '../sizing/allocatable';
import { controlPlaneSize, pickControlPlaneSku, skusWith } from '../sizing/control-plane';
import { formatBytes, GiB } from '../sizing/quantity';
import type { ClusterSpec, FleetSpec, Sku } from '../spec';
import { poolMaxNodes } from '../spec/validate/scale';
import { capacityGroups, CAPACITY_RESOURCES, type CapacityResource } from '../tenancy/capacity';
import { endOfLife } from '../versions/matrix';

/** An Argo CD Application as the page reads it (plain manifest data). */
export interface ApplicationManifest {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: { source?: { path?: string; chart?: string } };
}

const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
const cores = (milli: number) => (milli % 1000 === 0 ? String(milli / 1000) : (milli / 1000).toFixed(2));
const gib = (bytes: number) => (bytes % GiB === 0 ? formatBytes(bytes) : `${(bytes / GiB).toFixed(1)}Gi`);
/** How a capacity amount prints: cores, bytes (memory, ephemeral storage) or device counts. */
const show = (res: CapacityResource): ((v: number) => string) => (res === 'requests.cpu' ? cores : res === 'requests.memory' || res === 'requests.ephemeral-storage' ? gib : String);
/** A link on the page `from` to the page `to` (both files in `dist/`, as `layout` gives them). */
const pageLink = (from: string, to: string) => path.posix.relative(path.posix.dirname(from), to);
/** Table cells may not hold a pipe or a newline. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const table = (header: string[], rows: ReadonlyArray<readonly string[]>) => [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];

/** The control-plane machine as constructs/control-plane/sizing.ts picks it: the explicit flavor, else the smallest fitting SKU. */
function controlPlaneMachine(fleet: FleetSpec, cluster: ClusterSpec) {
  const cp = cluster.controlPlane;
  const size = controlPlaneSize(cluster);
  const what = cluster.infrastructure.provider === 'openstack' ? 'flavor' : 'hostClass';
  const pick = cp.flavor ? undefined : pickControlPlaneSku(skusWith(fleet.skus as Record<string, Sku>, what), size);
  const machine = cp.flavor ?? pick?.sku[what] ?? 'unknown';
  return { size, pick, machine };
}

function controlPlaneLine(fleet: FleetSpec, cluster: ClusterSpec): string {
  const cp = cluster.controlPlane;
  const { size, pick, machine } = controlPlaneMachine(fleet, cluster);
  const etcd = cp.etcd.topology === 'external' ? `external etcd (${cp.etcd.external?.members.length ?? 0} members${cp.etcd.events ? `, events etcd ${cp.etcd.events.members.length}` : ''})` : 'stacked etcd';
  return `${cp.replicas} × \`${machine}\`${pick ? ` (SKU \`${pick.name}\`)` : ''}, sized for up to ${size.nodes} nodes (${size.cpu} CPU / ${size.memoryGiB}Gi each), ${etcd}`;
}

function endpointLine(cluster: ClusterSpec): string {
  const ep = cluster.controlPlane.endpoint;
  const host = ep.host || '(load balancer address, assigned by the cloud)';
  return `\`https://${host}:${ep.port}\` (${ep.mode}${ep.vip ? `, VIP ${ep.vip}` : ''})`;
}

function poolTable(cluster: ClusterSpec): string[] {
  const rows = allocatableReport(cluster).map((r) => {
    const pool = cluster.nodePools.find((p) => p.name === r.pool)!;
    const nodes = pool.autoscaling ? `${pool.autoscaling.min}–${pool.autoscaling.max}` : String(pool.replicas ?? 3);
    return [
      r.pool,
      r.sku,
      nodes,
      `${cores(r.capacity.cpu)} → ${cores(r.allocatable.cpu)}`,
      `${gib(r.capacity.memory)} → ${gib(r.allocatable.memory)}`,
      `${gib(r.capacity.ephemeralStorage)} → ${gib(r.allocatable.ephemeralStorage)}`,
      String(r.allocatable.pods),
      pool.dedicatedTo ?? '',
    ];
  });
  if (!rows.length) return ['No node pools.'];
  return ['Per node, capacity → allocatable (after kube/system reservations and the hard eviction threshold).', '', ...table(['pool', 'SKU', 'nodes', 'CPU', 'memory', 'ephemeral storage', 'pods', 'dedicated to'], rows)];
}

function tenantTable(cluster: ClusterSpec): string[] {
  if (!cluster.tenants.length) return ['No tenants.'];
  const rows: string[][] = [];
  for (const group of capacityGroups(cluster)) {
    for (const r of group.requests) {
      const tenant = cluster.tenants[r.tenant];
      const against = CAPACITY_RESOURCES.map((res) => {
        const per = r.perNamespace[res];
        const supplied = group.allocatable[res];
        if (per === undefined) return `no quota / ${show(res)(supplied)}`;
        const total = per * r.namespaces;
        const ratio = supplied > 0 ? ` (${(total / supplied).toFixed(2)}×)` : ' (no capacity)';
        return `${show(res)(total)} / ${show(res)(supplied)}${ratio}`;
      });
      rows.push([tenant.name, String(r.namespaces), group.pools.join(', ') || 'none', ...against]);
    }
  }
  return [
    'Quota requests of all the tenant\'s namespaces against the allocatable of the pools they run on, at the pools\' maximum size (shared pools are shared by every tenant without dedicated pools).',
    '',
    ...table(['tenant', 'namespaces', 'pools', ...CAPACITY_RESOURCES.map((res) => `${res}: quota / supplied`)], rows),
  ];
}

/** A Mermaid flowchart of the cluster's Applications by sync wave, lowest wave first. */
function syncOrder(cluster: ClusterSpec, applications: readonly ApplicationManifest[]): string[] {
  const own = applications.filter((a) => a.metadata?.labels?.['kprod.io/cluster'] === cluster.name);
  if (!own.length) return ['No Argo CD Applications.'];
  const waves = new Map<number, string[]>();
  for (const app of own) {
    const wave = Number(app.metadata?.annotations?.[SYNC_WAVE] ?? 0);
    const name = (app.metadata?.name ?? '?').replace(new RegExp(`^${cluster.name}-`), '');
    waves.set(wave, [...(waves.get(wave) ?? []), name]);
  }
  const order = [...waves.keys()].sort((a, b) => a - b);
  const id = (w: number) => `w${w < 0 ? `m${-w}` : w}`;
  const nodes = order.map((w) => `  ${id(w)}["wave ${w}<br/>${[...waves.get(w)!].sort().join('<br/>')}"]`);
  const edges = order.slice(1).map((w, i) => `  ${id(order[i])} --> ${id(w)}`);
  return ['Argo CD syncs lower waves first and waits for them to be healthy.', '', '```mermaid', 'flowchart LR', ...nodes, ...edges, '```'];
}

function clusterLines(fleet: FleetSpec, envIndex: number, cluster: ClusterSpec, applications: readonly ApplicationManifest[]): string[] {
  const env = fleet.environments[envIndex];
  const eol = endOfLife(cluster.kubernetesVersion);
  return [
    `# ${fleet.name} / ${env.name} / ${cluster.name}`,
    '',
    `Synthesized by kprod from the fleet spec: a summary for review, not applied to any cluster. Part of [${fleet.name} / ${env.name}](${pageLink(layout.clusterReadme(env.name, cluster.name), layout.environmentReadme(env.name))}).`,
    '',
    `- **Kubernetes** ${cluster.kubernetesVersion}; upstream support (patch releases) ends ${eol ?? 'on a date kprod does not know'}${cluster.controlPlane.upgradeTo ? `; upgrading to ${cluster.controlPlane.upgradeTo}` : ''}`,
    `- **Infrastructure** ${cluster.infrastructure.provider}, failure domains ${cluster.failureDomains.join(', ')}`,
    `- **Control plane** ${controlPlaneLine(fleet, cluster)}`,
    `- **API endpoint** ${endpointLine(cluster)}`,
    `- **CIS Kubernetes Benchmark** ${describeCis(cluster)}`,
    `- **Nodes** up to ${cluster.nodePools.reduce((n, p) => n + poolMaxNodes(p), 0)} workers in ${cluster.nodePools.length} pool(s)`,
    '',
    '## Node pools',
    '',
    ...poolTable(cluster),
    '',
    '## Tenants',
    '',
    ...tenantTable(cluster),
    '',
    '## Sync order',
    '',
    ...syncOrder(cluster, applications),
  ];
}

function describeCis(cluster: ClusterSpec): string {
  const result = clusterCisResult(cluster);
  const failing = result.failed.map((f) => f.check.id);
  return `${result.passed.length}/${result.total} configuration checks pass${failing.length ? ` (failing: ${failing.join(', ')})` : ''}`;
}

/** Lines as a page: runs of blank lines collapsed, one newline at the end. */
const page = (lines: readonly string[]) => `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;

/**
 * The reviewer page of one cluster (`dist/<env>/<cluster>/README.md`): its version and support
 * date, control plane, endpoint, CIS score, pools, tenants' quotas against their pools and the Argo
 * CD sync order, readable on a Git host without opening YAML. Pure and deterministic (no
 * timestamps). One page per cluster, not one per environment: a pull request that changes one
 * cluster shows one small page, and at 500 clusters an environment's single page was 2.2 MB,
 * more than a Git host renders. No Application applies it: the cluster's Applications point at its
 * subfolders (`cluster/`, `addons/<addon>/`, `tenants/<tenant>/`), never at the cluster folder.
 */
export function clusterReadme(fleet: FleetSpec, envIndex: number, cluster: ClusterSpec, applications: readonly ApplicationManifest[]): string {
  return page(clusterLines(fleet, envIndex, cluster, applications));
}

/** A cluster's row on its environment's index page, linked to the cluster's page. */
export type IndexRow = readonly string[];

/**
 * A cluster's row on the index page (`environmentReadme`): version, support date, provider, control
 * plane, maximum workers, tenants. Built with the cluster and kept in its cache entry, so that the
 * index of a synth that reuses cached clusters does not read their specs.
 */
export function clusterIndexRow(fleet: FleetSpec, c: ClusterSpec): IndexRow {
  return [`[${c.name}](${pageLink(layout.environmentReadme(c.environment), layout.clusterReadme(c.environment, c.name))})`, c.kubernetesVersion, endOfLife(c.kubernetesVersion) ?? '?', c.infrastructure.provider, `${c.controlPlane.replicas} × ${controlPlaneMachine(fleet, c).machine}`, String(c.nodePools.reduce((n, p) => n + poolMaxNodes(p), 0)), String(c.tenants.length)];
}

/**
 * The index page of one environment (`dist/<env>/README.md`): each cluster's `clusterIndexRow`, in
 * the environment's order. No Application applies it: they point at `<env>/argocd` and the cluster
 * subfolders.
 */
export function environmentReadme(fleet: FleetSpec, envIndex: number, rows: readonly IndexRow[]): string {
  const env = fleet.environments[envIndex];
  const summary = table(['cluster', 'Kubernetes', 'support ends', 'provider', 'control plane', 'worker nodes (max)', 'tenants'], rows);
  return page([
    `# ${fleet.name} / ${env.name}`,
    '',
    `Synthesized by kprod from the fleet spec: a summary for review, not applied to any cluster. Argo CD reads \`${env.gitops.path}/${env.name}/argocd\` from ${env.gitops.repoURL} (${env.gitops.targetRevision}). Each cluster has its own page, linked below.`,
    '',
    ...summary,
  ]);
}
