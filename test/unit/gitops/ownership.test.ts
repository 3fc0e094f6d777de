import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ForeignConflictError,
  ForeignFilesError,
  isLegacyKprodPath,
  OWNED_FILE,
  PruneRefusedError,
  readOwned,
  writeTree,
} from '../../../lib/gitops';
import { snapshotTree, tempDirPerTest } from '../../helpers/tmp';

const tree = (n: number, prefix = 'prod/c1/addons/x') => new Map(Array.from({ length: n }, (_, i) => [`${prefix}/configmap_ns_f${i}.yaml`, `v: ${i}\n`]));
const put = (dir: string, rel: string, content: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
};
const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

describe('output folder ownership', () => {
  const t = tempDirPerTest();

  it('records every written path, sorted, without timestamps, and rewrites the record only when the set changes', () => {
    const files = new Map([
      ['staging/b/cluster/x_b.yaml', 'b\n'],
      ['prod/a/cluster/x_a.yaml', 'a\n'],
    ]);
    writeTree(t.dir, files);
    expect(read(t.dir, OWNED_FILE).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['prod/a/cluster/x_a.yaml', 'staging/b/cluster/x_b.yaml']);
    expect(read(t.dir, '.kprod/.gitignore')).toBe('cache/\n.clock-*\n');
    const before = fs.statSync(path.join(t.dir, OWNED_FILE)).mtimeMs;
    files.set('prod/a/cluster/x_a.yaml', 'changed\n');
    writeTree(t.dir, files);
    // Same owned set: the record is not rewritten.
    expect(fs.statSync(path.join(t.dir, OWNED_FILE)).mtimeMs).toBe(before);
    files.delete('staging/b/cluster/x_b.yaml');
    writeTree(t.dir, files);
    expect(readOwned(t.dir)).toEqual(['prod/a/cluster/x_a.yaml']);
  });

  it('refuses a first synth into a folder holding files it did not write, listing them and changing nothing', () => {
    put(t.dir, 'README.md', '# our fleet repo\n');
    put(t.dir, 'docs/ops.md', 'runbook\n');
    fs.mkdirSync(path.join(t.dir, '.git'));
    put(t.dir, '.git/HEAD', 'ref: refs/heads/main\n');
    const before = snapshotTree(t.dir);
    let error: unknown;
    try {
      writeTree(t.dir, tree(3));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForeignFilesError);
    expect((error as ForeignFilesError).files).toEqual(['README.md', 'docs/ops.md']);
    expect((error as Error).message).toMatch(/2 file\(s\) kprod did not write[\s\S]*- README\.md\n    - docs\/ops\.md\npass --allow-foreign/);
    expect(snapshotTree(t.dir)).toEqual(before);
  });

  it('with allowForeign writes beside foreign files and never touches them again: not in synths, prunes or failed synths', () => {
    put(t.dir, 'README.md', '# our fleet repo\n');
    put(t.dir, 'prod/c1/addons/x/NOTES.md', 'hand-written notes inside a kprod folder\n');
    put(t.dir, '.git/HEAD', 'ref: refs/heads/main\n');
    const first = writeTree(t.dir, tree(20), { allowForeign: true });
    expect(first.foreign).toEqual(['README.md', 'prod/c1/addons/x/NOTES.md']);
    expect(readOwned(t.dir)).not.toContain('README.md');
    // Later synths need no flag: the folder has a record now.
    const second = writeTree(t.dir, tree(20));
    expect(second.written).toEqual([]);
    // A refused prune and a conflict change nothing.
    const before = snapshotTree(t.dir);
    expect(() => writeTree(t.dir, tree(2))).toThrow(PruneRefusedError);
    expect(snapshotTree(t.dir)).toEqual(before);
    // A prune of every owned file keeps the foreign ones and their folder.
    const pruned = writeTree(t.dir, tree(1, 'prod/c2/cluster'), { allowPrune: true });
    expect(pruned.deleted).toHaveLength(20);
    expect(read(t.dir, 'README.md')).toBe('# our fleet repo\n');
    expect(read(t.dir, 'prod/c1/addons/x/NOTES.md')).toBe('hand-written notes inside a kprod folder\n');
    expect(read(t.dir, '.git/HEAD')).toBe('ref: refs/heads/main\n');
    expect(fs.existsSync(path.join(t.dir, 'prod/c1/addons/x/configmap_ns_f0.yaml'))).toBe(false);
  });

  it('refuses to overwrite a foreign file at a path it writes, listing every such file, and writes nothing', () => {
    writeTree(t.dir, tree(2));
    put(t.dir, 'prod/c1/addons/x/configmap_ns_f2.yaml', 'mine, not kprod\'s\n');
    put(t.dir, 'prod/c1/addons/x/configmap_ns_f3.yaml', 'mine too\n');
    const before = snapshotTree(t.dir);
    const files = tree(4);
    files.set('prod/c1/addons/x/configmap_ns_f0.yaml', 'v: changed\n');
    let error: unknown;
    try {
      writeTree(t.dir, files);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ForeignConflictError);
    expect((error as ForeignConflictError).files).toEqual(['prod/c1/addons/x/configmap_ns_f2.yaml', 'prod/c1/addons/x/configmap_ns_f3.yaml']);
    expect(snapshotTree(t.dir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(t.dir)).filter((n) => n.startsWith(`${path.basename(t.dir)}.kprod-staging`))).toEqual([]);
  });

  it('adopts a tree written before ownership records (kprod naming under the fleet\'s environments) and still refuses other files', () => {
    writeTree(t.dir, new Map([...tree(3), ['prod/argocd/application_argocd_c1.yaml', 'a\n'], ['prod/c1/runbooks/etcd-restore.md', 'r\n']]));
    fs.rmSync(path.join(t.dir, '.kprod'), { recursive: true });
    put(t.dir, 'README.md', 'repo\n');
    put(t.dir, 'other-env/c9/cluster/cluster_x.yaml', 'not in this fleet\n');
    const environments = ['prod', 'staging'];
    expect(() => writeTree(t.dir, tree(3), { environments })).toThrow(/README\.md\n    - other-env\/c9\/cluster\/cluster_x\.yaml/);
    const r = writeTree(t.dir, tree(2), { environments, allowForeign: true, allowPrune: true });
    expect(r.adopted).toEqual(['prod/argocd/application_argocd_c1.yaml', 'prod/c1/addons/x/configmap_ns_f0.yaml', 'prod/c1/addons/x/configmap_ns_f1.yaml', 'prod/c1/addons/x/configmap_ns_f2.yaml', 'prod/c1/runbooks/etcd-restore.md']);
    expect(r.deleted).toEqual(['prod/argocd/application_argocd_c1.yaml', 'prod/c1/addons/x/configmap_ns_f2.yaml', 'prod/c1/runbooks/etcd-restore.md']);
    expect(r.unchanged).toBe(2);
    expect(read(t.dir, 'README.md')).toBe('repo\n');
    expect(read(t.dir, 'other-env/c9/cluster/cluster_x.yaml')).toBe('not in this fleet\n');
    // A tree of kprod's files only migrates without any flag.
    fs.rmSync(path.join(t.dir, '.kprod'), { recursive: true });
    fs.rmSync(path.join(t.dir, 'README.md'));
    fs.rmSync(path.join(t.dir, 'other-env'), { recursive: true });
    expect(writeTree(t.dir, tree(2), { environments }).adopted).toHaveLength(2);
  });

  it('knows kprod\'s layout of earlier versions', () => {
    const envs = ['prod'];
    for (const f of [
      'prod/argocd/application_argocd_c1-cluster.yaml',
      'prod/c1/cluster/kubeadmcontrolplane_prod-c1_c1-control-plane.yaml',
      'prod/c1/addons/logging/daemonset_logging_fluent-bit.yaml',
      'prod/c1/tenants/payments/namespace_payments-prod.yaml',
      'prod/c1/kubeconfigs/payments.yaml',
      'prod/c1/runbooks/etcd-restore.md',
    ])
      expect([f, isLegacyKprodPath(f, envs)]).toEqual([f, true]);
    for (const f of ['README.md', 'prod/README.md', 'prod/c1/cluster/README.md', 'prod/c1/notes/x_y.yaml', 'staging/c1/cluster/cluster_x.yaml', 'prod/c1/addons/x/deep/er_x.yaml'])
      expect([f, isLegacyKprodPath(f, envs)]).toEqual([f, false]);
  });

  it('dry run never refuses: it reports the prune guard\'s violations, foreign files and conflicts, and writes nothing', () => {
    put(t.dir, 'README.md', 'repo\n');
    const first = writeTree(t.dir, tree(20), { dryRun: true });
    expect(first.foreign).toEqual(['README.md']);
    expect(first.added).toHaveLength(20);
    expect(fs.readdirSync(t.dir)).toEqual(['README.md']);
    writeTree(t.dir, tree(20), { allowForeign: true });
    put(t.dir, 'prod/c1/addons/x/configmap_ns_new.yaml', 'hand-made\n');
    const before = snapshotTree(t.dir);
    const shrunk = tree(5);
    shrunk.set('prod/c1/addons/x/configmap_ns_new.yaml', 'kprod wants this path\n');
    const dry = writeTree(t.dir, shrunk, { dryRun: true });
    expect(dry.deleted).toHaveLength(15);
    expect(dry.violations).toEqual([expect.objectContaining({ folder: 'prod/c1', existing: 20, deleted: 15, reason: 'more than 30 % of its files' })]);
    expect(dry.conflicts).toEqual(['prod/c1/addons/x/configmap_ns_new.yaml']);
    expect(snapshotTree(t.dir)).toEqual(before);
  });
});
