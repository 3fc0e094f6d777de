// Owned by the node-pools helper.
import { DEFAULT_EVICTION_SOFT_GRACE, kubeletConfiguration } from '../../render/kubelet';
import { KUBELET_PROTECTED_SYSCTLS } from '../../render/host-settings';
import { allocatable, capacity, EVICTION_SIGNALS, parseThreshold, type Threshold } from '../../sizing/allocatable';
import { ACCELERATOR_LABEL, gpuVendorOfKey } from '../../sizing/gpu';
import type { IssueCollector } from '../errors';
import type { FleetSpec, NodePoolSpec } from '../types';
import { forEachCluster, type Rule } from './rule';

/** Well-known labels NodeRestriction lets a kubelet set on its own node despite their kubernetes.io prefix. */
const KUBELET_ALLOWED_LABELS = new Set([
  'kubernetes.io/hostname',
  'kubernetes.io/arch',
  'kubernetes.io/os',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
]);

/** Whether the kubelet may set this label on its own node (NodeRestriction admission). */
export function kubeletMaySet(key: string): boolean {
  if (KUBELET_ALLOWED_LABELS.has(key)) return true;
  const slash = key.indexOf('/');
  if (slash < 0) return true;
  const prefix = key.slice(0, slash);
  const restricted = (d: string) => prefix === d || prefix.endsWith(`.${d}`);
  if (!restricted('kubernetes.io') && !restricted('k8s.io')) return true;
  return restricted('kubelet.kubernetes.io') || restricted('node.kubernetes.io');
}

/** Labels Cluster API copies from Machines to Nodes (its label sync), for prefixes the kubelet may not set. */
export function capiSyncsLabel(key: string): boolean {
  const prefix = key.includes('/') ? key.slice(0, key.indexOf('/')) : '';
  return (
    prefix === 'node-role.kubernetes.io' ||
    prefix === 'node-restriction.kubernetes.io' ||
    prefix.endsWith('.node-restriction.kubernetes.io') ||
    prefix === 'node.cluster.x-k8s.io' ||
    prefix.endsWith('.node.cluster.x-k8s.io')
  );
}

type Path = (string | number)[];
type Cluster = FleetSpec['environments'][number]['clusters'][number];
const SIGNALS: readonly string[] = EVICTION_SIGNALS;
/** Names modprobe accepts; anything else could break out of the `modprobe` command line. */
const MODULE_NAME = /^[A-Za-z0-9_-]+$/;
const SYSCTL_KEY = /^[a-z0-9_]+([./][A-Za-z0-9_-]+)+$/;

function checkThresholds(map: Readonly<Record<string, string>> | undefined, path: Path, issues: IssueCollector): Map<string, Threshold> {
  const parsed = new Map<string, Threshold>();
  for (const [signal, text] of Object.entries(map ?? {})) {
    if (!SIGNALS.includes(signal)) {
      issues.error([...path, signal], `unknown eviction signal; the kubelet knows ${SIGNALS.join(', ')}`, signal);
      continue;
    }
    const t = parseThreshold(text);
    if ('error' in t) issues.error([...path, signal], `threshold ${t.error}`, text);
    else parsed.set(signal, t);
  }
  return parsed;
}

function checkKubelet(pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const k = pool.kubelet;
  const kpath = [...path, 'kubelet'];
  const hard = checkThresholds(k.evictionHard, [...kpath, 'evictionHard'], issues);
  const soft = checkThresholds(k.evictionSoft, [...kpath, 'evictionSoft'], issues);
  for (const signal of Object.keys(k.evictionSoftGracePeriod ?? {}))
    if (!SIGNALS.includes(signal)) issues.error([...kpath, 'evictionSoftGracePeriod', signal], `unknown eviction signal; the kubelet knows ${SIGNALS.join(', ')}`, signal);
  // The kubelet refuses a soft threshold without a grace period; kprod's defaults cover its own signals.
  for (const signal of soft.keys()) {
    const hasGrace = k.evictionSoftGracePeriod?.[signal] !== undefined || DEFAULT_EVICTION_SOFT_GRACE[signal] !== undefined;
    if (!hasGrace) issues.error([...kpath, 'evictionSoftGracePeriod', signal], 'a soft eviction threshold needs a grace period for the same signal', undefined);
  }
  for (const [signal, s] of soft) {
    const h = hard.get(signal);
    if (h && h.kind === s.kind && (s.kind === 'percent' ? s.percent : s.units) <= (h.kind === 'percent' ? h.percent : h.units))
      issues.warn([...kpath, 'evictionSoft', signal], 'soft threshold is not above the hard one, so it never acts first', k.evictionSoft?.[signal]);
  }
  const high = k.imageGCHighThresholdPercent;
  const low = k.imageGCLowThresholdPercent;
  if (high !== undefined && low !== undefined && low >= high)
    issues.error([...kpath, 'imageGCLowThresholdPercent'], `must be below imageGCHighThresholdPercent (${high})`, low);
}

