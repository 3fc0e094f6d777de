import { clusterMaxNodes, controlPlaneSizeFor, pickControlPlaneSku, quantityToGiB } from '../../../lib/sizing/control-plane';
import { controlPlaneMachine } from '../../../constructs/control-plane/sizing';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

describe('control-plane sizing', () => {
  it.each([
    [1, 1, 4],
    [5, 1, 4],
    [6, 2, 8],
    [10, 2, 8],
    [11, 4, 16],
    [100, 4, 16],
    [101, 8, 32],
    [250, 8, 32],
    [500, 16, 64],
    [501, 32, 120],
    [5000, 32, 120],
  ])('%i nodes -> %i vCPU / %i GiB', (nodes, cpu, memoryGiB) => {
    expect(controlPlaneSizeFor(nodes)).toMatchObject({ nodes, cpu, memoryGiB });
  });

  it('raises the apiserver in-flight limits from 1000 nodes on, keeps the defaults below', () => {
    expect(controlPlaneSizeFor(999)).toMatchObject({ maxRequestsInflight: 400, maxMutatingRequestsInflight: 200 });
    expect(controlPlaneSizeFor(1000)).toMatchObject({ maxRequestsInflight: 1500, maxMutatingRequestsInflight: 500 });
  });

  it('counts autoscaling max, else replicas, else 3 per pool', () => {
    expect(clusterMaxNodes({ nodePools: [{ autoscaling: { min: 1, max: 30 }, replicas: 2 }, { replicas: 4 }, {}] as any })).toBe(37);
  });

  it('parses memory quantities', () => {
    expect(quantityToGiB('16Gi')).toBe(16);
    expect(quantityToGiB('1Ti')).toBe(1024);
    expect(quantityToGiB(String(2 ** 33))).toBe(8);
    expect(quantityToGiB('abc')).toBeNaN();
  });

  it('picks the smallest non-GPU SKU that fits', () => {
    const skus = {
      big: { cpu: 16, memory: '64Gi', ephemeralStorage: '1Ti' },
      gpu: { cpu: 4, memory: '16Gi', ephemeralStorage: '1Ti', gpu: { vendor: 'nvidia' as const, count: 1 } },
      small: { cpu: 4, memory: '16Gi', ephemeralStorage: '1Ti' },
      tiny: { cpu: 2, memory: '4Gi', ephemeralStorage: '1Ti' },
    };
    expect(pickControlPlaneSku(skus, { cpu: 4, memoryGiB: 16 })!.name).toBe('small');
    expect(pickControlPlaneSku(skus, { cpu: 2, memoryGiB: 8 })!.name).toBe('small');
    expect(pickControlPlaneSku(skus, { cpu: 32, memoryGiB: 120 })).toBeUndefined();
  });

  it('example: prod (35 nodes) gets cp-4x16 flavor m1.large; an explicit flavor wins', () => {
    const input = exampleFleet();
    const { spec } = parseFleet(input);
    const prod = spec.environments[0].clusters[0];
    expect(controlPlaneMachine(spec, prod)).toMatchObject({ skuName: 'cp-4x16', flavor: 'm1.large', size: { nodes: 35, cpu: 4, memoryGiB: 16 } });
    const staging = spec.environments[1].clusters[0];
    expect(controlPlaneMachine(spec, staging)).toMatchObject({ hostClass: 'control-plane', size: { nodes: 4, cpu: 1, memoryGiB: 4 } });
    input.environments[0].clusters[0].controlPlane.flavor = 'c1.custom';
    const custom = parseFleet(input).spec;
    expect(controlPlaneMachine(custom, custom.environments[0].clusters[0])).toEqual(expect.objectContaining({ flavor: 'c1.custom' }));
  });

  it('fails naming controlPlane.flavor when no SKU is large enough: parseFleet first, with the indexed path', () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].nodePools[0].autoscaling.max = 600;
    expect(() => parseFleet(input)).toThrow(/environments\[0\]\.clusters\[0\]\.controlPlane\.flavor: not set, .*32 CPUs and 120Gi.*605 nodes/);
    const { spec } = parseFleet(exampleFleet());
    const small = { ...spec.environments[0].clusters[0], nodePools: [{ ...spec.environments[0].clusters[0].nodePools[0], autoscaling: { min: 3, max: 600 } }] };
    expect(() => controlPlaneMachine({ skus: { 'cp-4x16': spec.skus['cp-4x16'] } }, small as never)).toThrow(/controlPlane\.flavor is not set.*32 CPUs and 120Gi.*600 nodes/);
  });

  it('picks the smallest fitting SKU that says what to boot: a flavor-only SKU is not a Metal3 control plane', () => {
    const input = exampleFleet();
    input.skus['cp-2x8'] = { cpu: 2, memory: '8Gi', flavor: 'm1.medium' };
    const { spec } = parseFleet(input);
    expect(controlPlaneMachine(spec, spec.environments[1].clusters[0])).toMatchObject({ skuName: 'cp-4x16', hostClass: 'control-plane' });
  });
});
