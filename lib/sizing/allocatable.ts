/**
 * Node allocatable, computed the way the kubelet does:
 * allocatable = capacity − kubeReserved − systemReserved − hard eviction threshold (per resource).
 * Pure: takes a SKU and a KubeletConfiguration object, reports numbers and table lines.
 */
import { kubeletConfiguration } from '../render/kubelet';
import type { ClusterSpec, NodePoolSpec, Sku } from '../spec';
import { formatBytes, GiB, parsePercentage, tryParseQuantity, toMilli, toUnits } from './quantity';

/** Eviction signals the kubelet knows (linux). */
export const EVICTION_SIGNALS = [
  'memory.available',
  'allocatableMemory.available',
  'nodefs.available',
  'nodefs.inodesFree',
  'imagefs.available',
  'imagefs.inodesFree',
  'containerfs.available',
  'containerfs.inodesFree',
  'pid.available',
] as const;

/** A parsed eviction threshold. */
export type Threshold = { readonly kind: 'percent'; readonly percent: number } | { readonly kind: 'quantity'; readonly units: number };

/** Parses `"10%"` (0-100) or a quantity (`"500Mi"`, `"1000"`); returns an explanation instead on bad input. */
export function parseThreshold(text: string): Threshold | { readonly error: string } {
  if (text.trim().endsWith('%')) {
    const percent = parsePercentage(text);
    if (percent === undefined) return { error: 'is not a percentage such as "10%"' };
    if (percent < 0 || percent > 100) return { error: 'percentage must be between 0% and 100%' };
    return { kind: 'percent', percent };
  }
  const q = tryParseQuantity(text);
  if (!q) return { error: 'is neither a percentage ("10%") nor a Kubernetes quantity ("500Mi")' };
  if (q.nanos < 0n) return { error: 'must not be negative' };
  return { kind: 'quantity', units: toUnits(q) };
}

/** Amount the threshold keeps free on a resource of `capacity` units. */
export function thresholdAmount(threshold: Threshold, capacity: number): number {
  return threshold.kind === 'percent' ? Math.ceil((capacity * threshold.percent) / 100) : threshold.units;
}

/** The parts of a KubeletConfiguration allocatable depends on. */
export interface AllocatableInputs {
  readonly kubeReserved?: Readonly<Record<string, string>>;
  readonly systemReserved?: Readonly<Record<string, string>>;
  readonly evictionHard?: Readonly<Record<string, string>>;
  readonly maxPods?: number;
}

export interface ResourceAmounts {
  /** Millicores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** Bytes. */
  readonly ephemeralStorage: number;
  readonly pods: number;
}

function reserved(map: Readonly<Record<string, string>> | undefined, key: string, milli: boolean): number {
  const q = map?.[key] !== undefined ? tryParseQuantity(map[key]) : undefined;
  if (!q) return 0;
  return milli ? toMilli(q) : toUnits(q);
}

function hard(config: AllocatableInputs, signal: string, capacity: number): number {
  const text = config.evictionHard?.[signal];
  if (text === undefined) return 0;
  const t = parseThreshold(text);
  return 'error' in t ? 0 : thresholdAmount(t, capacity);
}

/** Capacity of one machine of the SKU. */
export function capacity(sku: Pick<Sku, 'cpu' | 'memory' | 'ephemeralStorage'>, maxPods = 110): ResourceAmounts {
  return {
    cpu: sku.cpu * 1000,
    memory: toUnits(tryParseQuantity(sku.memory) ?? { nanos: 0n }),
    ephemeralStorage: toUnits(tryParseQuantity(sku.ephemeralStorage ?? '100Gi') ?? { nanos: 0n }),
    pods: maxPods,
  };
}

/** Bytes per page of each huge page size a SKU may declare. */
export const HUGEPAGE_BYTES: Readonly<Record<'2Mi' | '1Gi', number>> = { '2Mi': 2 * 1024 * 1024, '1Gi': GiB };

