import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { blockDigest, blockOf, IndexedRecord, keptRunsOf, OwnedRecord, storedRuns, type RecordState } from '../../../lib/gitops/owned-record';
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
  const sortedText = (paths: string[]) => keptRunsOf([...paths].sort().map((p) => `${p}\n`).join(''));

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
    const w = new TreeWriter(t.dir, { recordState: true });
    w.add('prod/c1/cluster/a.yaml', 'prod/c1/cluster/a.yaml\n');
    w.commit();
    const state = w.committedRecord!;
    const header = Buffer.byteLength(OWNED_HEADER);
    expect(state).toEqual({ size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs, ascii: true, blocks: [['prod/c1/', header, state.size, blockDigest('prod/c1/cluster/a.yaml\n')]] });
    // Hand-edited into an unsorted record with the same size and mtime: trusted as kprod's (as the cache trusts files).
    fs.writeFileSync(file, `${OWNED_HEADER}prod/c2/x\nprod/c1/cluster/a.yaml\n`);
    const trustedWriter = () => new TreeWriter(t.dir, { trustedRecord: { size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs, ascii: true } });
    expect((trustedWriter() as unknown as { record: OwnedRecord }).record.normalized).toBe(true);
    expect((new TreeWriter(t.dir, { trustedRecord: state }) as unknown as { record: OwnedRecord }).record.normalized).toBe(false);
  });
});

describe('IndexedRecord: a record kprod wrote, read block by block through its index', () => {
  const t = tempDirPerTest();
  const segment = fc.stringMatching(/^[a-c0-9._-]{1,4}$/);
  // Non-ASCII segments too: the index counts bytes, the blocks count characters.
  const wide = fc.constantFrom('größe', '✓', 'é');
  const file = fc.array(fc.oneof({ weight: 5, arbitrary: segment }, { weight: 1, arbitrary: wide }), { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

  function indexed(paths: string[]): { whole: OwnedRecord; byBlock: IndexedRecord } {
    const text = ownedRecord(paths);
    const at = path.join(t.dir, 'owned');
    fs.writeFileSync(at, text);
    const whole = new OwnedRecord(text);
    const state: RecordState = { size: Buffer.byteLength(text), mtimeMs: 0, ascii: !/[^\x00-\x7f]/.test(text), blocks: whole.index() };
    return { whole, byBlock: new IndexedRecord(at, { ...state, blocks: state.blocks! }) };
  }

  it('answers as the record read whole does, on random trees with non-ASCII paths', () => {
    fc.assert(
      fc.property(fc.uniqueArray(file, { maxLength: 40 }), fc.array(file, { maxLength: 10 }), (paths, probes) => {
        const { whole, byBlock } = indexed(paths);
        expect(byBlock.keys()).toEqual(whole.keys());
        for (const key of [...whole.keys(), ...probes.map(blockOf)]) {
          expect(byBlock.blockText(key)).toBe(whole.blockText(key));
          expect(byBlock.digest(key)).toBe(whole.keys().includes(key) ? blockDigest(whole.blockText(key)) : undefined);
        }
        for (const p of [...probes, ...paths]) expect(byBlock.has(p)).toBe(whole.has(p));
        expect(byBlock.body).toBe(whole.body);
      }),
      { numRuns: 200 },
    );
  });

  it('an entry\'s runs carry the digests the index gives the same blocks', () => {
    const paths = ['prod/argocd/app-c1.yaml', 'prod/c1/cluster/a.yaml', 'prod/c1/tenants/größe/b.yaml'];
    const { byBlock } = indexed([...paths, 'prod/argocd/app-c2.yaml', 'prod/c2/cluster/a.yaml']);
    const runs = storedRuns(paths.map((p) => `${p}\n`).join(''));
    expect(runs.map(([key, lines]) => [key, lines])).toEqual([['prod/argocd/', 1], ['prod/c1/', 2]]);
    // The cluster's folder is its whole block; its Argo CD share is not.
    expect(runs.map(([key, , , digest]) => byBlock.digest(key) === digest)).toEqual([false, true]);
  });
});

describe('TreeWriter over an indexed record: the same results as over the record read whole', () => {
  const t = tempDirPerTest();
  const cluster = fc.constantFrom('c1', 'c2', 'c10', 'größe');
  const file = fc.tuple(cluster, fc.constantFrom('cluster/a.yaml', 'cluster/b.yaml', 'tenants/t/x.yaml')).map(([c, f]) => `prod/${c}/${f}`);
  const argocd = cluster.map((c) => `prod/argocd/app-${c}.yaml`);
  const tree = fc.uniqueArray(fc.oneof(file, argocd, fc.constant('prod/README.md')), { minLength: 1, maxLength: 14 });

  /** Writes `before`, then synthesizes `after` (kept by cluster where a cluster's files are as before, else added) with or without the index. */
  function transition(before: string[], after: string[], useIndex: boolean, omitTexts = false) {
    const dir = path.join(t.dir, useIndex ? 'indexed' : 'whole');
    fs.rmSync(dir, { recursive: true, force: true });
    const first = new TreeWriter(dir, { recordState: true });
    for (const p of before) first.add(p, `${p}\n`);
    first.commit();
    const w = new TreeWriter(dir, { recordState: true, allowPrune: true, trustedRecord: useIndex ? first.committedRecord : undefined });
    const byCluster = new Map<string, string[]>();
    for (const p of after) if (p.startsWith('prod/c') || p.startsWith('prod/g')) byCluster.set(blockOf(p), [...(byCluster.get(blockOf(p)) ?? []), p]);
    for (const [, files] of byCluster) {
      const own = files.sort();
      if (own.every((p) => before.includes(p))) {
        const kept = keptRunsOf(own.map((p) => `${p}\n`).join(''));
        // As the probe sends it: without the texts (kept refuses if it needs one), then with them.
        if (!omitTexts || !w.keep({ ...kept, texts: kept.texts.map(() => undefined) })) expect(w.keep(kept)).toBe(true);
      } else for (const p of own) w.add(p, `${p}\n`);
    }
    for (const p of after) if (!byCluster.get(blockOf(p))?.includes(p)) w.add(p, `${p}\n`);
    const result = w.commit();
    return { result, owned: readOwned(dir), state: w.committedRecord };
  }

  it('deletes, adds and records alike on random transitions, with and without the texts of runs that match', () => {
    fc.assert(
      fc.property(tree, tree, fc.boolean(), (before, after, omitTexts) => {
        const [whole, byIndex] = [transition(before, after, false), transition(before, after, true, omitTexts)];
        expect(byIndex.result).toEqual(whole.result);
        expect(byIndex.owned).toEqual(whole.owned);
        expect(byIndex.owned).toEqual([...after].sort());
        // The index after the synth describes the record as it stands.
        expect(byIndex.state!.blocks).toEqual(new OwnedRecord(ownedRecord(after)).index());
      }),
      { numRuns: 120 },
    );
  });
});
