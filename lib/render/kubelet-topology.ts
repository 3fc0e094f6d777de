/**
 * NUMA and CPU placement settings of the kubelet (CPU, memory and topology managers,
 * reservedSystemCPUs) and the checks the kubelet itself makes on them at start-up, so that a pool
 * kprod renders never has a kubelet that refuses to run:
 * - the static CPU manager needs a CPU reservation (kube + system reserved, or reservedSystemCPUs);
 * - the Static memory manager needs `reservedMemory` whose sum equals kube + system reserved memory
 *   plus the hard `memory.available` eviction threshold;
 * - `reservedSystemCPUs` replaces the CPU of kube/system reserved (the kubelet drops kubeReserved.cpu
 *   and sets systemReserved.cpu to the CPU count), and must name CPUs the machine has.
 */
import { parseThreshold, thresholdAmount } from '../sizing/allocatable';
import { formatMebibytes, MiB, toMilli, toUnits, tryParseQuantity } from '../sizing/quantity';
import type { NodePoolSpec } from '../spec';
import type { KubeletOverrides } from '../spec/schema/node-pools';

/** CPUs of a cpuset list ("0-1,8"), or undefined when it is not one. */
export function parseCpuSet(text: string): number[] | undefined {
  if (!/^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$/.test(text)) return undefined;
  const cpus = new Set<number>();
  for (const part of text.split(',')) {
    const [a, b] = part.split('-').map(Number);
    if (b !== undefined && b < a) return undefined;
    for (let c = a; c <= (b ?? a); c++) cpus.add(c);
  }
  return [...cpus].sort((x, y) => x - y);
}

const bytes = (text: string | undefined) => {
  const q = text === undefined ? undefined : tryParseQuantity(text);
  return q ? toUnits(q) : 0;
};

/** What the Static memory manager expects reserved in total: kube + system reserved memory + hard memory.available, in bytes. */
export function expectedReservedMemory(config: { kubeReserved?: Record<string, string>; systemReserved?: Record<string, string>; evictionHard?: Record<string, string> }, capacityBytes: number): number {
  const t = config.evictionHard?.['memory.available'];
  const parsed = t === undefined ? undefined : parseThreshold(t);
  const eviction = parsed && !('error' in parsed) ? thresholdAmount(parsed, capacityBytes) : 0;
  return bytes(config.kubeReserved?.memory) + bytes(config.systemReserved?.memory) + eviction;
}

const memoryText = (b: number) => (b % MiB === 0 ? formatMebibytes(b) : String(b));

/**
 * The topology fields of a KubeletConfiguration for the pool's overrides, and the reservations as
 * the kubelet will really apply them. Only settings the pool sets are rendered (the kubelet's own
 * defaults stay implicit, so pools without them keep their template hash).
 */
export function kubeletTopology(
  overrides: NodePoolSpec['kubelet'] | Record<string, never>,
  reserved: { readonly kubeReserved: Readonly<Record<string, string>>; readonly systemReserved: Readonly<Record<string, string>> },
  evictionHard: Record<string, string>,
  capacityBytes: number,
): { fields: Record<string, unknown>; kubeReserved: Record<string, string>; systemReserved: Record<string, string> } {
  let kubeReserved: Record<string, string> = { ...reserved.kubeReserved };
  let systemReserved: Record<string, string> = { ...reserved.systemReserved };
  const fields: Record<string, unknown> = {};
  if (overrides.reservedSystemCPUs !== undefined) {
    const cpus = parseCpuSet(overrides.reservedSystemCPUs) ?? [];
    fields.reservedSystemCPUs = overrides.reservedSystemCPUs;
    // What the kubelet does with --reserved-cpus: render it so allocatable is computed the same way.
    const { cpu: _dropped, ...kubeWithoutCpu } = kubeReserved;
    void _dropped;
    kubeReserved = kubeWithoutCpu;
    systemReserved = { ...systemReserved, cpu: String(cpus.length) };
  }
  if (overrides.cpuManagerPolicy && overrides.cpuManagerPolicy !== 'none') fields.cpuManagerPolicy = overrides.cpuManagerPolicy;
  if (overrides.topologyManagerPolicy && overrides.topologyManagerPolicy !== 'none') fields.topologyManagerPolicy = overrides.topologyManagerPolicy;
  if (overrides.topologyManagerScope && overrides.topologyManagerScope !== 'container') fields.topologyManagerScope = overrides.topologyManagerScope;
  if (overrides.memoryManagerPolicy === 'Static') {
    fields.memoryManagerPolicy = 'Static';
    const reservedMemory = overrides.reservedMemory ?? [{ numaNode: 0, memory: memoryText(expectedReservedMemory({ kubeReserved, systemReserved, evictionHard }, capacityBytes)) }];
    fields.reservedMemory = reservedMemory.map((r: { numaNode: number; memory: string }) => ({ numaNode: r.numaNode, limits: { memory: r.memory } }));
  }
  return { fields, kubeReserved, systemReserved };
}