function checkHost(pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  for (const key of Object.keys(pool.labels))
    if (key.startsWith('topology.kubernetes.io/') || key.startsWith('failure-domain.beta.kubernetes.io/'))
      issues.error([...path, 'labels', key], "is set from the pool's failure domains (the cloud controller on OpenStack, the kubelet per failure domain on Metal3); pools may not set it", key);
    else if (!kubeletMaySet(key) && !capiSyncsLabel(key))
      issues.error(
        [...path, 'labels', key],
        'NodeRestriction keeps the kubelet from setting kubernetes.io/k8s.io labels and Cluster API syncs only node-role.kubernetes.io/, node-restriction.kubernetes.io/ and node.cluster.x-k8s.io/ ones; use another prefix',
        key,
      );
  pool.kernelModules.forEach((m, i) => {
    if (!MODULE_NAME.test(m)) issues.error([...path, 'kernelModules', i], 'must be a kernel module name (letters, digits, "_" and "-")', m);
  });
  for (const [key, value] of Object.entries(pool.sysctls)) {
    if (!SYSCTL_KEY.test(key)) issues.error([...path, 'sysctls', key], 'must be a sysctl name such as "vm.max_map_count"', key);
    if (/[\n\r]/.test(String(value))) issues.error([...path, 'sysctls', key], 'value must be a single line', value);
    const wanted = KUBELET_PROTECTED_SYSCTLS[key];
    if (wanted !== undefined && String(value) !== String(wanted))
      issues.error([...path, 'sysctls', key], `the kubelet runs with protectKernelDefaults and requires ${key}=${wanted}`, value);
  }
}

const FLOOR_TEXT = (share: number) => `${Number((share * 100).toFixed(1))}% of capacity`;

function checkAllocatable(cluster: Parameters<typeof kubeletConfiguration>[0], pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const sku = cluster.skus[pool.sku];
  if (!sku) return; // unknown SKU is reported by the references rule
  let config;
  try {
    config = kubeletConfiguration(cluster, pool);
  } catch {
    return;
  }
  const cap = capacity(sku, config.maxPods);
  const alloc = allocatable(sku, config);
  for (const resource of ['cpu', 'memory', 'ephemeralStorage'] as const) {
    const floor = Math.ceil(cap[resource] * pool.allocatableFloor);
    if (alloc[resource] <= 0)
      issues.error([...path, 'sku'], `${resource}: nothing is left for pods after reservations and the hard eviction threshold (allocatable ${alloc[resource]})`, pool.sku);
    else if (alloc[resource] < floor)
      issues.error(
        [...path, 'sku'],
        `${resource}: allocatable ${alloc[resource]} is under the floor of ${FLOOR_TEXT(pool.allocatableFloor)} (${floor} of ${cap[resource]}, allocatableFloor ${pool.allocatableFloor}); use a larger SKU, lower the reservations or eviction thresholds, or lower allocatableFloor`,
        pool.sku,
      );
  }
}

function checkHealthCheck(pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const range = pool.healthCheck.unhealthyInRange;
  const bounds = range ? /^\[([0-9]+)-([0-9]+)\]$/.exec(range) : null;
  if (bounds && Number(bounds[1]) > Number(bounds[2]))
    issues.error([...path, 'healthCheck', 'unhealthyInRange'], 'the lower bound must not exceed the upper one, e.g. "[1-3]"', range);
  const share = pool.healthCheck.unhealthyLessThanOrEqualTo;
  if (typeof share === 'string' && Number(share.slice(0, -1)) > 100)
    issues.error([...path, 'healthCheck', 'unhealthyLessThanOrEqualTo'], 'a percentage must be between 0% and 100%', share);
}

function checkAutoscaler(cluster: Cluster, path: Path, issues: IssueCollector): void {
  const settings = cluster.addons.clusterAutoscaler;
  const autoscaled = cluster.nodePools.some((p) => p.autoscaling);
  if (settings.enabled === false && autoscaled)
    issues.warn([...path, 'addons', 'clusterAutoscaler', 'enabled'], 'a pool has autoscaling bounds but no autoscaler runs: its MachineDeployments stay at the min size', false);
  if (settings.expander === 'priority')
    issues.warn(
      [...path, 'addons', 'clusterAutoscaler', 'expander'],
      'the priority expander reads ConfigMap cluster-autoscaler-priority-expander in kube-system of the workload cluster; kprod does not write it, so add it (e.g. as a Helm add-on or tenant manifest)',
      'priority',
    );
  // The Cluster API provider of cluster-autoscaler implements no pricing model, and the price expander requires one.
  if (settings.expander === 'price' && (settings.enabled ?? autoscaled))
    issues.error(
      [...path, 'addons', 'clusterAutoscaler', 'expander'],
      'the Cluster API provider has no pricing model, so the autoscaler cannot start with the price expander; use least-waste, random, most-pods or priority',
      'price',
    );
}

