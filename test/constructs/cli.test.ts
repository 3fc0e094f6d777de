import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
function kprod(...args: string[]) {
  return spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/helpers/ts-register.js'), path.join(ROOT, 'bin/kprod.ts'), ...args], {
    encoding: 'utf8',
    cwd: ROOT,
    timeout: 60_000,
  });
}

describe('kprod CLI', () => {
  const t = tempDirPerTest();

  it('synthesizes a TypeScript spec, then reports nothing to write on a second run', () => {
    const out = path.join(t.dir, 'dist');
    const first = kprod('synth', '--spec', 'examples/fleet.ts', '--out', out);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/kprod: \d+ objects in \d+ files; wrote (\d+) \(\1 added, 0 changed\), unchanged 0, deleted 0/);
    // Per cluster: objects per folder and the file changes against the previous tree.
    expect(first.stdout).toMatch(/^prod\/eu-west-1: .*cluster \d+.*tenants\/payments \d+.*; \+\d+ ~0 -0$/m);
    const second = kprod('synth', '--spec', 'examples/fleet.ts', '--out', out);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/wrote 0 \(0 added, 0 changed\), unchanged \d+, deleted 0/);
    expect(second.stdout).toMatch(/^prod\/eu-west-1: .*; \+0 ~0 -0$/m);
  });

  it('exits 1 on an invalid spec file, prints every error with its path, and writes nothing', () => {
    const out = path.join(t.dir, 'dist');
    kprod('synth', '--spec', 'examples/clusters/edge-lab.yaml', '--out', out);
    const before = snapshotTree(out);
    const bad = path.join(t.dir, 'bad.yaml');
    const text = fs
      .readFileSync(path.join(ROOT, 'examples/clusters/edge-lab.yaml'), 'utf8')
      .replace('replicas: 3', 'replicas: 4')
      .replace('nodeCidr: 10.30.0.0/22', 'nodeCidr: 10.244.0.0/22')
      .replace('cpu: 4', 'cpu: four');
    fs.writeFileSync(bad, text);
    const run = kprod('synth', '--spec', bad, '--out', out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('invalid spec');
    expect(run.stderr).toContain('nothing was written');
    expect(run.stderr).toContain('skus.general-4x16.cpu: ');
    expect(run.stderr).toContain('(got "four")');
    expect(run.stderr).toMatch(/environments\[0\]\.clusters\[0\]\.controlPlane\.replicas: must be 1, 3, 5 or 7.*\(got 4\)/);
    expect(run.stderr).toMatch(/environments\[0\]\.clusters\[0\]\.network\.podCidr: overlaps nodeCidr/);
    expect(snapshotTree(out)).toEqual(before);
  });

  it('--workers spreads clusters over threads with byte-identical output, and rejects a bad count', () => {
    const one = path.join(t.dir, 'one');
    const two = path.join(t.dir, 'two');
    expect(kprod('synth', '--spec', 'examples/fleet.ts', '--out', one).status).toBe(0);
    const run = kprod('synth', '--spec', 'examples/fleet.ts', '--out', two, '--workers', '2');
    expect(run.status).toBe(0);
    const a = snapshotTree(one);
    const b = snapshotTree(two);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [f, { content }] of a) expect(b.get(f)!.content).toBe(content);
    const bad = kprod('synth', '--spec', 'examples/fleet.ts', '--out', two, '--workers', 'zero');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--workers.*must be an integer/);
  });

  it('names every error of the issue\'s example at once: HA with 2 replicas, overlapping CIDRs, a duplicate tenant, an unknown field', () => {
    const out = path.join(t.dir, 'dist');
    const bad = path.join(t.dir, 'bad.json');
    const spec = require('yaml').parse(fs.readFileSync(path.join(ROOT, 'examples/clusters/edge-lab.yaml'), 'utf8'));
    const cluster = spec.environments[0].clusters[0];
    cluster.controlPlane.replicas = 2;
    cluster.network.serviceCidr = '10.244.128.0/20';
    cluster.tenants.push({ ...cluster.tenants[0], namespaces: [{ name: 'research-2' }] });
    cluster.nodePools[0].tains = [];
    fs.writeFileSync(bad, JSON.stringify(spec));
    const run = kprod('synth', '--spec', bad, '--out', out);
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('  environments'));
    const at = (p: string) => lines.filter((l) => l.startsWith(`  ${p}: `));
    expect(at('environments[0].clusters[0].nodePools[0].tains')).toHaveLength(1);
    expect(at('environments[0].clusters[0].controlPlane.replicas')[0]).toMatch(/must be 1, 3, 5 or 7.*\(got 2\)/);
    expect(at('environments[0].clusters[0].network.serviceCidr')[0]).toMatch(/overlaps podCidr 10\.244\.0\.0\/16/);
    expect(at('environments[0].clusters[0].tenants[1].name')[0]).toMatch(/duplicate name in cluster edge-lab.*\(got "research"\)/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('validate checks without writing; a missing file is a clear error', () => {
    const ok = kprod('validate', '--spec', 'examples/clusters/edge-lab.yaml');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('spec is valid');
    const missing = kprod('validate', '--spec', path.join(t.dir, 'nope.yaml'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/spec file not found/);
  });
});

describe('kprod synth and the output folder', () => {
  const t = tempDirPerTest();

  it('--dry-run after a synth never refuses: it lists the files and what the prune guard would refuse, exit 0', () => {
    const out = path.join(t.dir, 'dist');
    expect(kprod('synth', '--spec', 'examples/fleet.ts', '--out', out).status).toBe(0);
    const before = snapshotTree(out);
    const { exampleFleet } = require('../helpers/fleet');
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].tenants = [];
    fleet.environments[0].clusters[0].nodePools = fleet.environments[0].clusters[0].nodePools.filter((p: { name: string }) => p.name === 'general');
    fleet.environments[1].clusters[0].tenants[0].quota['requests.cpu'] = '42';
    const spec = path.join(t.dir, 'fleet.json');
    fs.writeFileSync(spec, JSON.stringify(fleet));
    const dry = kprod('synth', '--spec', spec, '--out', out, '--dry-run');
    expect(dry.status).toBe(0);
    // The control plane is resized for fewer nodes, the staging tenant's quota changes, the GPU
    // pool's device-plugin chart leaves the platform project, and both clusters' reviewer pages
    // follow; of the environments' index pages only prod's (its row lost pools and tenants).
    expect(dry.stdout).toMatch(
      /^would change \(6\):\n  ~ prod\/README\.md\n  ~ prod\/argocd\/appproject_argocd_prod-platform\.yaml\n  ~ prod\/eu-west-1\/README\.md\n  ~ prod\/eu-west-1\/cluster\/kubeadmcontrolplane_prod-eu-west-1_eu-west-1-control-plane\.yaml\n  ~ staging\/dc1\/README\.md\n  ~ staging\/dc1\/tenants\/payments\/resourcequota_payments-staging_compute\.yaml$/m,
    );
    expect(dry.stdout).toMatch(/^  - prod\/eu-west-1\/tenants\/payments\/namespace_payments-prod\.yaml$/m);
    expect(dry.stdout).toMatch(/^the prune guard would refuse \(pass --allow-prune\): prod\/eu-west-1: \d+ of \d+ files would be deleted \(.*Namespace/m);
    expect(snapshotTree(out)).toEqual(before);
    // The real synth refuses, as the dry run said.
    const real = kprod('synth', '--spec', spec, '--out', out);
    expect(real.status).toBe(1);
    expect(real.stderr).toMatch(/refusing to delete/);
  });

  it('refuses a folder with foreign files without a stack trace, and --allow-foreign writes beside them', () => {
    const out = path.join(t.dir, 'repo');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'README.md'), 'ours\n');
    const refused = kprod('synth', '--spec', 'examples/fleet.ts', '--out', out);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^kprod: refusing to synthesize into .*: it holds 1 file\(s\) kprod did not write[\s\S]*- README\.md\npass --allow-foreign/);
    expect(refused.stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(out)).toEqual(['README.md']);
    expect(kprod('synth', '--spec', 'examples/fleet.ts', '--out', out, '--allow-foreign').status).toBe(0);
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toBe('ours\n');
    // The record now says what kprod owns: no flag needed, and both clusters come from the cache.
    const again = kprod('synth', '--spec', 'examples/fleet.ts', '--out', out);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/wrote 0 \(0 added, 0 changed\), unchanged \d+, deleted 0; 2 of 2 clusters unchanged \(cache\)/);
    // Piped, as here: no progress line on stderr.
    expect(again.stderr).toBe('');
  });
});
