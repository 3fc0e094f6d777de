import example from '../../../examples/fleet';
import { allocatable, allocatableReport, formatAllocatableSummary, parseThreshold, thresholdAmount } from '../../../lib/sizing/allocatable';
import { parseFleet, SpecError, type FleetInput } from '../../../lib/spec';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function clone(): any {
  return structuredClone(example) as any;
}
function prodCluster(input: FleetInput = example) {
  return parseFleet(input).spec.environments[0].clusters[0];
}
function issuesOf(input: FleetInput) {
  try {
    parseFleet(input);
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return [];
}

describe('parseThreshold', () => {
  it('reads percentages and quantities', () => {
    expect(parseThreshold('10%')).toEqual({ kind: 'percent', percent: 10 });
    expect(parseThreshold('500Mi')).toEqual({ kind: 'quantity', units: 500 * MiB });
    expect(parseThreshold('1000')).toEqual({ kind: 'quantity', units: 1000 });
  });
  it.each([
    ['120%', 'between 0% and 100%'],
    ['5Gb', 'neither a percentage'],
    ['abc%', 'not a percentage'],
  ])('rejects %s', (text, message) => expect((parseThreshold(text) as { error: string }).error).toContain(message));
  it('computes the amount of a percentage against capacity, rounding up', () => {
    expect(thresholdAmount({ kind: 'percent', percent: 10 }, 1001)).toBe(101);
  });
});

describe('allocatable', () => {
  it('is capacity minus both reservations minus the hard threshold', () => {
    const a = allocatable(
      { cpu: 4, memory: '16Gi', ephemeralStorage: '100Gi' },
      {
        kubeReserved: { cpu: '100m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
        systemReserved: { cpu: '50m', memory: '512Mi', 'ephemeral-storage': '2Gi' },
        evictionHard: { 'memory.available': '500Mi', 'nodefs.available': '10%' },
        maxPods: 64,
      },
    );
    expect(a).toEqual({
      cpu: 4000 - 150,
      memory: 16 * GiB - 1 * GiB - 512 * MiB - 500 * MiB,
      ephemeralStorage: 100 * GiB - 3 * GiB - 10 * GiB,
      pods: 64,
    });
  });

  it('reports the example pools with kprod defaults (hand-computed)', () => {
    const rows = allocatableReport(prodCluster());
    const general = rows.find((r) => r.pool === 'general')!;
    // 8 CPU: 8000m - 90m; 32Gi: 32768Mi - 3646Mi reserved - 500Mi hard eviction
    expect(general.allocatable.cpu).toBe(7910);
    expect(general.allocatable.memory).toBe((32768 - 3646 - 500) * MiB);
    // 200Gi - 1Gi - 2Gi reserved - 10% nodefs (20Gi)
    expect(general.allocatable.ephemeralStorage).toBe(177 * GiB);
    expect(general.allocatable.pods).toBe(110);
    const search = rows.find((r) => r.pool === 'search')!;
    // 16 CPU: 16000 - 110; 128Gi: 131072 - 9544 - 500
    expect(search.allocatable.cpu).toBe(15890);
    expect(search.allocatable.memory).toBe((131072 - 9544 - 500) * MiB);
    const gpu = rows.find((r) => r.pool === 'gpu')!;
    // 48 CPU with reservedSystemCPUs 0-1: 48000 - 2000; 384Gi: 393216 - 14787 - 500 - 16 × 1Gi huge pages
    expect(gpu.allocatable.cpu).toBe(46000);
    expect(gpu.allocatable.memory).toBe((393216 - 14787 - 500 - 16 * 1024) * MiB);
  });

  it('follows a pool override of the hard threshold and maxPods', () => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionHard: { 'memory.available': '10%' }, maxPods: 64 };
    const general = allocatableReport(prodCluster(input)).find((r) => r.pool === 'general')!;
    // 10% of 32Gi = 3276.8Mi
    expect(general.allocatable.memory).toBe(32 * GiB - 3646 * MiB - Math.ceil(3.2 * GiB));
    expect(general.allocatable.pods).toBe(64);
  });

  it('formats a summary table with one line per pool', () => {
    const lines = formatAllocatableSummary(prodCluster());
    expect(lines[0]).toBe('node allocatable (capacity → allocatable):');
    // the example GPU SKU has huge pages, so the table gets their column
    expect(lines[1]).toMatch(/^pool\s+sku\s+cpu\s+memory\s+ephemeral-storage\s+pods\s+hugepages$/);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^general\s+general-8x32\s+8 → 7\.91\s+32Gi → 28\.0Gi\s+200Gi → 177Gi\s+110\s+-$/);
  });
});

