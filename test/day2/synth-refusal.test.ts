import { synth } from '../../constructs/synth';
import { SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDir } from '../helpers/tmp';
import { minorStep, PROD_BEFORE, PROD_NOW, setVersion } from '../helpers/versions';
import { writeRunningVersion } from './helpers';

describe('synth refuses a transition the live fleet would refuse', () => {
  const { dir, cleanup } = tempDir('kprod-day2-');
  afterAll(cleanup);

  it('a skipped minor over an existing tree throws a path-named SpecError and writes nothing', () => {
    // The live prod control plane is two minors below the example (an end-of-life minor only an old tree holds).
    synth(exampleFleet(), { outDir: dir });
    writeRunningVersion(dir, 'prod', 'eu-west-1', `${minorStep(PROD_NOW, -2)}.4`);
    const before = snapshotTree(dir);
    let error: unknown;
    try {
      synth(exampleFleet(), { outDir: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues.map((i) => i.path)).toEqual(['environments[0].clusters[0].kubernetesVersion']);
    expect(snapshotTree(dir)).toEqual(before);
  });

  it('one minor up over a tree one minor down is written', () => {
    // prod runs the newest supported minor: the tree on disk is one minor down, the spec is the example.
    const down = exampleFleet();
    setVersion(down.environments[0].clusters[0], PROD_BEFORE);
    synth(down, { outDir: dir });
    const report = synth(exampleFleet(), { outDir: dir });
    expect(report.changed.length).toBeGreaterThan(0);
  });
});
