/**
 * The environment's Argo CD application controller, sized from what kprod writes for it
 * (`gitops.argocd.controller`, lib/spec/schema/argocd-controller.ts): replicas, status and
 * operation processors, the sharding algorithm, and a fixed shard per cluster. Pure: the ArgoCd
 * component turns the result into Helm values and cluster Secrets.
 *
 * Sources (docs/gitops-scale.md has the reasoning; the facts are in upstream/charts/argo-cd-10.1.1.json):
 * - argoproj/argo-cd v3.5.1 docs/operator-manual/high_availability.md: status and operation
 *   processors default to 20 and 10; "for 1000 applications" the Argo CD team uses 50 and 25;
 *   clusters are sharded over controller replicas; a cluster Secret's `shard` fixes its shard.
 * - argoproj/argo-cd v3.4.4 (the chart's appVersion): the processor defaults
 *   (cmd/argocd-application-controller), the algorithm names (controller/sharding/sharding.go),
 *   a fixed `shard` below the replica count wins over the algorithm and one at or above it falls
 *   back to shard 0 (controller/sharding/cache.go updateDistribution), and every Application of
 *   a destination cluster is processed by that cluster's shard (IsManagedCluster).
 * - argoproj/argo-helm argo-cd-10.1.1: `controller.replicas` also sets ARGOCD_CONTROLLER_REPLICAS;
 *   the processors and the algorithm are argocd-cmd-params-cm keys (`configs.params`).
 */
import { createHash } from 'node:crypto';
import type { EnvironmentSpec } from '../../lib/spec';
import { MAX_CONTROLLER_PROCESSORS, MAX_CONTROLLER_REPLICAS } from '../../lib/spec/schema/argocd-controller';

/** What Argo CD v3.4.4 uses when argocd-cmd-params-cm sets nothing (and the chart's `controller.replicas`). */
export const ARGOCD_CONTROLLER_DEFAULTS = { replicas: 1, statusProcessors: 20, operationProcessors: 10, shardingAlgorithm: 'legacy' } as const;

/** The high-availability doc's data point: processors for one controller of 1000 Applications. */
export const HA_DOC_SIZING = { applications: 1000, statusProcessors: 50, operationProcessors: 25 } as const;

/**
 * Applications kprod's built-in capabilities write for a workload cluster besides one per tenant
 * and one per `addons.helm[]` entry (2 more with the dashboard): the CNI, monitoring, the
 * kubelet-csr-approver, tenancy-base, node-problem-detector, metrics-server, monitoring-rules and
 * logging folders, and the cloud controller (OpenStack), the GPU device plugin (NVIDIA pools) or
 * etcd-backup (stacked etcd): 9 and 10 in the examples, 10 or 11 in the benchmark fleet. Capabilities
 * added by plugins are not counted.
 */
export const WORKLOAD_APPLICATIONS_PER_CLUSTER = 10;

/** The Argo CD cluster name of the management cluster (argo-cd v3.4.4 KubernetesInClusterName). */
export const IN_CLUSTER_NAME = 'in-cluster';

/** Applications kprod writes for an environment, by destination cluster (an estimate from the spec). */
export interface ApplicationEstimate {
  readonly total: number;
  /** Destination: the management cluster: the root, each cluster's `cluster/` and, in the per-cluster layout, `<cluster>-applications`. */
  readonly inCluster: number;
  /** Destination: each workload cluster (`<env>-<cluster>`), by cluster name. */
  readonly byCluster: Readonly<Record<string, number>>;
}

export function estimateApplications(env: EnvironmentSpec): ApplicationEstimate {
  const perCluster = env.gitops.argocd.layout === 'per-cluster' ? 2 : 1;
  const byCluster = Object.fromEntries(
    env.clusters.map((c) => [c.name, WORKLOAD_APPLICATIONS_PER_CLUSTER + c.tenants.length + c.addons.helm.length + (c.addons.dashboard.enabled ? 2 : 0)]),
  );
  const inCluster = 1 + perCluster * env.clusters.length;
  return { total: inCluster + Object.values(byCluster).reduce((a, b) => a + b, 0), inCluster, byCluster };
}

/** The controller as the bootstrap stack installs it. */
export interface ControllerSettings {
  readonly replicas: number;
  readonly statusProcessors: number;
  readonly operationProcessors: number;
  readonly shardingAlgorithm: EnvironmentSpec['gitops']['argocd']['controller']['shardingAlgorithm'];
  /** The fixed shards kprod gives the clusters; undefined when Argo CD places them (one replica, or `shards: argocd`). */
  readonly shards: ShardAssignment | undefined;
  readonly applications: ApplicationEstimate;
  /** Estimated Applications of the busiest replica, which the processors are sized for. */
  readonly busiestReplica: number;
}

