import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthFleet } from '../../constructs/fleet';
import { synth } from '../../constructs/synth';
import { loadSpecFile } from '../../lib/spec';
import { tempDirPerTest } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const kprod = (...args: string[]) =>
  spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/helpers/ts-register.js'), path.join(ROOT, 'bin/kprod.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 120_000 });

/** Writes a tree (relative file → text) under dir. */
function write(dir: string, files: ReadonlyMap<string, string>): void {
  for (const [file, text] of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
}

describe('kprod check (CLI)', () => {
  const t = tempDirPerTest('kprod-check-cli-');
  const files = synthFleet(loadSpecFile(path.join(ROOT, 'examples/clusters/edge-lab.yaml')).spec).files;

  it('exits 0 on a good tree and 1 with `file: kind/name: path: message` on a bad one, checked as an update with --previous', () => {
    const good = path.join(t.dir, 'good');
    const bad = path.join(t.dir, 'bad');
    write(good, files);
    const [kcpFile, kcpText] = [...files].find(([f]) => /kubeadmcontrolplane_/.test(f))!;
    write(bad, new Map([...files, [kcpFile, kcpText.replace(/^(\s+)replicas: \d+$/m, '$1replicas: 2')]]));
    const ok = kprod('check', good);
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^checked \d+ objects, 0 failed, 0 unevaluated\n$/);

    const refused = kprod('check', bad, '--previous', good);
    expect(refused.status).toBe(1);
    const name = /^ {2}name: (.+)$/m.exec(kcpText)![1];
    expect(refused.stdout).toContain(`${path.join(bad, kcpFile)}: KubeadmControlPlane/${name}: spec.replicas: cannot be an even number when etcd is stacked (admission webhook)\n`);
    expect(refused.stdout).toMatch(/\nchecked \d+ objects, 1 failed, 0 unevaluated\n$/);
  }, 240_000);

  it('checks the folder kprod synth wrote: its .kprod/ record and cache hold no manifests', () => {
    const out = path.join(t.dir, 'dist');
    synth(path.join(ROOT, 'examples/clusters/edge-lab.yaml'), { outDir: out });
    expect(fs.readdirSync(path.join(out, '.kprod')).sort()).toEqual(['.gitignore', 'cache', 'owned']);
    const run = kprod('check', out);
    expect(run.stdout).toMatch(/^checked \d+ objects, 0 failed, 0 unevaluated\n$/);
    expect(run.status).toBe(0);
  }, 240_000);

  it('exits 2 when the folder does not exist', () => {
    const run = kprod('check', path.join(t.dir, 'missing'));
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/missing: not a directory/);
  }, 120_000);
});