const isZero = (v: number | string) => v === 0 || v === '0%';

function checkRollout(pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const { maxSurge, maxUnavailable } = pool.rollout;
  const rpath = [...path, 'rollout'];
  if (isZero(maxSurge) && isZero(maxUnavailable))
    issues.error([...rpath, 'maxUnavailable'], 'maxSurge and maxUnavailable cannot both be 0: the rollout could never replace a machine', maxUnavailable);
  if (typeof maxUnavailable === 'string' && Number(maxUnavailable.slice(0, -1)) > 100)
    issues.error([...rpath, 'maxUnavailable'], 'a percentage must be between 0% and 100%', maxUnavailable);
}

/** The SKU resource a threshold of the signal keeps free (kprod nodes have one disk: node, image and container fs share it). */
const SIGNAL_RESOURCE: Readonly<Record<string, 'memory' | 'ephemeralStorage'>> = {
  'memory.available': 'memory',
  'allocatableMemory.available': 'memory',
  'nodefs.available': 'ephemeralStorage',
  'imagefs.available': 'ephemeralStorage',
  'containerfs.available': 'ephemeralStorage',
};

/** An absolute eviction threshold at or above what the SKU has would leave nothing for pods. */
function checkThresholdsFitSku(cluster: Cluster, pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const sku = cluster.skus[pool.sku];
  if (!sku) return;
  const cap = capacity(sku);
  for (const kind of ['evictionHard', 'evictionSoft'] as const) {
    for (const [signal, text] of Object.entries(pool.kubelet[kind] ?? {})) {
      const resource = SIGNAL_RESOURCE[signal];
      const t = resource ? parseThreshold(text) : undefined;
      if (!resource || !t || 'error' in t || t.kind !== 'quantity') continue;
      const has = resource === 'memory' ? sku.memory : sku.ephemeralStorage;
      if (t.units >= cap[resource])
        issues.error(
          [...path, 'kubelet', kind, signal],
          `is not below the ${resource === 'memory' ? 'memory' : 'ephemeral storage'} of SKU ${pool.sku} (${has}): the node would evict every pod; use a smaller quantity or a percentage`,
          text,
        );
    }
  }
}

/**
 * A pool that asks for GPUs (a taint or the accelerator label naming a GPU resource) needs a SKU
 * with GPUs of that vendor. The reverse is fine: a GPU SKU whose pool replaces the GPU taint.
 */
function checkGpu(cluster: Cluster, pool: NodePoolSpec, path: Path, issues: IssueCollector): void {
  const sku = cluster.skus[pool.sku];
  if (!sku) return;
  const has = sku.gpu ? `${sku.gpu.count} ${sku.gpu.vendor} GPU(s)` : 'no GPUs';
  pool.taints.forEach((t, i) => {
    const vendor = gpuVendorOfKey(t.key);
    if (vendor && sku.gpu?.vendor !== vendor)
      issues.error([...path, 'taints', i, 'key'], `asks for ${vendor} GPUs but SKU ${pool.sku} has ${has}; add gpu to the SKU or drop the taint`, t.key);
  });
  const accelerator = pool.labels[ACCELERATOR_LABEL];
  if (accelerator !== undefined && !sku.gpu)
    issues.error([...path, 'labels', ACCELERATOR_LABEL], `marks the nodes as GPU nodes for the autoscaler but SKU ${pool.sku} has no GPUs`, accelerator);
}

/** Node-pool rules: eviction thresholds, protected sysctls, module names, allocatable above the floor. */
export const nodePoolRules: Rule = (fleet, issues) =>
  forEachCluster(fleet, (cluster, path) => {
    checkAutoscaler(cluster, path, issues);
    cluster.nodePools.forEach((pool, p) => {
      const poolPath = [...path, 'nodePools', p];
      const before = issues.errors.length;
      checkKubelet(pool, poolPath, issues);
      checkHost(pool, poolPath, issues);
      checkHealthCheck(pool, poolPath, issues);
      checkRollout(pool, poolPath, issues);
      checkGpu(cluster, pool, poolPath, issues);
      if (issues.errors.length === before) checkThresholdsFitSku(cluster, pool, poolPath, issues);
      // allocatable needs parseable thresholds
      if (issues.errors.length === before) checkAllocatable(cluster, pool, poolPath, issues);
    });
  });