describe('nodePoolRules', () => {
  const POOL = 'environments[0].clusters[0].nodePools[0]';

  it('accepts the example fleet', () => {
    expect(issuesOf(example).filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('reports bad thresholds with their paths, all at once', () => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].kubelet = {
      evictionHard: { 'memory.available': '150%', 'nodefs.available': '12Gb', 'memory.free': '1Gi' },
      evictionSoft: { 'containerfs.available': '20%' },
    };
    const paths = issuesOf(input).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`${POOL}.kubelet.evictionHard.memory.available: threshold percentage must be between 0% and 100%`),
        expect.stringContaining(`${POOL}.kubelet.evictionHard.nodefs.available: threshold is neither a percentage`),
        expect.stringContaining(`${POOL}.kubelet.evictionHard.memory.free: unknown eviction signal`),
        expect.stringContaining(`${POOL}.kubelet.evictionSoftGracePeriod.containerfs.available: a soft eviction threshold needs a grace period`),
      ]),
    );
  });

  it('errors when allocatable memory falls under the 50% floor or to nothing', () => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].kubelet = { evictionHard: { 'memory.available': '60%' } };
    input.environments[0].clusters[0].nodePools[1].kubelet = { evictionHard: { 'nodefs.available': '100%' } };
    const issues = issuesOf(input);
    expect(issues).toContainEqual(
      expect.objectContaining({ path: `${POOL}.sku`, value: 'general-8x32', message: expect.stringContaining('memory: allocatable') }),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: 'environments[0].clusters[0].nodePools[1].sku',
        message: expect.stringContaining('ephemeralStorage: nothing is left for pods'),
      }),
    );
  });

  it('the floor is the pool field allocatableFloor: 0.5 by default (the example passes), 0.9 fails with the numbers', () => {
    expect(prodCluster().nodePools[0].allocatableFloor).toBe(0.5);
    expect(issuesOf(clone()).filter((i) => i.severity === 'error')).toEqual([]);
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].allocatableFloor = 0.9;
    const errors = issuesOf(input).filter((i) => i.severity === 'error');
    // general-8x32: 32Gi of memory → a 90% floor of ceil(34359738368 × 0.9) bytes; 200Gi of disk → 193273528320.
    const memory = errors.find((i) => i.path === `${POOL}.sku` && i.message.startsWith('memory:'));
    expect(memory?.message).toMatch(/^memory: allocatable (\d+) is under the floor of 90% of capacity \(30923764532 of 34359738368, allocatableFloor 0\.9\)/);
    expect(Number(/allocatable (\d+)/.exec(memory!.message)![1])).toBeLessThan(30923764532);
    expect(errors).toContainEqual(expect.objectContaining({ path: `${POOL}.sku`, value: 'general-8x32', message: expect.stringContaining('(193273528320 of 214748364800, allocatableFloor 0.9)') }));
    // CPU reservations are well under 10% of 8 cores, so CPU still passes at 0.9.
    expect(errors.find((i) => i.message.startsWith('cpu:'))).toBeUndefined();
    // Only the pool that asked for 0.9 is affected.
    expect(errors.filter((i) => !i.path.startsWith(POOL))).toEqual([]);
  });

  it.each([0, 1, 1.5, -0.1])('allocatableFloor %p is outside (0, 1) and rejected at its path', (floor) => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].allocatableFloor = floor;
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ path: `${POOL}.allocatableFloor`, severity: 'error' }));
  });

  it('errors on a tiny SKU whose reservations eat the memory', () => {
    const input = clone();
    input.skus['general-8x32'] = { cpu: 1, memory: '1Gi', ephemeralStorage: '20Gi', flavor: 'm1.tiny' };
    // 1Gi: 256Mi reserved + 500Mi hard = 756Mi of 1024Mi → 268Mi left, under 512Mi
    const messages = issuesOf(input).filter((i) => i.path === `${POOL}.sku`).map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^memory: allocatable 281018368 is under the floor of 50% of capacity/)]));
  });

  it('rejects sysctls the kubelet protects and unsafe module names', () => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].sysctls = { 'vm.overcommit_memory': 0, 'kernel.panic': 10, 'bad key': 1 };
    input.environments[0].clusters[0].nodePools[0].kernelModules = ['nvme_tcp', 'x; rm -rf /'];
    const issues = issuesOf(input);
    expect(issues).toContainEqual(expect.objectContaining({ path: `${POOL}.sysctls.vm.overcommit_memory`, value: 0 }));
    expect(issues.find((i) => i.path === `${POOL}.sysctls.kernel.panic`)).toBeUndefined();
    expect(issues).toContainEqual(expect.objectContaining({ path: `${POOL}.sysctls.bad key` }));
    expect(issues).toContainEqual(expect.objectContaining({ path: `${POOL}.kernelModules[1]`, value: 'x; rm -rf /' }));
    expect(issues.find((i) => i.path === `${POOL}.kernelModules[0]`)).toBeUndefined();
  });

  it('rejects imageGC low ≥ high and warns about a soft threshold under the hard one', () => {
    const input = clone();
    input.environments[0].clusters[0].nodePools[0].kubelet = {
      imageGCHighThresholdPercent: 70,
      imageGCLowThresholdPercent: 75,
    };
    expect(issuesOf(input)).toContainEqual(expect.objectContaining({ path: `${POOL}.kubelet.imageGCLowThresholdPercent`, value: 75 }));
    const soft = clone();
    soft.environments[0].clusters[0].nodePools[0].kubelet = {
      evictionHard: { 'memory.available': '2Gi' },
      evictionSoft: { 'memory.available': '1Gi' },
    };
    const { warnings } = parseFleet(soft);
    expect(warnings).toContainEqual(expect.objectContaining({ path: `${POOL}.kubelet.evictionSoft.memory.available`, severity: 'warning' }));
  });
});
