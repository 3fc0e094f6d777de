import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFleet } from '../../bench/fleet-gen';
import { chunkStarts, ownCopy, startCacheProbe, startProbeHelpers, type CacheProbe, type ProbeAnswer, type ProbedEntry } from '../../constructs/cache-probe';
import { defaultCacheDir, synth } from '../../constructs/synth';
import { cachedFiles, clusterCacheKeys, clusterCount, entryFile, pathsOf, readEntry, SynthCache, type CacheEntry } from '../../constructs/synth-cache';
import { keptRunsOf } from '../../lib/gitops/owned-record';
import { tempDirPerTest } from '../helpers/tmp';

jest.setTimeout(300_000);

/** What `wait` hands over, in one list. */
function waited(probe: CacheProbe): ProbeAnswer[] {
  const out: ProbeAnswer[] = [];
  probe.wait((some) => out.push(...some));
  return out;
}

/** Every answer of a probe by key index: what came in by `poll`, then the rest by `wait`. */
function answers(probe: CacheProbe): Array<ProbedEntry | undefined> {
  const out: Array<ProbedEntry | undefined> = new Array(probe.keys.length);
  for (const [i, entry] of [...probe.poll(), ...waited(probe)]) {
    if (i in out) throw new Error(`key ${i} answered twice`);
    out[i] = entry;
  }
  return out;
}