/**
 * Settings of the spec, the rest derived:
 * - replicas: ceil(Applications / 1000), at least 1, at most one per cluster (workload clusters +
 *   the management cluster: Argo CD shards by cluster) and MAX_CONTROLLER_REPLICAS;
 * - processors: the HA doc's 50 and 25 per 1000 Applications (one status processor per 20, one
 *   operation processor per 40) of the busiest replica, never below Argo CD's defaults 20 and 10
 *   nor above MAX_CONTROLLER_PROCESSORS.
 *   With balanced shards that is the fullest shard of the assignment; with Argo CD's placement,
 *   shard 0, which holds the management cluster and its share of the workload clusters besides.
 */
export function controllerSettings(env: EnvironmentSpec): ControllerSettings {
  const spec = env.gitops.argocd.controller;
  const applications = estimateApplications(env);
  const clusters = env.clusters.length + 1;
  const replicas = spec.replicas ?? Math.min(clusters, MAX_CONTROLLER_REPLICAS, Math.max(1, Math.ceil(applications.total / HA_DOC_SIZING.applications)));
  const shards = replicas > 1 && spec.shards === 'balanced' ? shardAssignment(env.clusters.map((c) => c.name), applications, replicas) : undefined;
  const busiestReplica = shards ? Math.max(...shards.loads) : applications.inCluster + Math.ceil((applications.total - applications.inCluster) / replicas);
  const perThousand = (n: number) => Math.min(MAX_CONTROLLER_PROCESSORS, Math.ceil((busiestReplica * n) / HA_DOC_SIZING.applications));
  return {
    replicas,
    statusProcessors: spec.statusProcessors ?? Math.max(ARGOCD_CONTROLLER_DEFAULTS.statusProcessors, perThousand(HA_DOC_SIZING.statusProcessors)),
    operationProcessors: spec.operationProcessors ?? Math.max(ARGOCD_CONTROLLER_DEFAULTS.operationProcessors, perThousand(HA_DOC_SIZING.operationProcessors)),
    shardingAlgorithm: spec.shardingAlgorithm,
    shards,
    applications,
    busiestReplica,
  };
}

/**
 * Helm values of the argo-cd chart for these settings. A value equal to Argo CD's default is not
 * set, so a small environment's release is what it was before these settings existed (a changed
 * argocd-cmd-params-cm restarts the controller: the chart's pod template carries its checksum).
 */
export function controllerValues(s: ControllerSettings): { controller?: { replicas: number }; configs?: { params: Record<string, string> } } {
  const d = ARGOCD_CONTROLLER_DEFAULTS;
  const params: Record<string, string> = {};
  if (s.statusProcessors !== d.statusProcessors) params['controller.status.processors'] = String(s.statusProcessors);
  if (s.operationProcessors !== d.operationProcessors) params['controller.operation.processors'] = String(s.operationProcessors);
  if (s.shardingAlgorithm !== d.shardingAlgorithm) params['controller.sharding.algorithm'] = s.shardingAlgorithm;
  return {
    ...(s.replicas !== d.replicas ? { controller: { replicas: s.replicas } } : {}),
    ...(Object.keys(params).length ? { configs: { params } } : {}),
  };
}

/** Fixed shards: the management cluster's and each workload cluster's, by cluster name. */
export interface ShardAssignment {
  readonly inCluster: number;
  readonly clusters: Readonly<Record<string, number>>;
  /** Estimated Applications of each shard, the management cluster's on shard 0. */
  readonly loads: readonly number[];
}

/** How far above its fair share of Applications a shard may be filled before a cluster goes to its next choice. */
export const SHARD_HEADROOM = 0.1;

/**
 * With balanced shards: the management cluster on shard 0; each workload cluster, in name order,
 * on the first shard of its own order of preference (rendezvous hashing: the shards sorted by a
 * hash of cluster and shard) that stays within (1 + SHARD_HEADROOM) × a fair share of the
 * estimated Applications (total / replicas), counting the management cluster's on shard 0; a
 * cluster no shard has room for goes to the least loaded. So shard 0 takes fewer workload
 * clusters by the load the management cluster brings, every shard ends within the headroom, and
 * adding, removing or resizing a cluster moves only the few clusters whose preferred shard it
 * fills or frees.
 */
export function shardAssignment(clusterNames: readonly string[], applications: ApplicationEstimate, replicas: number): ShardAssignment {
  const capacity = (applications.total / replicas) * (1 + SHARD_HEADROOM);
  const loads = Array.from({ length: replicas }, (_, shard) => (shard === 0 ? applications.inCluster : 0));
  const clusters: Record<string, number> = {};
  for (const name of [...clusterNames].sort()) {
    const apps = applications.byCluster[name];
    const preference = loads.map((_, shard) => ({ shard, rank: unitHash(`${name}/${shard}`) })).sort((a, b) => b.rank - a.rank);
    const fits = preference.find((p) => loads[p.shard] + apps <= capacity);
    const shard = fits ? fits.shard : loads.indexOf(Math.min(...loads));
    loads[shard] += apps;
    clusters[name] = shard;
  }
  return { inCluster: 0, clusters, loads };
}

/** A number in [0, 1) from the first 48 bits of SHA-256. */
function unitHash(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) / 2 ** 48;
}
