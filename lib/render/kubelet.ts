/**
 * kprod's KubeletConfiguration (kubelet.config.k8s.io/v1beta1) for a pool's nodes or the
 * control-plane machines, and the host file that makes the kubelet really use it.
 *
 * Delivery: kubeadm writes /var/lib/kubelet/config.yaml from the cluster-wide `kubelet-config`
 * ConfigMap on init and join; machine-specific settings go in as a kubeadm patch (target
 * `kubeletconfiguration`, kubeadm ≥ 1.25) read from `patches.directory`. The patch is strategic:
 * fields kubeadm sets (clusterDNS, clusterDomain, staticPodPath, x509 client CA) stay; ours win.
 * The InitConfiguration / JoinConfiguration must carry `patches: { directory: KUBEADM_PATCHES_DIR }`.
 *
 * Node allocatable is enforced on the `pods` cgroup only. Enforcing kube-reserved/system-reserved
 * as well would cap the kubelet, containerd and sshd at their reservation (they are OOM-killed or
 * throttled when they exceed it) and needs those cgroups to exist before the kubelet starts;
 * upstream advises it only after profiling the daemons. Reservations still shrink allocatable,
 * which is what protects the node.
 */
import { yamlText } from './yaml-text';
import { controlPlaneSize } from '../sizing/control-plane';
import { toUnits, tryParseQuantity } from '../sizing/quantity';
import { reservationsFor } from '../sizing/reservations';
import type { ClusterSpec, NodePoolSpec, Sku } from '../spec';
import { kubeletTopology } from './kubelet-topology';
import type { HostFile } from './types';
import { STRONG_TLS_CIPHER_SUITES } from './tls';

export const KUBELET_CONFIG_API_VERSION = 'kubelet.config.k8s.io/v1beta1';
/** Directory kubeadm reads patches from (InitConfiguration/JoinConfiguration `patches.directory`). */
export const KUBEADM_PATCHES_DIR = '/etc/kubernetes/patches';
/** kubeadm patch file name: target `kubeletconfiguration`, order 0, strategic merge. */
export const KUBELET_PATCH_PATH = `${KUBEADM_PATCHES_DIR}/kubeletconfiguration0+strategic.yaml`;

/** Root disk assumed for control-plane machines when no SKU describes them. */
export const DEFAULT_CONTROL_PLANE_EPHEMERAL_STORAGE = '100Gi';

/** Hard eviction thresholds: every signal is listed so that an override never silently drops the others. */
export const DEFAULT_EVICTION_HARD: Readonly<Record<string, string>> = {
  'memory.available': '500Mi',
  'nodefs.available': '10%',
  'nodefs.inodesFree': '5%',
  'imagefs.available': '15%',
  'imagefs.inodesFree': '5%',
  'pid.available': '10%',
};
/** Soft thresholds: pods get evicted gracefully well before the hard line is reached. */
export const DEFAULT_EVICTION_SOFT: Readonly<Record<string, string>> = {
  'memory.available': '1Gi',
  'nodefs.available': '15%',
  'nodefs.inodesFree': '10%',
  'imagefs.available': '20%',
  'imagefs.inodesFree': '10%',
  'pid.available': '15%',
};
export const DEFAULT_EVICTION_SOFT_GRACE: Readonly<Record<string, string>> = {
  'memory.available': '1m30s',
  'nodefs.available': '2m',
  'nodefs.inodesFree': '2m',
  'imagefs.available': '2m',
  'imagefs.inodesFree': '2m',
  'pid.available': '1m',
};

/** The shared strong TLS 1.2 suites (lib/render/tls.ts). */
export const KUBELET_TLS_CIPHER_SUITES = STRONG_TLS_CIPHER_SUITES;

/** kprod's defaults for the settings a pool may override (schema `kubeletOverrides`). */
export const KUBELET_DEFAULTS = {
  maxPods: 110,
  podPidsLimit: 4096,
  containerLogMaxSize: '50Mi',
  containerLogMaxFiles: 5,
  imageGCHighThresholdPercent: 85,
  imageGCLowThresholdPercent: 80,
} as const;

/**
 * The SKU of the machines a config is for: `machine` when the caller knows it (the control plane's
 * chosen catalogue SKU), else the pool's; for control-plane machines (which have no SKU field) the
 * cluster SKU whose flavor or host class equals `controlPlane.flavor`, else the size kprod picks
 * for the cluster's node count (lib/sizing/control-plane).
 */
export function machineSku(cluster: ClusterSpec, pool?: NodePoolSpec, machine?: Sku): Sku {
  if (machine) return machine;
  if (pool) {
    const sku = cluster.skus[pool.sku];
    if (!sku) throw new Error(`node pool ${pool.name}: SKU ${pool.sku} is not among the cluster's SKUs`);
    return sku as Sku;
  }
  const flavor = cluster.controlPlane.flavor;
  const match = flavor ? Object.values(cluster.skus).find((s) => s.flavor === flavor || s.hostClass === flavor) : undefined;
  if (match) return match as Sku;
  const size = controlPlaneSize(cluster);
  return { cpu: size.cpu, memory: `${size.memoryGiB}Gi`, ephemeralStorage: DEFAULT_CONTROL_PLANE_EPHEMERAL_STORAGE };
}