describe('cache probe: which cached clusters are unchanged on disk', () => {
  const t = tempDirPerTest();
  const inputs = { kprodVersion: 'probe-test', capabilityKey: 'builtin-set' };

  it('finds the edited, resized, touched and deleted file and the damaged entry, on helper threads and without them', () => {
    const out = path.join(t.dir, 'dist');
    const input = generateFleet({ clusters: 6, tenants: 1, namespacesPerTenant: 1 });
    expect(synth(input, { outDir: out, ...inputs }).built).toBe(6);
    const cacheDir = defaultCacheDir(out);
    const keys = clusterCacheKeys(input, inputs)!;
    const intact = answers(startCacheProbe(cacheDir, out, keys, { helpersFrom: 1_000 }));
    expect(intact.every((e) => e !== undefined)).toBe(true);
    const fileOf = (c: number, i = 0) => path.join(out, pathsOf(readEntry(cacheDir, keys[c])!.files)[i]);

    // Same size, other bytes: an in-place edit moves the mtime.
    const edited = fileOf(0, 3);
    fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace(/[a-z]/, (ch) => (ch === 'x' ? 'y' : 'x')));
    fs.appendFileSync(fileOf(2, 5), '# more\n');
    const touched = fileOf(3, 1);
    fs.utimesSync(touched, fs.statSync(touched).atime, new Date(0));
    fs.rmSync(fileOf(4, 2));
    // Cluster 5's entry loses its last bytes.
    const entry = path.join(cacheDir, keys[5].slice(0, 2), `${keys[5]}.entry`);
    fs.writeFileSync(entry, fs.readFileSync(entry, 'utf8').slice(0, -10));

    const expected = [false, true, false, false, false, false];
    const inlineProbe = startCacheProbe(cacheDir, out, keys, { helpersFrom: 1_000 });
    const threadedProbe = startCacheProbe(cacheDir, out, keys, { helpersFrom: 1, callingThreadTakes: false });
    const [inline, threaded] = [answers(inlineProbe), answers(threadedProbe)];
    // The one chunk of six keys was answered by a helper thread, not by the calling thread.
    expect([inlineProbe.helped, threadedProbe.helped]).toEqual([0, 1]);
    expect(inline.map((e) => e !== undefined)).toEqual(expected);
    expect(threaded.map((e) => e !== undefined)).toEqual(expected);
    // What the helpers send back is the entry without its file states (they were checked).
    expect(threaded[1]).toEqual(intact[1]);
    // Nor the paths of the cluster's folder, which match the ownership record's block: only its Argo CD share.
    const { sorted, runs } = readEntry(cacheDir, keys[1])!.files;
    expect(runs.map(([key]) => key)).toEqual(['prod/argocd/', expect.stringMatching(/^prod\/c[0-9]+\/$/)]);
    expect(threaded[1]!.files).toEqual({ runs, texts: [keptRunsOf(sorted, runs).texts[0], undefined] });

    // The next synth rebuilds exactly those five clusters and restores the hand edits.
    const again = synth(input, { outDir: out, ...inputs });
    expect([again.built, again.cached]).toEqual([5, 1]);
    expect(answers(startCacheProbe(cacheDir, out, keys, { helpersFrom: 1_000 })).every((e) => e !== undefined)).toBe(true);
  });

  it('helpers answer in chunks that poll takes while the rest is probed; every key is answered once', () => {
    const keys = Array.from({ length: 240 }, (_, i) => i.toString(16).padStart(64, '0'));
    const probe = startCacheProbe(path.join(t.dir, 'none'), t.dir, keys, { helpersFrom: 1 });
    const early: number[] = [];
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    // Bounded: at most 15 s for the helpers (loaded from TypeScript sources here) to post a first chunk.
    for (let i = 0; i < 300 && early.length === 0; i++) {
      Atomics.wait(sleeper, 0, 0, 50);
      for (const [index] of probe.poll()) early.push(index);
    }
    expect(early.length).toBeGreaterThanOrEqual(25);
    const rest = waited(probe).map(([index]) => index);
    expect([...early, ...rest].sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
    // Chunks of 25: the helpers answered at least the ones polled; the calling thread may have taken the rest.
    expect(probe.helped).toBeGreaterThanOrEqual(early.length / 25);
    expect([probe.poll(), waited(probe)]).toEqual([[], []]);
  });

  it('a kept run is copied exactly, whatever its characters (a lone surrogate too)', () => {
    for (const text of ['prod/argocd/application_argocd_c1-cni.yaml\n', 'prod/größe/✓.yaml\n', 'a\ud800b\n', '\udfff', ''.padEnd(5000, 'x')]) expect(ownCopy(text)).toBe(text);
  });

  it('chunks of 25 keys, the last 100 in fives; wait hands each over as it comes in', () => {
    expect([chunkStarts(0), chunkStarts(6), chunkStarts(100)]).toEqual([[0], [0, 6], [0, 25, 50, 75, 100]]);
    const starts = chunkStarts(1000);
    const sizes = starts.slice(1).map((end, i) => end - starts[i]);
    expect(sizes).toEqual([...Array(36).fill(25), ...Array(20).fill(5)]);
    const keys = Array.from({ length: 240 }, (_, i) => i.toString(16).padStart(64, '0'));
    const probe = startCacheProbe(path.join(t.dir, 'none'), t.dir, keys, { helpersFrom: 1 });
    const handed: number[][] = [];
    probe.wait((some) => handed.push(some.map(([index]) => index)));
    // 26 chunks (6 of up to 25, 20 of 5): the calling thread's own come one by one, the helpers' between them.
    expect(chunkStarts(240).length - 1).toBe(26);
    expect(handed.length).toBeGreaterThan(1);
    expect(handed.flat().sort((a, b) => a - b)).toEqual(keys.map((_, i) => i));
  });

  it('helpers started before the keys are hashed take the job when the probe starts; a probe that needs none stops them', () => {
    const keys = Array.from({ length: 60 }, (_, i) => i.toString(16).padStart(64, '0'));
    expect(startProbeHelpers(keys.length - 20)).toBeUndefined();
    const helpers = startProbeHelpers(keys.length)!;
    expect(helpers.started.length).toBeGreaterThan(0);
    const probe = startCacheProbe(path.join(t.dir, 'none'), t.dir, keys, { helpers, callingThreadTakes: false });
    expect(answers(probe)).toEqual(keys.map(() => undefined));
    // Every chunk (25, 25 and 10 keys) came from the helpers.
    expect([probe.helped, chunkStarts(keys.length)]).toEqual([3, [0, 25, 50, 60]]);
    const unused = startProbeHelpers(keys.length)!;
    expect(answers(startCacheProbe(path.join(t.dir, 'none'), t.dir, keys.slice(0, 3), { helpers: unused }))).toEqual([undefined, undefined, undefined]);
    expect(unused.started.every((h) => h.helper === undefined && h.port === undefined)).toBe(true);
  });

  it('counts the clusters a fleet input lists, and 0 for what is not shaped like one', () => {
    expect(clusterCount(generateFleet({ clusters: 7 }))).toBe(7);
    expect([clusterCount(undefined), clusterCount({ environments: 'x' }), clusterCount({ environments: [{ clusters: [1, 2] }, null, { clusters: {} }] })]).toEqual([0, 0, 2]);
    const throwing = { get environments(): unknown[] { throw new Error('no'); } };
    expect(clusterCount(throwing)).toBe(0);
  });

  it('answers for no keys, and a cancelled probe answers nothing later', () => {
    expect(answers(startCacheProbe(path.join(t.dir, 'none'), t.dir, [], { helpersFrom: 0 }))).toEqual([]);
    const probe = startCacheProbe(path.join(t.dir, 'none'), t.dir, ['a'.repeat(64), 'b'.repeat(64)], { helpersFrom: 1 });
    probe.cancel();
    // The helpers are gone: the calling thread probes their shares (no entries here).
    expect(answers(probe)).toEqual([undefined, undefined]);
    expect(probe.helped).toBe(0);
  });

  it('an entry larger than the reused read buffer reads back whole, and a small one read after it has only its own bytes', () => {
    const dir = path.join(t.dir, 'cache');
    const cache = new SynthCache(dir);
    const many = Array.from({ length: 6000 }, (_, i) => `prod/c1/tenants/t${i}/resourcequota_t${i}-ns_compute.yaml`);
    const entryOf = (paths: string[]): CacheEntry => ({ files: cachedFiles({ paths, sizes: paths.map((_, i) => i), mtimes: paths.map(() => 1796173799316.25) }), folders: [], objects: paths.length, summary: [], chartRepos: [], indexRow: [] });
    const [big, small] = ['d'.repeat(64), 'e'.repeat(64)];
    cache.stage(big, entryOf(many));
    cache.stage(small, entryOf(['prod/c1/cluster/x.yaml']));
    cache.publish();
    expect(fs.statSync(entryFile(dir, big)).size).toBeGreaterThan(1 << 18);
    expect([readEntry(dir, big), readEntry(dir, small), readEntry(dir, big)]).toEqual([entryOf(many), entryOf(['prod/c1/cluster/x.yaml']), entryOf(many)]);
  });

  it('entries read back exactly: ASCII ones decoded as Latin-1, others as UTF-8; a changed byte makes them unusable', () => {
    const dir = path.join(t.dir, 'cache');
    const cache = new SynthCache(dir);
    const entry = (text: string): CacheEntry => ({
      files: cachedFiles({ paths: [`prod/c1/cluster/${text}.yaml`, 'prod/c1/tenants/t/x.yaml'], sizes: [10, 20], mtimes: [1796173799316.1467, 1796173799316.25] }),
      folders: [['prod/c1', 'cluster', 1]],
      objects: 2,
      summary: [`summary ${text}`],
      chartRepos: [],
      indexRow: [`[c1](c1/README.md)`, text],
    });
    const [ascii, other] = ['a'.repeat(64), 'b'.repeat(64)];
    cache.stage(ascii, entry('plain'));
    cache.stage(other, entry('größe-§-✓'));
    cache.publish();
    expect([readEntry(dir, ascii), readEntry(dir, other)]).toEqual([entry('plain'), entry('größe-§-✓')]);
    // Other characters of the summaries are escaped, so such an entry stays ASCII.
    const section = 'c'.repeat(64);
    cache.stage(section, { ...entry('plain'), summary: ['3 × 4 → größe'] });
    cache.publish();
    expect(JSON.parse(fs.readFileSync(entryFile(dir, section), 'utf8').split('\n')[0]).ascii).toBe(true);
    expect(readEntry(dir, section)?.summary).toEqual(['3 × 4 → größe']);
    const file = entryFile(dir, other);
    const bytes = fs.readFileSync(file);
    // The header is not hashed: one that says ASCII over UTF-8 bytes must not decode them as Latin-1.
    const [header, ...rest] = bytes.toString('utf8').split('\n');
    expect(JSON.parse(header).ascii).toBe(false);
    fs.writeFileSync(file, [header.replace('"ascii":false', '"ascii":true'), ...rest].join('\n'));
    expect(readEntry(dir, other)).toBeUndefined();
    bytes[bytes.length - 3] ^= 1;
    fs.writeFileSync(file, bytes);
    expect(readEntry(dir, other)).toBeUndefined();
  });
});
