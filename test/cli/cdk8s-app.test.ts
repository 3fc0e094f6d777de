import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './corpus';

/** Runs the app of cdk8s.yaml as cdk8s-cli does: its `app` command with CDK8S_OUTDIR set. */
function cdk8sApp(outDir: string) {
  const app = /^app: (.*)$/m.exec(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8'))![1];
  return spawnSync(app, {
    shell: true,
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CDK8S_OUTDIR: outDir, KPROD_SPEC: path.join(ROOT, 'examples/clusters/edge-lab.yaml') },
  });
}

function yamlFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
}

describe('cdk8s.yaml app', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('synthesizes into the folder cdk8s-cli passes in CDK8S_OUTDIR (its --output), from the TypeScript sources', () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'kprod-cdk8s-'));
    dirs.push(parent);
    const out = path.join(parent, 'manifests');
    const run = cdk8sApp(out);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.status).toBe(0);
    const files = yamlFiles(out);
    expect(files).toContain(path.join('lab', 'argocd', 'application_argocd_lab-root.yaml'));
    // The same bytes `kprod synth` writes: no document separator at the start.
    expect(fs.readFileSync(path.join(out, files[0]), 'utf8').startsWith('---')).toBe(false);
  }, 120_000);

  it('for --stdout (a fresh cdk8s-* temporary folder) every file starts a YAML document, so the concatenation cdk8s prints parses', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-'));
    dirs.push(out);
    expect(cdk8sApp(out).status).toBe(0);
    const files = yamlFiles(out);
    expect(files.length).toBeGreaterThan(20);
    const stream = files.map((f) => fs.readFileSync(path.join(out, f), 'utf8')).join('');
    const docs = parseAllDocuments(stream);
    expect(docs.filter((d) => 'errors' in d && d.errors.length)).toEqual([]);
    expect(docs).toHaveLength(files.length);
    for (const d of docs) expect(d.toJS()).toEqual(expect.objectContaining({ apiVersion: expect.any(String), kind: expect.any(String) }));
  }, 120_000);
});
