import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { synth, synthAsync } from '../../constructs/synth';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

const ROOT = path.resolve(__dirname, '../..');
const SPEC = path.join(ROOT, 'examples/extensions/fleet.ts');
const PLUGIN = path.join(ROOT, 'examples/extensions/cert-manager.ts');
const kprod = (...args: string[]) =>
  spawnSync(process.execPath, ['-r', path.join(ROOT, 'test/helpers/ts-register.js'), path.join(ROOT, 'bin/kprod.ts'), ...args], { encoding: 'utf8', cwd: ROOT, timeout: 90_000 });
const contents = (dir: string) => new Map([...snapshotTree(dir)].map(([f, v]) => [f, v.content]));

describe('examples/extensions: the cert-manager capability and the JSON-patch example', () => {
  const t = tempDirPerTest();

  it('synth() serial and synthAsync() on 2 threads write byte-identical trees with the extension and the patches', async () => {
    const serial = path.join(t.dir, 'serial');
    const parallel = path.join(t.dir, 'parallel');
    const report = synth(SPEC, { outDir: serial, capabilities: { plugins: [PLUGIN] } });
    const threaded = await synthAsync(SPEC, { outDir: parallel, workers: 2, capabilities: { plugins: [PLUGIN] } });
    expect([report.threads, threaded.threads]).toEqual([1, 2]);
    const a = contents(serial);
    expect(contents(parallel)).toEqual(a);

    const issuer = parse(a.get('prod/eu-west-1/addons/cert-manager-issuers/clusterissuer_letsencrypt.yaml')!);
    expect(issuer.spec.acme).toMatchObject({ email: 'platform@example.com', server: 'https://acme-v02.api.letsencrypt.org/directory' });
    const folderApp = parse(a.get('prod/argocd/application_argocd_eu-west-1-addon-cert-manager-issuers.yaml')!);
    expect(folderApp.spec.source.path).toMatch(/prod\/eu-west-1\/addons\/cert-manager-issuers$/);
    const helm = parse(a.get('prod/argocd/application_argocd_eu-west-1-cert-manager.yaml')!);
    expect(helm.spec.source).toMatchObject({ repoURL: 'https://charts.jetstack.io', chart: 'cert-manager', targetRevision: 'v1.21.1' });
    expect(helm.spec.destination.namespace).toBe('cert-manager');
    // Only the cluster with extensions.cert-manager gets it.
    expect([...a.keys()].some((f) => f.startsWith('staging/') && f.includes('cert-manager'))).toBe(false);
    // The patches of the spec.
    expect(parse(a.get('prod/eu-west-1/addons/metrics-server/deployment_kube-system_metrics-server.yaml')!).spec.replicas).toBe(3);
    expect(parse(a.get('prod/argocd/application_argocd_eu-west-1-cni.yaml')!).metadata.labels.team).toBe('network');
    expect(report.summary).toContain('  cert-manager: v1.21.1, ClusterIssuer letsencrypt (ACME account platform@example.com)');
  });

  it('synthAsync refuses in-process capability objects on several threads (they cannot reach workers)', async () => {
    const capability = (await import('../../examples/extensions/cert-manager')).default;
    await expect(synthAsync(SPEC, { outDir: path.join(t.dir, 'x'), workers: 2, capabilities: { add: [capability] } })).rejects.toThrow(/cannot reach worker threads; pass them as plugins/);
    expect(fs.existsSync(path.join(t.dir, 'x'))).toBe(false);
  });

  it('kprod synth --plugin gives the same tree; without the plugin, validate and synth name the unknown extension', () => {
    const cli = path.join(t.dir, 'cli');
    const api = path.join(t.dir, 'api');
    synth(SPEC, { outDir: api, capabilities: { plugins: [PLUGIN] } });
    const run = kprod('synth', '--spec', SPEC, '--plugin', PLUGIN, '--out', cli, '--workers', '2');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(contents(cli)).toEqual(contents(api));

    const bare = kprod('validate', '--spec', SPEC);
    expect(bare.status).toBe(1);
    expect(bare.stderr).toMatch(/environments\[0\]\.clusters\[0\]\.extensions\.cert-manager: no capability "cert-manager" in the capability set/);
    expect(kprod('validate', '--spec', SPEC, '--plugin', PLUGIN).status).toBe(0);
  });

  it('kprod validate --plugin reports a bad setting with its path; a config file selects plugins too', () => {
    const spec = path.join(t.dir, 'bad.json');
    const fleet = JSON.parse(JSON.stringify(require(SPEC).default));
    fleet.environments[0].clusters[0].extensions['cert-manager'].acme.email = 'nobody';
    fs.writeFileSync(spec, JSON.stringify(fleet));
    const bad = kprod('validate', '--spec', spec, '--plugin', PLUGIN);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/environments\[0\]\.clusters\[0\]\.extensions\.cert-manager\.acme\.email: must be an e-mail address \(got "nobody"\)/);

    const config = path.join(t.dir, 'kprod.config.json');
    fs.writeFileSync(config, JSON.stringify({ plugins: [path.relative(t.dir, PLUGIN)], remove: ['logging'] }));
    const out = path.join(t.dir, 'with-config');
    const run = kprod('synth', '--spec', SPEC, '--config', config, '--out', out);
    expect(run.status).toBe(0);
    const files = [...snapshotTree(out).keys()];
    expect(files).toContain('prod/eu-west-1/addons/cert-manager-issuers/clusterissuer_letsencrypt.yaml');
    expect(files.some((f) => f.includes('/addons/logging/'))).toBe(false);
  });
});
