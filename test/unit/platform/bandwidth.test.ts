import { calicoValues, cniRelease } from '../../../lib/platform/cni';
import { parseFleet } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

const clustersOf = (input: unknown) => parseFleet(input).spec.environments.flatMap((e) => e.clusters);

describe('network.cni.bandwidthLimits', () => {
  it('is off by default: no Cilium bandwidth manager on the example staging cluster', () => {
    const [, staging] = clustersOf(exampleFleet());
    expect(staging.network.cni.bandwidthLimits).toBe(false);
    expect(cniRelease(staging).values.bandwidthManager).toBeUndefined();
  });

  it('turns on the Cilium bandwidth manager, and leaves Calico values alone (Felix applies the annotations itself)', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].network.cni.bandwidthLimits = true;
    input.environments[0].clusters[0].network.cni = { bandwidthLimits: true };
    const [prod, staging] = clustersOf(input);
    expect(cniRelease(staging).values.bandwidthManager).toEqual({ enabled: true });
    expect(cniRelease(prod).values).toEqual(calicoValues({ ...prod.network, cni: { ...prod.network.cni, bandwidthLimits: false } } as never));
  });

  it('names a bad value with its path', () => {
    const input = exampleFleet();
    input.environments[1].clusters[0].network.cni.bandwidthLimits = 'on';
    expect(() => parseFleet(input)).toThrow(/environments\[1\]\.clusters\[0\]\.network\.cni\.bandwidthLimits/);
  });
});