/** A setting the kubelet would refuse, by the override field it comes from. */
export interface KubeletProblem {
  readonly field: keyof KubeletOverrides;
  readonly message: string;
  readonly value: unknown;
}

/** The start-up checks of the kubelet on a rendered KubeletConfiguration of a machine with `cpus` CPUs and `capacityBytes` memory. */
export function kubeletTopologyProblems(config: Record<string, any>, cpus: number, capacityBytes: number): KubeletProblem[] {
  const problems: KubeletProblem[] = [];
  const reservedCpus = config.reservedSystemCPUs !== undefined ? parseCpuSet(String(config.reservedSystemCPUs)) : undefined;
  if (config.reservedSystemCPUs !== undefined) {
    if (!reservedCpus) problems.push({ field: 'reservedSystemCPUs', message: 'is not a cpuset list such as "0-1" or "0,24"', value: config.reservedSystemCPUs });
    else if (reservedCpus.some((c) => c >= cpus)) problems.push({ field: 'reservedSystemCPUs', message: `names CPUs the machine does not have (CPUs 0-${cpus - 1})`, value: config.reservedSystemCPUs });
    else if (reservedCpus.length >= cpus) problems.push({ field: 'reservedSystemCPUs', message: 'reserves every CPU: nothing is left for pods', value: config.reservedSystemCPUs });
    if (config.kubeReserved?.cpu !== undefined) problems.push({ field: 'reservedSystemCPUs', message: 'kubeReserved.cpu must not be set with reservedSystemCPUs (the kubelet replaces it)', value: config.kubeReserved.cpu });
  }
  if (config.cpuManagerPolicy === 'static') {
    const milli = (m: Record<string, string> | undefined) => {
      const q = m?.cpu === undefined ? undefined : tryParseQuantity(m.cpu);
      return q ? toMilli(q) : 0;
    };
    const reservedMilli = reservedCpus?.length ? reservedCpus.length * 1000 : milli(config.kubeReserved) + milli(config.systemReserved);
    if (reservedMilli <= 0) problems.push({ field: 'cpuManagerPolicy', message: 'the static CPU manager needs a CPU reservation (kube/system reserved CPU or reservedSystemCPUs)', value: 'static' });
  }
  if (config.memoryManagerPolicy === 'Static') {
    const list = (config.reservedMemory ?? []) as Array<{ numaNode: number; limits?: { memory?: string } }>;
    const expected = expectedReservedMemory(config, capacityBytes);
    const total = list.reduce((sum, r) => sum + bytes(r.limits?.memory), 0);
    if (list.length === 0) problems.push({ field: 'reservedMemory', message: 'the Static memory manager needs reservedMemory', value: undefined });
    else if (list.some((r) => r.limits?.memory === undefined || !tryParseQuantity(r.limits.memory)))
      problems.push({ field: 'reservedMemory', message: 'every entry needs a memory quantity', value: list });
    else if (total !== expected)
      problems.push({
        field: 'reservedMemory',
        message: `must add up to kube + system reserved memory + the hard memory.available threshold (${memoryText(expected)}; the kubelet refuses anything else), got ${memoryText(total)}`,
        value: list.map((r) => r.limits?.memory),
      });
    if (new Set(list.map((r) => r.numaNode)).size !== list.length) problems.push({ field: 'reservedMemory', message: 'names a NUMA node twice', value: list.map((r) => r.numaNode) });
  }
  return problems;
}