/** The KubeletConfiguration kprod wants on the machines of `pool` (control plane when undefined). */
export function kubeletConfiguration(cluster: ClusterSpec, pool?: NodePoolSpec, machine?: Sku): Record<string, unknown> & {
  kubeReserved: Record<string, string>;
  systemReserved: Record<string, string>;
  evictionHard: Record<string, string>;
  maxPods: number;
} {
  const sku = machineSku(cluster, pool, machine);
  const o = pool?.kubelet ?? {};
  const evictionHard = { ...DEFAULT_EVICTION_HARD, ...o.evictionHard };
  const memoryBytes = toUnits(tryParseQuantity(sku.memory) ?? { nanos: 0n });
  // CPU/memory/topology managers; reservedSystemCPUs reshapes the CPU reservation as the kubelet does.
  const formula = reservationsFor(sku);
  const reserved = { kubeReserved: { ...formula.kubeReserved }, systemReserved: { ...formula.systemReserved } };
  const { fields: topology, kubeReserved, systemReserved } = kubeletTopology(o, reserved, evictionHard, memoryBytes);
  return {
    apiVersion: KUBELET_CONFIG_API_VERSION,
    kind: 'KubeletConfiguration',
    // --- reservations and node allocatable
    kubeReserved: { ...kubeReserved },
    systemReserved: { ...systemReserved },
    enforceNodeAllocatable: ['pods'],
    cgroupDriver: 'systemd',
    // --- eviction
    evictionHard,
    evictionSoft: { ...DEFAULT_EVICTION_SOFT, ...o.evictionSoft },
    evictionSoftGracePeriod: { ...DEFAULT_EVICTION_SOFT_GRACE, ...o.evictionSoftGracePeriod },
    evictionMinimumReclaim: { 'memory.available': '200Mi', 'nodefs.available': '1Gi', 'imagefs.available': '2Gi' },
    evictionPressureTransitionPeriod: '5m0s',
    evictionMaxPodGracePeriod: 60,
    // --- pods, logs, images
    maxPods: o.maxPods ?? KUBELET_DEFAULTS.maxPods,
    podPidsLimit: o.podPidsLimit ?? KUBELET_DEFAULTS.podPidsLimit,
    containerLogMaxSize: o.containerLogMaxSize ?? KUBELET_DEFAULTS.containerLogMaxSize,
    containerLogMaxFiles: o.containerLogMaxFiles ?? KUBELET_DEFAULTS.containerLogMaxFiles,
    imageGCHighThresholdPercent: o.imageGCHighThresholdPercent ?? KUBELET_DEFAULTS.imageGCHighThresholdPercent,
    imageGCLowThresholdPercent: o.imageGCLowThresholdPercent ?? KUBELET_DEFAULTS.imageGCLowThresholdPercent,
    serializeImagePulls: false,
    maxParallelImagePulls: 5,
    // --- node status and shutdown
    nodeStatusUpdateFrequency: '10s',
    nodeStatusReportFrequency: '5m0s',
    nodeLeaseDurationSeconds: 40,
    shutdownGracePeriod: '60s',
    shutdownGracePeriodCriticalPods: '20s',
    // --- hardening (CIS Kubernetes benchmark, section 4.2)
    authentication: { anonymous: { enabled: false }, webhook: { enabled: true, cacheTTL: '2m0s' } },
    authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
    readOnlyPort: 0,
    protectKernelDefaults: true,
    makeIPTablesUtilChains: true,
    rotateCertificates: true,
    // Serving certificate from a CSR signed by the cluster CA (needs a kubelet-serving CSR approver).
    serverTLSBootstrap: true,
    tlsMinVersion: 'VersionTLS12',
    tlsCipherSuites: [...KUBELET_TLS_CIPHER_SUITES],
    streamingConnectionIdleTimeout: '5m0s',
    seccompDefault: true,
    failSwapOn: true,
    // --- NUMA and CPU placement (only what the pool sets)
    ...topology,
  };
}

/** The kubeadm patch file carrying the KubeletConfiguration, as YAML. */
export function renderKubeletPatch(cluster: ClusterSpec, pool?: NodePoolSpec, machine?: Sku): string {
  const who = pool ? `node pool ${pool.name} (SKU ${pool.sku})` : 'control-plane machines';
  return `# kprod KubeletConfiguration for ${who}; kubeadm patch, target kubeletconfiguration\n${yamlText(kubeletConfiguration(cluster, pool, machine))}`;
}

/**
 * Host files that make the kubelet of a control-plane machine (pool undefined) or a pool's node
 * use kprod's KubeletConfiguration. `machine`: the SKU of the machines when the caller knows it
 * better (the control plane's chosen catalogue SKU). @default see machineSku
 */
export function kubeletHostFiles(cluster: ClusterSpec, pool?: NodePoolSpec, machine?: Sku): HostFile[] {
  return [{ path: KUBELET_PATCH_PATH, content: renderKubeletPatch(cluster, pool, machine), permissions: '0644', owner: 'root:root' }];
}
