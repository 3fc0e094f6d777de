/**
 * Resources a node keeps back from pods for the kubelet, the container runtime and the OS.
 *
 * CPU and memory follow the tiered formula the large managed offerings document (GKE/AKS):
 * - CPU: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% of every core above 4.
 * - Memory: 25% of the first 4 GiB, 20% of the next 4 GiB, 10% of the next 8 GiB,
 *   6% of the next 112 GiB (up to 128 GiB), 2% of everything above 128 GiB.
 *
 * The formula sizes kubelet + runtime + OS together. kprod gives two thirds to `kubeReserved`
 * (kubelet and containerd dominate and grow with pod count) and one third to `systemReserved`
 * (sshd, journald, udev, the network agents): `systemReserved = floor(total / 3)`,
 * `kubeReserved = total - systemReserved`, so the two always add up to the formula.
 *
 * PIDs: 1000 each for kube and system daemons (kubelet + containerd shims stay well below that
 * on 110 pods; systemd services likewise). Ephemeral storage: 1 GiB for kubelet/containerd state
 * (kube) and 2 GiB for the OS (journald is capped at 1 GiB by the host settings, plus logrotate
 * headroom) — constant, because these daemons do not grow with the disk.
 */
import type { Sku } from '../spec';
import { formatBytes, formatMebibytes, formatMillicores, GiB, MiB, toBytes } from './quantity';

/** A reservation map as KubeletConfiguration wants it (`cpu`, `memory`, `ephemeral-storage`, `pid`). */
export interface ReservedResources {
  readonly cpu: string;
  readonly memory: string;
  readonly 'ephemeral-storage': string;
  readonly pid: string;
}

export interface Reservations {
  readonly kubeReserved: ReservedResources;
  readonly systemReserved: ReservedResources;
  /** The formula's totals before the split (millicores, bytes). */
  readonly totalCpuMillicores: number;
  readonly totalMemoryBytes: number;
}

/** PIDs reserved for each of kube and system daemons. @default 1000 */
export const RESERVED_PIDS = 1000;
/** Ephemeral storage kept for kubelet/containerd state. */
export const KUBE_RESERVED_EPHEMERAL_BYTES = 1 * GiB;
/** Ephemeral storage kept for the OS (journald capped at 1 GiB + logrotate headroom). */
export const SYSTEM_RESERVED_EPHEMERAL_BYTES = 2 * GiB;

/** [size of tier in units, fraction reserved]; the last tier is unbounded. */
type Tier = readonly [number, number];

const CPU_TIERS: readonly Tier[] = [
  [1000, 0.06],
  [1000, 0.01],
  [2000, 0.005],
  [Infinity, 0.0025],
];

const MEMORY_TIERS_GIB: readonly Tier[] = [
  [4, 0.25],
  [4, 0.2],
  [8, 0.1],
  [112, 0.06],
  [Infinity, 0.02],
];

function tiered(amount: number, tiers: readonly Tier[]): number {
  let left = amount;
  let reserved = 0;
  for (const [size, fraction] of tiers) {
    const inTier = Math.min(left, size);
    reserved += inTier * fraction;
    left -= inTier;
    if (left <= 0) break;
  }
  return reserved;
}

/** CPU the formula reserves for a machine with `cores` logical CPUs, in millicores (rounded up). */
export function reservedCpuMillicores(cores: number): number {
  // tiers are in millicores; round to 1e-9 first so 2.5 m × 4 does not become 10.000000001
  return Math.ceil(Number(tiered(cores * 1000, CPU_TIERS).toFixed(6)));
}

/** Memory the formula reserves for `memoryBytes` of RAM, in bytes (rounded up to a MiB). */
export function reservedMemoryBytes(memoryBytes: number): number {
  const gib = tiered(memoryBytes / GiB, MEMORY_TIERS_GIB);
  const mib = Math.ceil(Number((gib * 1024).toFixed(6)));
  return mib * MiB;
}

/** Splits a total so that system gets floor(total / 3) and kube the rest. */
function split(total: number): [kube: number, system: number] {
  const system = Math.floor(total / 3);
  return [total - system, system];
}

/** Reservations of one machine of the SKU, as Kubernetes quantity strings. */
export function reservationsFor(sku: Pick<Sku, 'cpu' | 'memory'>): Reservations {
  const cpu = reservedCpuMillicores(sku.cpu);
  const memMiB = reservedMemoryBytes(toBytes(sku.memory)) / MiB;
  const [kubeCpu, systemCpu] = split(cpu);
  const [kubeMem, systemMem] = split(memMiB);
  return {
    totalCpuMillicores: cpu,
    totalMemoryBytes: memMiB * MiB,
    kubeReserved: {
      cpu: formatMillicores(kubeCpu),
      memory: formatMebibytes(kubeMem * MiB),
      'ephemeral-storage': formatBytes(KUBE_RESERVED_EPHEMERAL_BYTES),
      pid: String(RESERVED_PIDS),
    },
    systemReserved: {
      cpu: formatMillicores(systemCpu),
      memory: formatMebibytes(systemMem * MiB),
      'ephemeral-storage': formatBytes(SYSTEM_RESERVED_EPHEMERAL_BYTES),
      pid: String(RESERVED_PIDS),
    },
  };
}
