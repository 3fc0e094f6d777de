import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { synth } from '../../constructs/synth';
import { CheckFailedError, checkFiles } from '../../lib/check';
import { readTree } from '../../lib/gitops/read-tree';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

describe('synth with check: kprod check on every built cluster before anything is written', () => {
  const t = tempDirPerTest('kprod-synth-check-');

  it('checks a first synth as creates, and a later one as updates of what the output folder holds', () => {
    const first = synth(exampleFleet(), { outDir: t.dir, check: true, cache: false });
    // As many objects as kprod check finds in the whole written tree: the environments' root Applications and projects included.
    expect(first.check[first.check.length - 1]).toMatch(new RegExp(`^checked ${checkFiles(readTree(t.dir)).objects} objects, 0 failed, `));
    // The live control-plane template (same content-hashed name) holds another flavor: the webhook refuses the update.
    const folder = path.join(t.dir, 'prod/eu-west-1/cluster');
    const file = fs.readdirSync(folder).find((f) => /^openstackmachinetemplate_.*-control-plane-[0-9a-f]{8}\.yaml$/.test(f))!;
    const live = parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    live.spec.template.spec.flavor = 'a-hand-edited-flavor';
    fs.writeFileSync(path.join(folder, file), stringify(live));
    const before = snapshotTree(t.dir);
    let error: unknown;
    try {
      synth(exampleFleet(), { outDir: t.dir, check: true, cache: false });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckFailedError);
    expect((error as CheckFailedError).report.failures.map((f) => `${f.file}: ${f.path}: ${f.message}`)).toEqual([
      `prod/eu-west-1/cluster/${file}: spec.template.spec: OpenStackMachineTemplate spec.template.spec field is immutable. Please create a new resource instead. (admission webhook)`,
    ]);
    expect((error as Error).message).toMatch(/nothing was written/);
    expect(snapshotTree(t.dir)).toEqual(before);
  });
});
