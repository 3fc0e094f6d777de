import { synth } from '../../constructs/synth';
import { SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDir } from '../helpers/tmp';

describe('synth refuses a transition the live fleet would refuse', () => {
  const { dir, cleanup } = tempDir('kprod-day2-');
  afterAll(cleanup);

  it('a skipped minor over an existing tree throws a path-named SpecError and writes nothing', () => {
    synth(exampleFleet(), { outDir: dir });
    const before = snapshotTree(dir);
    const skip = exampleFleet();
    skip.environments[0].clusters[0].kubernetesVersion = '1.35.0';
    skip.environments[0].clusters[0].infrastructure.imageName = 'ubuntu-2404-kube-v1.35.0';
    let error: unknown;
    try {
      synth(skip, { outDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues.map((i) => i.path)).toEqual(['environments[0].clusters[0].kubernetesVersion']);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('one minor up over the same tree is written', () => {
    const up = exampleFleet();
    up.environments[0].clusters[0].kubernetesVersion = '1.34.2';
    up.environments[0].clusters[0].infrastructure.imageName = 'ubuntu-2404-kube-v1.34.2';
    const report = synth(up, { outDir: dir });
    expect(report.changed.length).toBeGreaterThan(0);
  });
});