/** Memory pre-allocated as huge pages on one machine of the SKU, in bytes. */
export function hugepagesBytes(sku: Pick<Sku, 'hugepages'>): number {
  return Object.entries(sku.hugepages ?? {}).reduce((sum, [size, count]) => sum + HUGEPAGE_BYTES[size as '2Mi' | '1Gi'] * (count ?? 0), 0);
}

/**
 * capacity − kubeReserved − systemReserved − hard eviction threshold, per resource (may be ≤ 0);
 * memory also loses the SKU's pre-allocated huge pages (the kubelet offers them as `hugepages-<size>`).
 */
export function allocatable(sku: Pick<Sku, 'cpu' | 'memory' | 'ephemeralStorage' | 'hugepages'>, config: AllocatableInputs): ResourceAmounts {
  const cap = capacity(sku, config.maxPods ?? 110);
  const both = (key: string, milli: boolean) => reserved(config.kubeReserved, key, milli) + reserved(config.systemReserved, key, milli);
  return {
    // CPU has no eviction signal.
    cpu: cap.cpu - both('cpu', true),
    memory: cap.memory - both('memory', false) - hard(config, 'memory.available', cap.memory) - hugepagesBytes(sku),
    ephemeralStorage: cap.ephemeralStorage - both('ephemeral-storage', false) - hard(config, 'nodefs.available', cap.ephemeralStorage),
    pods: cap.pods,
  };
}

export interface AllocatableRow {
  readonly pool: string;
  readonly sku: string;
  /** Huge pages per machine, e.g. "1Gi×16"; empty when none. */
  readonly hugepages: string;
  readonly capacity: ResourceAmounts;
  readonly allocatable: ResourceAmounts;
}

/** One row per pool whose SKU is known, using the pool's rendered KubeletConfiguration. */
export function allocatableReport(
  cluster: ClusterSpec,
  kubeletConfigOf: (pool: NodePoolSpec) => AllocatableInputs = (pool) => kubeletConfiguration(cluster, pool),
): AllocatableRow[] {
  return cluster.nodePools.flatMap((pool) => {
    const sku = cluster.skus[pool.sku];
    if (!sku) return [];
    const config = kubeletConfigOf(pool);
    const hugepages = Object.entries(sku.hugepages ?? {})
      .filter(([, n]) => n)
      .map(([size, n]) => `${size}×${n}`)
      .join(', ');
    return [{ pool: pool.name, sku: pool.sku, hugepages, capacity: capacity(sku, config.maxPods ?? 110), allocatable: allocatable(sku, config) }];
  });
}

const cores = (m: number) => `${(m / 1000).toFixed(m % 1000 === 0 ? 0 : 2)}`;
const gib = (b: number) => (b % GiB === 0 ? formatBytes(b) : `${(b / GiB).toFixed(1)}Gi`);

/** Table lines: pool, SKU, capacity → allocatable for CPU, memory, ephemeral storage and pods. */
export function formatAllocatableRows(cluster: Pick<ClusterSpec, 'environment' | 'name'>, rows: readonly AllocatableRow[]): string[] {
  // The hugepages column appears only when a pool has huge pages.
  const pages = rows.some((r) => r.hugepages);
  const header = ['pool', 'sku', 'cpu', 'memory', 'ephemeral-storage', 'pods', ...(pages ? ['hugepages'] : [])];
  const body = rows.map((r) => [
    r.pool,
    r.sku,
    `${cores(r.capacity.cpu)} → ${cores(r.allocatable.cpu)}`,
    `${gib(r.capacity.memory)} → ${gib(r.allocatable.memory)}`,
    `${gib(r.capacity.ephemeralStorage)} → ${gib(r.allocatable.ephemeralStorage)}`,
    String(r.allocatable.pods),
    ...(pages ? [r.hugepages || '-'] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [`node allocatable (capacity → allocatable):`, line(header), ...body.map(line)];
}

/** Summary lines of a cluster's pools (for `ctx.addSummary`). */
export function formatAllocatableSummary(cluster: ClusterSpec): string[] {
  return formatAllocatableRows(cluster, allocatableReport(cluster));
}
