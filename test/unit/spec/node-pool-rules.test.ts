import { exampleFleet } from '../../helpers/fleet';
import type { SpecIssue } from '../../../lib/spec';
import { issuesOf } from '../../helpers/spec-issues';

const POOLS = 'environments[0].clusters[0].nodePools';
const errorsAt = (issues: readonly SpecIssue[], path: string) => issues.filter((i) => i.severity === 'error' && i.path === path);

describe('node pool bad input', () => {
  it('rejects a hard eviction threshold larger than the SKU memory (64Gi on 32Gi), at the threshold', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionHard: { 'memory.available': '64Gi' } };
    const issues = issuesOf(input);
    expect(errorsAt(issues, `${POOLS}[0].kubelet.evictionHard.memory.available`)).toEqual([
      expect.objectContaining({ value: '64Gi', message: expect.stringMatching(/^is not below the memory of SKU general-8x32 \(32Gi\): the node would evict every pod/) }),
    ]);
    // reported once, at the field the user wrote, not again as an allocatable problem of the SKU
    expect(errorsAt(issues, `${POOLS}[0].sku`)).toEqual([]);
  });

  it('rejects a disk threshold equal to the SKU ephemeral storage (nodefs 200Gi on a 200Gi disk)', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionSoft: { 'nodefs.available': '200Gi' } };
    expect(errorsAt(issuesOf(input), `${POOLS}[0].kubelet.evictionSoft.nodefs.available`)).toEqual([
      expect.objectContaining({ value: '200Gi', message: expect.stringContaining('ephemeral storage of SKU general-8x32 (200Gi)') }),
    ]);
  });

  it('rejects an unknown eviction signal, listing the known ones', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].kubelet = { evictionHard: { 'memory.free': '1Gi' } };
    expect(errorsAt(issuesOf(input), `${POOLS}[1].kubelet.evictionHard.memory.free`)).toEqual([
      expect.objectContaining({ value: 'memory.free', message: expect.stringMatching(/^unknown eviction signal; the kubelet knows memory\.available, /) }),
    ]);
  });

  it('rejects a malformed threshold quantity the pattern lets through', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionHard: { 'memory.available': '1.2.3Gi' } };
    expect(errorsAt(issuesOf(input), `${POOLS}[0].kubelet.evictionHard.memory.available`)).toEqual([
      expect.objectContaining({ value: '1.2.3Gi', message: 'threshold is neither a percentage ("10%") nor a Kubernetes quantity ("500Mi")' }),
    ]);
  });

  it('rejects a malformed percentage', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionHard: { 'nodefs.available': '10.%' } };
    expect(errorsAt(issuesOf(input), `${POOLS}[0].kubelet.evictionHard.nodefs.available`)).toEqual([
      expect.objectContaining({ message: expect.stringContaining('must be a quantity ("500Mi") or a percentage ("10%")') }),
    ]);
  });

  it('rejects a malformed SKU memory quantity at the SKU', () => {
    const input = exampleFleet();
    input.skus['general-8x32'].memory = '32GiGi';
    expect(errorsAt(issuesOf(input), 'skus.general-8x32.memory')).toEqual([
      // One error: the exact quantity parse of the schema stops before the "positive" check.
      expect.objectContaining({ message: 'must be a Kubernetes quantity such as "500m", "4Gi" or "2" (one number, at most one unit)' }),
    ]);
  });

  it('rejects autoscaling min above max', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].autoscaling = { min: 5, max: 2 };
    expect(errorsAt(issuesOf(input), `${POOLS}[0].autoscaling.min`)).toEqual([expect.objectContaining({ value: 5, message: 'must not exceed max 2' })]);
  });

  it('rejects a pool tainted for GPUs whose SKU has none', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].taints = [{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }];
    expect(errorsAt(issuesOf(input), `${POOLS}[0].taints[0].key`)).toEqual([
      expect.objectContaining({ value: 'nvidia.com/gpu', message: 'asks for nvidia GPUs but SKU general-8x32 has no GPUs; add gpu to the SKU or drop the taint' }),
    ]);
  });

  it('rejects a GPU taint of another vendor than the SKU’s GPUs', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[2].taints = [{ key: 'amd.com/gpu', value: 'present', effect: 'NoSchedule' }];
    expect(errorsAt(issuesOf(input), `${POOLS}[2].taints[0].key`)).toEqual([
      expect.objectContaining({ message: 'asks for amd GPUs but SKU gpu-a100x4 has 4 nvidia GPU(s); add gpu to the SKU or drop the taint' }),
    ]);
  });

  it('rejects the autoscaler accelerator label on a pool without GPUs', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[1].labels = { 'cluster-api/accelerator': 'nvidia' };
    expect(errorsAt(issuesOf(input), `${POOLS}[1].labels.cluster-api/accelerator`)).toEqual([
      expect.objectContaining({ value: 'nvidia', message: 'marks the nodes as GPU nodes for the autoscaler but SKU memory-16x128 has no GPUs' }),
    ]);
  });

  it('allows a GPU SKU whose pool replaces the GPU taint with its own', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[2].taints = [{ key: 'workload.acme.io/training', value: 'true', effect: 'NoSchedule' }];
    expect(issuesOf(input).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('warns that the priority expander needs its ConfigMap', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons = { ...input.environments[0].clusters[0].addons, clusterAutoscaler: { expander: 'priority' } };
    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        severity: 'warning',
        path: 'environments[0].clusters[0].addons.clusterAutoscaler.expander',
        message: expect.stringContaining('ConfigMap cluster-autoscaler-priority-expander in kube-system of the workload cluster'),
      }),
    );
  });

  it('warns when pools autoscale but the autoscaler is switched off', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].addons = { ...input.environments[0].clusters[0].addons, clusterAutoscaler: { enabled: false } };
    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({ severity: 'warning', path: 'environments[0].clusters[0].addons.clusterAutoscaler.enabled', message: expect.stringContaining('stay at the min size') }),
    );
  });
});
