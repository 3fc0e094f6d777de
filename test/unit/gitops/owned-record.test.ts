import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { blockOf, OwnedRecord } from '../../../lib/gitops/owned-record';
import { OWNED_FILE, OWNED_HEADER, ownedRecord, readOwned } from '../../../lib/gitops/ownership';
import { TreeWriter } from '../../../lib/gitops/tree-writer';
import { tempDirPerTest } from '../../helpers/tmp';

const PATHS = ['prod/README.md', 'prod/argocd/Application_c1-cni.yaml', 'prod/argocd/Application_c10-cni.yaml', 'prod/c1/cluster/a.yaml', 'prod/c1/tenants/t/b.yaml', 'prod/c10/cluster/a.yaml', 'prod/c1x', 'staging/c1/cluster/a.yaml'];

describe('OwnedRecord: the ownership record searched, not split', () => {
  it('groups paths in blocks by their first two segments', () => {
    expect(['prod/c1/cluster/a.yaml', 'prod/argocd/x.yaml', 'prod/README.md', 'top'].map(blockOf)).toEqual(['prod/c1/', 'prod/argocd/', 'prod/README.md', 'top']);
  });

  it('finds each block as one run: c1 apart from c10, a file of the environment on its own', () => {
    const record = new OwnedRecord(ownedRecord(PATHS));
    expect(record.normalized).toBe(true);
    expect(record.blockText('prod/c1/')).toBe('prod/c1/cluster/a.yaml\nprod/c1/tenants/t/b.yaml\n');
    expect([...record.paths('prod/argocd/')]).toEqual(['prod/argocd/Application_c1-cni.yaml', 'prod/argocd/Application_c10-cni.yaml']);
    expect([record.paths('prod/c1/').size, record.paths('prod/c10/').size, record.paths('prod/c2/').size, record.blockText('prod/README.md')]).toEqual([2, 1, 0, 'prod/README.md\n']);
    expect(record.blocks().map((b) => b.key)).toEqual(['prod/README.md', 'prod/argocd/', 'prod/c1/', 'prod/c10/', 'prod/c1x', 'staging/c1/']);
    expect(PATHS.every((p) => record.has(p))).toBe(true);
    expect(['prod/README', 'prod/c1/cluster', 'prod/c1', 'prod/c2/cluster/a.yaml', 'prod/README.md.bak'].some((p) => record.has(p))).toBe(false);
  });

  it('sorts a hand-edited record (unsorted, duplicates, comments, no final newline) and says it was not normalized', () => {
    const text = `# a comment\n${PATHS[3]}\n${PATHS[0]}\n\n${PATHS[3]}\n# another\n${PATHS[1]}`;
    const record = new OwnedRecord(text);
    expect(record.normalized).toBe(false);
    expect(record.text).toBe(ownedRecord([PATHS[0], PATHS[1], PATHS[3]]));
    // Trusted text is taken as it is (the caller knows kprod wrote it).
    expect(new OwnedRecord(OWNED_HEADER + 'b\na\n', true).body).toBe('b\na\n');
  });

  it('agrees with a plain set on random trees (blocks, ranges, membership)', () => {
    const segment = fc.stringMatching(/^[a-c0-9._-]{1,4}$/);
    const file = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(file, { maxLength: 60 }), fc.array(file, { maxLength: 20 }), (paths, probes) => {
        const record = new OwnedRecord(ownedRecord(paths));
        const sorted = [...paths].sort();
        // The blocks, in order, cover every line once.
        expect(record.blocks().flatMap((b) => record.body.slice(b.start, b.end).split('\n').filter(Boolean))).toEqual(sorted);
        for (const b of record.blocks()) {
          const expected = b.key.endsWith('/') ? sorted.filter((p) => p.startsWith(b.key)) : [b.key];
          expect(record.blockText(b.key)).toBe(expected.map((p) => `${p}\n`).join(''));
        }
        for (const p of [...probes, ...paths]) expect(record.has(p)).toBe(paths.includes(p));
      }),
      { numRuns: 300 },
    );
  });
});

