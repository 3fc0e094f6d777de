import { kubeletConfiguration } from '../../../lib/render/kubelet';
import { hugepagesCommands } from '../../../lib/render/hugepages';
import { kubeletTopologyProblems, parseCpuSet } from '../../../lib/render/kubelet-topology';
import { allocatableReport, formatAllocatableSummary } from '../../../lib/sizing/allocatable';
import { GiB, MiB } from '../../../lib/sizing/quantity';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';
import { errorsOf } from '../../helpers/spec-issues';

const GPU_POOL = 'environments[0].clusters[0].nodePools[2]';
const prodOf = (input: unknown) => parseFleet(input).spec.environments[0].clusters[0];
const gpuPool = (cluster: ReturnType<typeof prodOf>) => cluster.nodePools.find((p) => p.name === 'gpu')!;


describe('NUMA and CPU placement in the kubelet', () => {
  const prod = prodOf(exampleFleet());
  const config = kubeletConfiguration(prod, gpuPool(prod)) as Record<string, any>;

  it('renders the example GPU pool managers and leaves the other pools without them', () => {
    expect(config).toMatchObject({ cpuManagerPolicy: 'static', memoryManagerPolicy: 'Static', topologyManagerPolicy: 'restricted', topologyManagerScope: 'pod', reservedSystemCPUs: '0-1' });
    const general = kubeletConfiguration(prod, prod.nodePools[0]) as Record<string, any>;
    for (const key of ['cpuManagerPolicy', 'memoryManagerPolicy', 'topologyManagerPolicy', 'topologyManagerScope', 'reservedSystemCPUs', 'reservedMemory']) expect(general[key]).toBeUndefined();
  });

  it('moves the CPU reservation to reservedSystemCPUs as the kubelet does, so allocatable counts whole reserved CPUs', () => {
    expect(config.kubeReserved.cpu).toBeUndefined();
    expect(config.systemReserved.cpu).toBe('2');
    const row = allocatableReport(prod).find((r) => r.pool === 'gpu')!;
    expect(row.allocatable.cpu).toBe(46_000);
  });

  it('reserves for the Static memory manager exactly kube + system reserved memory + the hard memory.available threshold', () => {
    const mi = (q: string) => Number(q.replace('Mi', ''));
    const expected = mi(config.kubeReserved.memory) + mi(config.systemReserved.memory) + mi(config.evictionHard['memory.available']);
    expect(config.reservedMemory).toEqual([{ numaNode: 0, limits: { memory: `${expected}Mi` } }]);
    expect(kubeletTopologyProblems(config, 48, 384 * GiB)).toEqual([]);
  });

  it('takes huge pages out of allocatable memory and shows them in the allocatable table', () => {
    const withPages = allocatableReport(prod).find((r) => r.pool === 'gpu')!;
    const input = exampleFleet();
    delete input.skus['gpu-a100x4'].hugepages;
    const without = allocatableReport(prodOf(input)).find((r) => r.pool === 'gpu')!;
    expect(without.allocatable.memory - withPages.allocatable.memory).toBe(16 * GiB);
    const lines = formatAllocatableSummary(prod);
    expect(lines[1]).toMatch(/\bhugepages$/);
    expect(lines.find((l) => l.startsWith('gpu '))).toMatch(/1Gi×16$/);
    expect(hugepagesCommands({ hugepages: { '1Gi': 16, '2Mi': 512 } })[0]).toBe('echo 16 > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages');
    expect(hugepagesCommands({})).toEqual([]);
  });

  it('refuses what the kubelet refuses, at the pool kubelet paths', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[2].kubelet = {
      memoryManagerPolicy: 'Static',
      reservedMemory: [{ numaNode: 0, memory: '1Gi' }, { numaNode: 1, memory: '1Gi' }],
      reservedSystemCPUs: '0-63',
    };
    const at = (field: string) => errorsOf(input).filter((i) => i.path === `${GPU_POOL}.kubelet.${field}`);
    expect(at('reservedMemory')[0].message).toMatch(/must add up to kube \+ system reserved memory \+ the hard memory\.available threshold \(\d+Mi/);
    expect(at('reservedSystemCPUs')[0].message).toMatch(/names CPUs the machine does not have \(CPUs 0-47\)/);
    const bad = exampleFleet();
    bad.environments[0].clusters[0].nodePools[2].kubelet = { cpuManagerPolicy: 'exclusive', reservedSystemCPUs: '3-1', topologyManagerScope: 'numa' };
    const paths = errorsOf(bad).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([`${GPU_POOL}.kubelet.cpuManagerPolicy`, `${GPU_POOL}.kubelet.topologyManagerScope`]));
    const range = exampleFleet();
    range.environments[0].clusters[0].nodePools[2].kubelet = { reservedSystemCPUs: '3-1' };
    expect(errorsOf(range).map((i) => i.path)).toContain(`${GPU_POOL}.kubelet.reservedSystemCPUs`);
  });

  it('refuses a static CPU manager without any CPU reservation and a Static memory manager without reservedMemory', () => {
    const problems = kubeletTopologyProblems({ cpuManagerPolicy: 'static', kubeReserved: { memory: '1Gi' }, systemReserved: {}, memoryManagerPolicy: 'Static', evictionHard: {} }, 8, 32 * GiB);
    expect(problems.map((p) => p.field)).toEqual(['cpuManagerPolicy', 'reservedMemory']);
    expect(kubeletTopologyProblems({ cpuManagerPolicy: 'static', kubeReserved: { cpu: '100m' } }, 8, 32 * GiB)).toEqual([]);
    expect(kubeletTopologyProblems({ memoryManagerPolicy: 'Static', kubeReserved: { memory: '512Mi' }, systemReserved: { memory: '512Mi' }, evictionHard: { 'memory.available': '1%' }, reservedMemory: [{ numaNode: 0, limits: { memory: String(1024 * MiB + Math.ceil(0.01 * 32 * GiB)) } }] }, 8, 32 * GiB)).toEqual([]);
  });

  it('parses cpuset lists', () => {
    expect(parseCpuSet('0-2,8,10-11')).toEqual([0, 1, 2, 8, 10, 11]);
    expect(parseCpuSet('2-1')).toBeUndefined();
    expect(parseCpuSet('a')).toBeUndefined();
  });

  it('names a bad huge page size with its path', () => {
    const input = exampleFleet();
    input.skus['gpu-a100x4'].hugepages = { '4Mi': 1, '1Gi': -1 };
    const paths = errorsOf(input).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['skus.gpu-a100x4.hugepages.4Mi', 'skus.gpu-a100x4.hugepages.1Gi']));
  });
});
