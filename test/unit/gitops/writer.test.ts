import * as fs from 'node:fs';
import * as path from 'node:path';
import { findMassDeletions, PruneRefusedError, objectFileName, writeTree } from '../../../lib/gitops';
import { compareWithFile } from '../../../lib/gitops/tree-writer';
import { snapshotTree, tempDirPerTest } from '../../helpers/tmp';

describe('objectFileName', () => {
  it('keeps same-named objects of different namespaces apart (cdk8s issue 2821)', () => {
    const a = objectFileName({ kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-a' } });
    const b = objectFileName({ kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'team-b' } });
    expect(a).toBe('configmap_team-a_settings.yaml');
    expect(b).toBe('configmap_team-b_settings.yaml');
    expect(objectFileName({ kind: 'ClusterRole', metadata: { name: 'kprod:namespace-admin' } })).toBe('clusterrole_kprod%3Anamespace-admin.yaml');
  });
});

describe('writeTree', () => {
  const t = tempDirPerTest();

  const tree = (n: number, prefix = 'prod/c1/addons/x') => new Map(Array.from({ length: n }, (_, i) => [`${prefix}/f${i}.yaml`, `v: ${i}\n`]));

  it('writes new files, leaves identical ones alone and deletes what is gone', () => {
    const first = writeTree(t.dir, tree(4));
    expect(first.written).toHaveLength(4);
    const before = snapshotTree(t.dir);
    const files = tree(4);
    files.set('prod/c1/addons/x/f1.yaml', 'v: changed\n');
    files.delete('prod/c1/addons/x/f3.yaml');
    const second = writeTree(t.dir, files);
    expect(second.written).toEqual(['prod/c1/addons/x/f1.yaml']);
    expect(second.deleted).toEqual(['prod/c1/addons/x/f3.yaml']);
    expect(second.unchanged).toBe(2);
    const after = snapshotTree(t.dir);
    expect(after.get('prod/c1/addons/x/f0.yaml')!.mtimeMs).toBe(before.get('prod/c1/addons/x/f0.yaml')!.mtimeMs);
    expect(after.has('prod/c1/addons/x/f3.yaml')).toBe(false);
  });

  it('removes folders that become empty, and never touches dot-files', () => {
    writeTree(t.dir, new Map([...tree(2), ...tree(1, 'prod/c1/tenants/a')]));
    fs.writeFileSync(path.join(t.dir, '.keep'), 'x');
    writeTree(t.dir, tree(2));
    expect(fs.existsSync(path.join(t.dir, 'prod/c1/tenants'))).toBe(false);
    expect(fs.existsSync(path.join(t.dir, '.keep'))).toBe(true);
  });

  it('refuses to delete a large share of a cluster folder, writing nothing, unless allowed', () => {
    writeTree(t.dir, tree(20));
    const before = snapshotTree(t.dir);
    const shrunk = tree(10);
    shrunk.set('prod/c1/addons/x/new.yaml', 'v: new\n');
    expect(() => writeTree(t.dir, shrunk)).toThrow(PruneRefusedError);
    expect(() => writeTree(t.dir, shrunk)).toThrow(/prod\/c1: 10 of 20 files would be deleted \(more than 30 % of its files\):\n    - prod\/c1\/addons\/x\/f10\.yaml/);
    expect(snapshotTree(t.dir)).toEqual(before);
    const ok = writeTree(t.dir, shrunk, { allowPrune: true });
    expect(ok.deleted).toHaveLength(10);
    expect(ok.written).toEqual(['prod/c1/addons/x/new.yaml']);
  });

  it('moves a whole new tree into a missing or empty folder, keeping the folder and its mode', () => {
    const missing = path.join(t.dir, 'a', 'b', 'dist');
    const r = writeTree(missing, tree(3));
    expect(r.added).toHaveLength(3);
    expect(fs.readFileSync(path.join(missing, 'prod/c1/addons/x/f2.yaml'), 'utf8')).toBe('v: 2\n');
    const empty = path.join(t.dir, 'empty');
    fs.mkdirSync(empty, { mode: 0o700 });
    fs.chmodSync(empty, 0o700);
    writeTree(empty, tree(2));
    expect(fs.statSync(empty).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(empty).sort()).toEqual(['.kprod', 'prod']);
    // No staging folder is left beside the target.
    expect(fs.readdirSync(t.dir).filter((n) => n.includes('kprod-staging'))).toEqual([]);
  });

  it('keeps a .git folder when the tree is otherwise empty', () => {
    fs.mkdirSync(path.join(t.dir, '.git'));
    fs.writeFileSync(path.join(t.dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeTree(t.dir, tree(2));
    expect(fs.readFileSync(path.join(t.dir, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    // .git/HEAD, the two files, the ownership record and .kprod/.gitignore.
    expect([...snapshotTree(t.dir).keys()].sort()).toEqual(['.git/HEAD', '.kprod/.gitignore', '.kprod/owned', 'prod/c1/addons/x/f0.yaml', 'prod/c1/addons/x/f1.yaml']);
  });

  it('dry run reports changes and writes nothing', () => {
    const r = writeTree(t.dir, tree(3), { dryRun: true });
    expect(r.added).toEqual(['prod/c1/addons/x/f0.yaml', 'prod/c1/addons/x/f1.yaml', 'prod/c1/addons/x/f2.yaml']);
    expect(fs.readdirSync(t.dir)).toEqual([]);
    // Over an existing tree: one change, one addition, one deletion reported, nothing touched on disk.
    writeTree(t.dir, tree(3));
    const before = snapshotTree(t.dir);
    const files = tree(3);
    files.set('prod/c1/addons/x/f0.yaml', 'v: changed\n');
    files.set('prod/c1/addons/x/new.yaml', 'v: new\n');
    files.delete('prod/c1/addons/x/f2.yaml');
    const dry = writeTree(t.dir, files, { dryRun: true });
    expect(dry).toEqual({
      added: ['prod/c1/addons/x/new.yaml'],
      changed: ['prod/c1/addons/x/f0.yaml'],
      written: ['prod/c1/addons/x/f0.yaml', 'prod/c1/addons/x/new.yaml'],
      unchanged: 1,
      deleted: ['prod/c1/addons/x/f2.yaml'],
      violations: [],
      foreign: [],
      conflicts: [],
      adopted: [],
    });
    expect(snapshotTree(t.dir)).toEqual(before);
    expect(fs.readFileSync(path.join(t.dir, 'prod/c1/addons/x/f0.yaml'), 'utf8')).toBe('v: 0\n');
  });
});

describe('compareWithFile', () => {
  const t = tempDirPerTest();

  const utf8 = (text: string) => Buffer.from(text);

  it('compares the bytes a write would give: missing, same, other bytes of the same length, other length', () => {
    const file = path.join(t.dir, 'README.md');
    expect(compareWithFile(file, utf8('x'))).toBe('missing');
    fs.writeFileSync(file, '3 × `m5` → 4 Gi\n');
    expect(compareWithFile(file, utf8('3 × `m5` → 4 Gi\n'))).toBe('same');
    expect(compareWithFile(file, utf8('4 × `m5` → 4 Gi\n'))).toBe('different');
    expect(compareWithFile(file, utf8('3 x `m5` → 4 Gi\n'))).toBe('different');
  });

  it('finds a file with bytes that are not UTF-8 different from a text with U+FFFD (decoded, they were equal)', () => {
    const file = path.join(t.dir, 'broken.yaml');
    fs.writeFileSync(file, Buffer.from([0x61, 0xff, 0x0a]));
    expect(fs.readFileSync(file, 'utf8')).toBe('a\ufffd\n');
    expect(compareWithFile(file, utf8('a\ufffd\n'))).toBe('different');
  });

  it('throws what is not a missing file (a folder at the path)', () => {
    expect(() => compareWithFile(t.dir, utf8('x'))).toThrow(/EISDIR/);
  });
});

describe('findMassDeletions', () => {
  it('guards per cluster folder with a ratio and a minimum size', () => {
    const existing = [...Array(10).keys()].map((i) => `prod/a/cluster/${i}.yaml`).concat(['prod/b/cluster/0.yaml', 'prod/b/cluster/1.yaml']);
    expect(findMassDeletions(existing, ['prod/a/cluster/0.yaml', 'prod/a/cluster/1.yaml', 'prod/a/cluster/2.yaml'])).toEqual([]);
    expect(findMassDeletions(existing, existing.slice(0, 4))).toEqual([
      { folder: 'prod/a', existing: 10, deleted: 4, reason: 'more than 30 % of its files', files: existing.slice(0, 4) },
    ]);
    // Small folders are below the guard's minimum.
    expect(findMassDeletions(existing, ['prod/b/cluster/0.yaml', 'prod/b/cluster/1.yaml'])).toEqual([]);
  });

  it('always refuses to drop a Namespace, a CRD or a Cluster, however small the share', () => {
    const existing = [...Array(40).keys()].map((i) => `prod/a/tenants/t/configmap_ns_${i}.yaml`);
    existing.push('prod/a/tenants/t/namespace_team-a.yaml', 'prod/a/cluster/cluster_prod-a_a.yaml', 'prod/a/addons/x/customresourcedefinition_foos.example.com.yaml');
    for (const file of existing.slice(40)) {
      const [v] = findMassDeletions(existing, [file]);
      expect(v).toEqual(expect.objectContaining({ folder: 'prod/a', deleted: 1, reason: '1 Namespace/CRD/Cluster object(s)', files: [file] }));
    }
    // A ClusterRole is not a Cluster.
    expect(findMassDeletions([...existing, 'prod/a/addons/x/clusterrole_x.yaml'], ['prod/a/addons/x/clusterrole_x.yaml'])).toEqual([]);
  });

  describe('Argo CD objects that move to a per-cluster folder (gitops.argocd.layout)', () => {
    const apps = (dir: string, n: number) => [...Array(n).keys()].map((i) => `${dir}/application_argocd_c1-tenant-t${i}.yaml`);
    const flat = [...apps('prod/argocd', 12), 'prod/argocd/application_argocd_prod-root.yaml'];
    const perCluster = [...apps('prod/argocd/c1', 12), 'prod/argocd/application_argocd_prod-root.yaml', 'prod/argocd/application_argocd_c1-applications.yaml'];

    it('are not deletions: the same file names reappear under the environment argocd folder', () => {
      const deleted = apps('prod/argocd', 12);
      // Without the new tree the guard sees 12 of 13 files go.
      expect(findMassDeletions(flat, deleted)).toEqual([expect.objectContaining({ folder: 'prod/argocd', deleted: 12, existing: 13 })]);
      expect(findMassDeletions(flat, deleted, {}, perCluster)).toEqual([]);
      // And back.
      expect(findMassDeletions(perCluster, apps('prod/argocd/c1', 12), {}, flat)).toEqual([]);
    });

    it('a real removal still is: names that are gone, or that reappear in another environment or outside argocd/', () => {
      const deleted = apps('prod/argocd', 12);
      const elsewhere = [...apps('staging/argocd/c1', 12), ...apps('prod/c1/cluster', 12), 'prod/argocd/application_argocd_prod-root.yaml'];
      expect(findMassDeletions(flat, deleted, {}, elsewhere)).toEqual([expect.objectContaining({ folder: 'prod/argocd', deleted: 12 })]);
      // Half of them moved, half removed: only the removed ones count (6 of 13 is above 30 %).
      const half = [...apps('prod/argocd/c1', 6), 'prod/argocd/application_argocd_prod-root.yaml'];
      const [v] = findMassDeletions(flat, deleted, {}, half);
      expect(v).toEqual(expect.objectContaining({ deleted: 6, files: deleted.slice(6) }));
    });
  });
});
