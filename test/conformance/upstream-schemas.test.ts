import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synth } from '../../constructs/synth';
import { exampleFleet } from '../helpers/fleet';
import { tempDir } from '../helpers/tmp';

const TOOLS = path.resolve(__dirname, '../../../shared/tools');
const installed = fs.existsSync(path.join(TOOLS, 'node_modules', 'ajv'));
// CI installs the checker's dependencies (`npm ci --prefix ../shared/tools`) and also runs it on dist/.
const maybe = installed ? describe : describe.skip;
if (!installed) console.warn(`conformance: ${TOOLS}/node_modules missing; run npm ci --prefix ../shared/tools`);

maybe('synthesized manifests against the upstream CRDs and config schemas', () => {
  it.each([
    ['the example fleet', () => exampleFleet()],
    ['the YAML example cluster', () => path.join(__dirname, '../../examples/clusters/edge-lab.yaml')],
  ])('%s passes validate-manifests with no failures and nothing unchecked', (_name, spec) => {
    const t = tempDir();
    try {
      synth(spec(), { outDir: t.dir });
      const run = spawnSync(process.execPath, [path.join(TOOLS, 'validate-manifests.mjs'), t.dir], { encoding: 'utf8', timeout: 120_000 });
      const summary = run.stdout.trim().split('\n').pop() ?? '';
      expect({ status: run.status, failures: run.stdout.split('\n').filter((l) => l.includes(': ') && !l.startsWith('validated')) }).toEqual({ status: 0, failures: [] });
      expect(summary).toMatch(/^validated \d+ objects, 0 failed, 0 unchecked$/);
    } finally {
      t.cleanup();
    }
  });
});
