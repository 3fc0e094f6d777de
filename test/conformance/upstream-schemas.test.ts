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
  ])('%s passes validate-manifests with no failures', (_name, spec) => {
    const t = tempDir();
    try {
      synth(spec(), { outDir: t.dir });
      const run = spawnSync(process.execPath, [path.join(TOOLS, 'validate-manifests.mjs'), t.dir, '--verbose'], { encoding: 'utf8', timeout: 120_000 });
      const lines = run.stdout.trim().split('\n');
      const summary = lines.pop() ?? '';
      // Kinds without an upstream schema in ../shared/schemas: the apiserver's
      // AuthenticationConfiguration (anonymous auth limited to health endpoints, OIDC) and the
      // tenants' kubeconfigs (client files under kubeconfigs/, never applied) and prometheus-operator's
      // PrometheusRule (its rules are checked by promtool in test/integration/promtool.test.ts), and
      // Metal3's IPPool (ipam.metal3.io; its CRD is not among the shared schemas).
      const unchecked = lines.filter((l) => l.includes(': unchecked'));
      const failures = lines.filter((l) => !l.includes(': unchecked') && / \w+\/[^:]+: /.test(l));
      expect({ status: run.status, failures }).toEqual({ status: 0, failures: [] });
      expect(summary).toMatch(/^validated \d+ objects, 0 failed, \d+ unchecked$/);
      // Not vacuous: every written YAML file holds an object that was validated or listed as unchecked.
      const yamlFiles = (fs.readdirSync(t.dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml'));
      expect(yamlFiles.length).toBeGreaterThan(20);
      expect(Number(/^validated (\d+)/.exec(summary)![1]) + unchecked.length).toBeGreaterThanOrEqual(yamlFiles.length);
      for (const line of unchecked) expect(line).toMatch(/\{AuthenticationConfiguration\}: unchecked|\/kubeconfigs\/[a-z0-9-]+\.yaml: Config\/-: \(root\): unchecked|: PrometheusRule\/[a-z0-9-]+: \(root\): unchecked|: IPPool\/[a-z0-9-]+: \(root\): unchecked \(no schema for ipam\.metal3\.io\/v1alpha1 IPPool\)/);
    } finally {
      t.cleanup();
    }
  });
});