describe('TreeWriter.keep: cached folders taken as whole blocks of the record', () => {
  const t = tempDirPerTest();
  const put = (rel: string) => {
    fs.mkdirSync(path.dirname(path.join(t.dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(t.dir, rel), `${rel}\n`);
  };
  const sortedText = (paths: string[]) => [...paths].sort().map((p) => `${p}\n`).join('');

  function written(paths: string[]): void {
    const w = new TreeWriter(t.dir);
    for (const p of paths) w.add(p, `${p}\n`);
    w.commit();
  }

  it('keeps whole clusters without rewriting the record; a removed cluster is deleted, a new one recorded', () => {
    const c1 = ['prod/c1/cluster/a.yaml', 'prod/c1/tenants/t/b.yaml'];
    const c2 = ['prod/c2/cluster/a.yaml'];
    const c3 = ['prod/c3/cluster/a.yaml'];
    written([...c1, ...c2, ...c3, 'prod/argocd/app-c1.yaml']);
    const before = fs.statSync(path.join(t.dir, OWNED_FILE)).mtimeMs;
    const same = new TreeWriter(t.dir);
    same.keep(sortedText([...c1, 'prod/argocd/app-c1.yaml']));
    same.keep(sortedText([...c2, ...c3]));
    expect(same.producedCount).toBe(5);
    expect(same.commit()).toMatchObject({ deleted: [], unchanged: 5, written: [] });
    expect(fs.statSync(path.join(t.dir, OWNED_FILE)).mtimeMs).toBe(before);

    const next = new TreeWriter(t.dir);
    next.keep(sortedText([...c1, 'prod/argocd/app-c1.yaml']));
    next.add('prod/c4/cluster/a.yaml', 'new\n');
    expect(next.commit()).toMatchObject({ deleted: ['prod/c2/cluster/a.yaml', 'prod/c3/cluster/a.yaml'], added: ['prod/c4/cluster/a.yaml'] });
    expect(readOwned(t.dir)).toEqual([...c1, 'prod/argocd/app-c1.yaml', 'prod/c4/cluster/a.yaml'].sort());
    expect(fs.existsSync(path.join(t.dir, c2[0]))).toBe(false);
  });

  it('a kept file the record lacks (a hand-edited record) is recorded again; a file made twice is refused', () => {
    const c1 = ['prod/c1/cluster/a.yaml', 'prod/c1/cluster/b.yaml'];
    c1.forEach(put);
    fs.mkdirSync(path.join(t.dir, '.kprod'), { recursive: true });
    fs.writeFileSync(path.join(t.dir, OWNED_FILE), ownedRecord([c1[0]]));
    const w = new TreeWriter(t.dir);
    w.keep(sortedText(c1));
    w.commit();
    expect(readOwned(t.dir)).toEqual(c1);

    const twice = new TreeWriter(t.dir);
    twice.keep(sortedText(c1));
    expect(() => twice.add(c1[1], 'again\n')).toThrow(`two objects map to ${c1[1]}`);
    expect(() => twice.keep(sortedText([c1[0]]))).toThrow(`two objects map to ${c1[0]}`);
  });

  it('a trusted record is not checked line by line; any other is', () => {
    written(['prod/c1/cluster/a.yaml']);
    const file = path.join(t.dir, OWNED_FILE);
    const w = new TreeWriter(t.dir);
    w.add('prod/c1/cluster/a.yaml', 'prod/c1/cluster/a.yaml\n');
    w.commit();
    const state = w.committedRecord!;
    expect(state).toEqual({ size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs, ascii: true });
    // Hand-edited into an unsorted record with the same size and mtime: trusted as kprod's (as the cache trusts files).
    fs.writeFileSync(file, `${OWNED_HEADER}prod/c2/x\nprod/c1/cluster/a.yaml\n`);
    const trustedWriter = () => new TreeWriter(t.dir, { trustedRecord: { size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs, ascii: true } });
    expect((trustedWriter() as unknown as { record: OwnedRecord }).record.normalized).toBe(true);
    expect((new TreeWriter(t.dir, { trustedRecord: state }) as unknown as { record: OwnedRecord }).record.normalized).toBe(false);
  });

});
