import type { ClusterSpec, Sku } from '../spec';
import { poolMaxNodes } from '../spec/validate/scale';
import { GiB, toUnits, tryParseQuantity } from './quantity';

/** Size of one control-plane machine and the apiserver/etcd limits that go with it. */
export interface ControlPlaneSize {
  /** Node count the size was chosen for (sum of the pools' maximum sizes). */
  readonly nodes: number;
  readonly cpu: number;
  readonly memoryGiB: number;
  /** kube-apiserver `--max-requests-inflight` (read-only requests; with APF on, part of the total concurrency). */
  readonly maxRequestsInflight: number;
  /** kube-apiserver `--max-mutating-requests-inflight`. */
  readonly maxMutatingRequestsInflight: number;
  /** Suggested etcd `--quota-backend-bytes` in GiB (etcd's documented maximum suggestion is 8 GiB). */
  readonly etcdQuotaGiB: number;
}

/**
 * Control-plane machine sizes by the cluster's maximum node count (kprod's table: CPU follows the
 * master sizes of kubernetes.io "Considerations for large clusters", memory about 4 GiB per vCPU,
 * 120 GiB for the largest tier). A larger machine is always fine; a smaller explicit flavor needs
 * `controlPlane.allowUndersized` (see lib/spec/validate/control-plane-placement).
 */
export const CONTROL_PLANE_TIERS: ReadonlyArray<{ maxNodes: number; cpu: number; memoryGiB: number; etcdQuotaGiB: number }> = [
  { maxNodes: 5, cpu: 1, memoryGiB: 4, etcdQuotaGiB: 2 },
  { maxNodes: 10, cpu: 2, memoryGiB: 8, etcdQuotaGiB: 2 },
  { maxNodes: 100, cpu: 4, memoryGiB: 16, etcdQuotaGiB: 4 },
  { maxNodes: 250, cpu: 8, memoryGiB: 32, etcdQuotaGiB: 4 },
  { maxNodes: 500, cpu: 16, memoryGiB: 64, etcdQuotaGiB: 8 },
  { maxNodes: Infinity, cpu: 32, memoryGiB: 120, etcdQuotaGiB: 8 },
];

/** kube-apiserver defaults; kube-up raised them to 1500/500 from 1000 nodes on. */
const INFLIGHT_DEFAULT = { read: 400, mutating: 200 };
const INFLIGHT_LARGE = { read: 1500, mutating: 500, fromNodes: 1000 };

/**
 * Client and node-lifecycle settings of the controller-manager and scheduler, and the apiserver's
 * in-flight limits, by the cluster's maximum node count. Small clusters keep the upstream defaults;
 * larger ones give the controllers and the scheduler more API throughput (so that a mass
 * reschedule after a zone outage is not throttled client-side) and give nodes a longer grace
 * period before they are marked NotReady (a busy apiserver delays lease renewals).
 *
 * | max nodes | controller-manager qps/burst | scheduler qps/burst | node-monitor-grace-period | large-cluster-size-threshold | unhealthy-zone-threshold |
 * |---|---|---|---|---|---|
 * | ≤ 100 | 20/30 | 50/100 | 40s | 50 | 0.55 |
 * | ≤ 500 | 50/100 | 100/200 | 40s | 50 | 0.55 |
 * | > 500 | 100/200 | 200/400 | 60s | 100 | 0.55 |
 */
export interface CongestionSettings {
  readonly controllerManager: { readonly kubeApiQps: number; readonly kubeApiBurst: number; readonly nodeMonitorGracePeriod: string; readonly largeClusterSizeThreshold: number; readonly unhealthyZoneThreshold: number };
  readonly scheduler: { readonly qps: number; readonly burst: number };
}

export const CONGESTION_TIERS: ReadonlyArray<{ maxNodes: number } & CongestionSettings> = [
  { maxNodes: 100, controllerManager: { kubeApiQps: 20, kubeApiBurst: 30, nodeMonitorGracePeriod: '40s', largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55 }, scheduler: { qps: 50, burst: 100 } },
  { maxNodes: 500, controllerManager: { kubeApiQps: 50, kubeApiBurst: 100, nodeMonitorGracePeriod: '40s', largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55 }, scheduler: { qps: 100, burst: 200 } },
  { maxNodes: Infinity, controllerManager: { kubeApiQps: 100, kubeApiBurst: 200, nodeMonitorGracePeriod: '60s', largeClusterSizeThreshold: 100, unhealthyZoneThreshold: 0.55 }, scheduler: { qps: 200, burst: 400 } },
];

/** The congestion settings for a cluster that can grow to `nodes` nodes. */
export function congestionSettingsFor(nodes: number): CongestionSettings {
  const { controllerManager, scheduler } = CONGESTION_TIERS.find((t) => nodes <= t.maxNodes)!;
  return { controllerManager, scheduler };
}

export function congestionSettings(cluster: Pick<ClusterSpec, 'nodePools'>): CongestionSettings {
  return congestionSettingsFor(clusterMaxNodes(cluster));
}

/** Largest node count the cluster's pools can reach (autoscaling max, else replicas, else 3). */
export function clusterMaxNodes(cluster: Pick<ClusterSpec, 'nodePools'>): number {
  return cluster.nodePools.reduce((sum, pool) => sum + poolMaxNodes(pool), 0);
}

/** The control-plane size for a cluster that can grow to `nodes` nodes. */
export function controlPlaneSizeFor(nodes: number): ControlPlaneSize {
  const tier = CONTROL_PLANE_TIERS.find((t) => nodes <= t.maxNodes)!;
  const large = nodes >= INFLIGHT_LARGE.fromNodes;
  return {
    nodes,
    cpu: tier.cpu,
    memoryGiB: tier.memoryGiB,
    maxRequestsInflight: large ? INFLIGHT_LARGE.read : INFLIGHT_DEFAULT.read,
    maxMutatingRequestsInflight: large ? INFLIGHT_LARGE.mutating : INFLIGHT_DEFAULT.mutating,
    etcdQuotaGiB: tier.etcdQuotaGiB,
  };
}

export function controlPlaneSize(cluster: Pick<ClusterSpec, 'nodePools'>): ControlPlaneSize {
  return controlPlaneSizeFor(clusterMaxNodes(cluster));
}

/** A memory quantity ("16Gi", "17179869184", "16G") in GiB; NaN when unparsable. */
export function quantityToGiB(q: string): number {
  const parsed = tryParseQuantity(q);
  return parsed ? toUnits(parsed) / GiB : NaN;
}

/**
 * The smallest SKU (by CPU, then memory, then name) that meets `size`, skipping GPU SKUs.
 * Undefined when none fits.
 */
export function pickControlPlaneSku(skus: Readonly<Record<string, Sku>>, size: Pick<ControlPlaneSize, 'cpu' | 'memoryGiB'>): { name: string; sku: Sku } | undefined {
  return Object.entries(skus)
    .filter(([, s]) => !s.gpu && s.cpu >= size.cpu && quantityToGiB(s.memory) >= size.memoryGiB)
    .map(([name, sku]) => ({ name, sku }))
    .sort((a, b) => a.sku.cpu - b.sku.cpu || quantityToGiB(a.sku.memory) - quantityToGiB(b.sku.memory) || a.name.localeCompare(b.name))[0];
}
