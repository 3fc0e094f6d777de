import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFleet } from '../../bench/fleet-gen';
import { synthFleet } from '../../constructs/fleet';
import { defaultCacheDir, synth } from '../../constructs/synth';
import { clusterCacheKeys, readVerdict, STACK_ONLY_ENVIRONMENT_SETTINGS, storeVerdicts, SynthCache } from '../../constructs/synth-cache';
import { OWNED_FILE, OWNED_HEADER, ownedRecord, readOwned } from '../../lib/gitops';
import * as clockPast from '../../lib/gitops/clock-past';
import { OwnedRecord } from '../../lib/gitops/owned-record';
import { startCacheProbe, type CacheProbe, type ProbeAnswer } from '../../constructs/cache-probe';
import { streamSynth } from '../../constructs/stream-synth';
import { parseFleet } from '../../lib/spec';
import { laterFieldsLoaded } from '../../constructs/later-fields';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

jest.setTimeout(300_000);

/** The manifests of a tree (without kprod's own folder), path → content. */
const manifests = (dir: string) => new Map([...snapshotTree(dir)].filter(([f]) => !f.startsWith('.kprod/')).map(([f, { content }]) => [f, content]));

/** Every file under a cache folder's shards with this suffix (`.entry`: the entries; `.spec`: the verdicts). */
const entries = (dir: string, suffix = '.entry') =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((shard) => shard.isDirectory())
    .flatMap((shard) => fs.readdirSync(path.join(dir, shard.name)).filter((n) => n.endsWith(suffix)).map((n) => path.join(dir, shard.name, n)));

/** A cached synth's tree must be byte for byte the cold, in-memory synth of the same spec. */
function expectCold(dir: string, input: unknown): void {
  const cold = synthFleet(parseFleet(input).spec).files;
  const tree = manifests(dir);
  expect([...tree.keys()].sort()).toEqual([...cold.keys()].sort());
  for (const [file, content] of cold) if (tree.get(file) !== content) throw new Error(`${file} differs from a cold synth`);
}

describe('incremental synth (cluster cache)', () => {
  const t = tempDirPerTest();

  it('entries are not kept when the clock did not pass the mtimes they record (clock-past.ts): the next synth builds again', () => {
    const out = path.join(t.dir, 'dist');
    const fleet = exampleFleet();
    const spy = jest.spyOn(clockPast, 'waitForClockPast').mockReturnValue(false);
    try {
      expect(synth(fleet, { outDir: out }).built).toBe(2);
      expect(entries(defaultCacheDir(out))).toHaveLength(0);
    } finally {
      spy.mockRestore();
    }
    const next = synth(fleet, { outDir: out });
    expect([next.built, next.cached, next.written.length]).toEqual([2, 0, 0]);
    expect(entries(defaultCacheDir(out))).toHaveLength(2);
    expect(synth(fleet, { outDir: out }).cached).toBe(2);
  });

  it('example fleet: unchanged clusters come from the cache; tenant change, version bump, hand edit, corruption and deletion all give the cold bytes', () => {
    const out = path.join(t.dir, 'dist');
    const fleet = exampleFleet();
    const first = synth(fleet, { outDir: out });
    expect([first.built, first.cached]).toEqual([2, 0]);
    expect(fs.readFileSync(path.join(out, '.kprod/.gitignore'), 'utf8')).toBe('cache/\n.clock-*\n');
    expect(entries(defaultCacheDir(out))).toHaveLength(2);
    // Entries are not JSON documents, so they do not end in .json (tools read every .json under dist/).
    expect(entries(defaultCacheDir(out)).every((f) => f.endsWith('.entry'))).toBe(true);

    const again = synth(fleet, { outDir: out });
    expect([again.built, again.cached, again.written.length]).toEqual([0, 2, 0]);
    expect(again.summary).toEqual(first.summary);
    expect(again.objects).toBe(first.objects);

    fleet.environments[1].clusters[0].tenants[0].quota['requests.cpu'] = '43';
    const tenant = synth(fleet, { outDir: out });
    expect([tenant.built, tenant.cached]).toEqual([1, 1]);
    // The quota file, and the cluster's reviewer page, which shows the tenant's quota.
    expect(tenant.written).toEqual(['staging/dc1/README.md', 'staging/dc1/tenants/payments/resourcequota_payments-staging_compute.yaml']);
    expectCold(out, fleet);
    // The old entry of the changed cluster was replaced, not kept beside it.
    expect(entries(defaultCacheDir(out))).toHaveLength(2);

    // An upgrade of kprod (another code hash) rebuilds every cluster.
    const upgraded = synth(fleet, { outDir: out, kprodVersion: 'kprod-next' });
    expect([upgraded.built, upgraded.cached]).toEqual([2, 0]);
    // So does another capability set.
    expect(synth(fleet, { outDir: out, kprodVersion: 'kprod-next', capabilityKey: 'with-extension' }).built).toBe(2);

    // A file edited by hand in a cached cluster: that cluster is rebuilt and the file restored.
    const edited = path.join(out, 'prod/eu-west-1/tenants/payments/namespace_payments-prod.yaml');
    const original = fs.readFileSync(edited, 'utf8');
    fs.writeFileSync(edited, original.replace('payments-prod', 'payments-prdo'));
    const restored = synth(fleet, { outDir: out });
    expect(restored.changed).toEqual(['prod/eu-west-1/tenants/payments/namespace_payments-prod.yaml']);
    expect(fs.readFileSync(edited, 'utf8')).toBe(original);

    // Garbage in one entry, a valid-looking entry whose body does not match its hash in the other.
    const [a, b] = entries(defaultCacheDir(out));
    fs.writeFileSync(a, '\u0000not json{');
    fs.writeFileSync(b, fs.readFileSync(b, 'utf8').replace('"objects":', '"objects":1'));
    const corrupted = synth(fleet, { outDir: out });
    expect([corrupted.built, corrupted.cached, corrupted.written.length]).toEqual([2, 0, 0]);
    expect(corrupted.objects).toBe(tenant.objects);
    expectCold(out, fleet);

    fs.rmSync(defaultCacheDir(out), { recursive: true });
    const deleted = synth(fleet, { outDir: out });
    expect([deleted.built, deleted.written.length]).toEqual([2, 0]);
    expect(synth(fleet, { outDir: out, cache: false }).built).toBe(2);
  });

  it('a cache folder the user names is used instead, and never pruned', () => {
    const cacheDir = path.join(t.dir, 'shared-cache');
    synth(exampleFleet(), { outDir: path.join(t.dir, 'a'), cacheDir });
    expect(fs.existsSync(defaultCacheDir(path.join(t.dir, 'a')))).toBe(false);
    expect(entries(cacheDir)).toHaveLength(2);
    // Another output folder: the entries' file states do not match there, so it builds, byte-identical.
    const other = synth(exampleFleet(), { outDir: path.join(t.dir, 'b'), cacheDir });
    expect(other.built).toBe(2);
    expect(manifests(path.join(t.dir, 'b'))).toEqual(manifests(path.join(t.dir, 'a')));
  });

  it('keys a cluster by its own spec and the fleet- and environment-level inputs, not by its neighbours', () => {
    const input: any = generateFleet({ clusters: 4, tenants: 1, namespacesPerTenant: 1 });
    // Keys come from the input as given (env by env), so that the cache is probed while the spec validates.
    const key = (i: typeof input, e: number, c: number) => {
      const at = i.environments.slice(0, e).reduce((n: number, env: { clusters: unknown[] }) => n + env.clusters.length, 0) + c;
      return clusterCacheKeys(i, { kprodVersion: 'v' })![at];
    };
    const base = [key(input, 0, 0), key(input, 0, 1), key(input, 1, 0)];
    const neighbour = structuredClone(input);
    neighbour.environments[0].clusters[1].tenants[0].quota['requests.cpu'] = '7';
    expect([key(neighbour, 0, 0), key(neighbour, 0, 1), key(neighbour, 1, 0)]).toEqual([base[0], expect.not.stringMatching(base[1]), base[2]]);
    const skus = structuredClone(input);
    skus.skus['general-8x32'].memory = '64Gi';
    expect(key(skus, 1, 0)).not.toBe(base[2]);
    const gitops = structuredClone(input);
    gitops.environments[0].gitops.targetRevision = 'release';
    expect([key(gitops, 0, 0), key(gitops, 1, 0)]).toEqual([expect.not.stringMatching(base[0]), base[2]]);
    // The Argo CD controller's settings are the bootstrap stack's: no cluster file reads them, so no key does
    // (the next test checks that the files indeed do not change).
    const controller = structuredClone(input);
    controller.environments[0].gitops.argocd = { ...controller.environments[0].gitops.argocd, controller: { replicas: 2, statusProcessors: 80 } };
    expect([key(controller, 0, 0), key(controller, 0, 1)]).toEqual([base[0], base[1]]);
    // A copy of the same input gives the same keys; another kprod version or capability set, other keys.
    expect([key(structuredClone(input), 0, 0), key(structuredClone(input), 1, 0)]).toEqual([base[0], base[2]]);
    expect(clusterCacheKeys(input, { kprodVersion: 'w' })![0]).not.toBe(base[0]);
    expect(clusterCacheKeys(input, { kprodVersion: 'v', capabilityKey: 'other' })![0]).not.toBe(base[0]);
    // Input that is not shaped like a fleet (it will not validate) has no keys: it is built without the cache.
    expect([clusterCacheKeys('fleet'), clusterCacheKeys({ environments: [{ clusters: 'x' }] }), clusterCacheKeys({ environments: [{ clusters: [{ replicas: 1n }] }] })]).toEqual([undefined, undefined, undefined]);
  });

  it('the settings left out of the keys change no file of the tree', () => {
    const input: any = generateFleet({ clusters: 3, tenants: 1, namespacesPerTenant: 1 });
    const a = path.join(t.dir, 'a');
    const b = path.join(t.dir, 'b');
    synth(input, { outDir: a, cache: false });
    for (const env of input.environments) env.gitops.argocd = { ...env.gitops.argocd, controller: { replicas: 2, statusProcessors: 90, operationProcessors: 40, shardingAlgorithm: 'round-robin', shards: 'argocd' } };
    synth(input, { outDir: b, cache: false });
    expect(STACK_ONLY_ENVIRONMENT_SETTINGS).toEqual(['gitops.argocd.controller']);
    expect(manifests(b)).toEqual(manifests(a));
  });

  it('200 generated clusters: one cluster and one tenant changed rebuild two clusters; corrupted entries and verdicts and a version bump stay byte-identical', () => {
    const out = path.join(t.dir, 'dist');
    const input: any = generateFleet({ clusters: 200, tenants: 1, namespacesPerTenant: 1 });
    expect(synth(input, { outDir: out }).built).toBe(200);
    input.environments[0].clusters[10].nodePools[1].replicas = 4;
    input.environments[1].clusters[50].tenants[0].quota['requests.cpu'] = '5';
    const changed = synth(input, { outDir: out });
    expect([changed.built, changed.cached]).toEqual([2, 198]);
    // The two clusters' files (their reviewer pages among them) and prod's index page (the resized pool's row); a quota is not on the index.
    expect(new Set(changed.written.map((f) => f.split('/').slice(0, 2).join('/')))).toEqual(new Set(['prod/README.md', 'prod/c0020', 'staging/c0101']));
    expect(changed.written.filter((f) => f.endsWith('/README.md')).sort()).toEqual(['prod/README.md', 'prod/c0020/README.md', 'staging/c0101/README.md']);
    expectCold(out, input);
    const cache = defaultCacheDir(out);
    const some = entries(cache).slice(0, 3);
    for (const f of some) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').slice(0, 100));
    // Damaged verdicts (of other clusters) only cost their clusters a validation.
    for (const f of entries(cache, '.spec').slice(-5)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace('"name"', '"nam"'));
    const corrupted = synth(input, { outDir: out });
    expect([corrupted.built, corrupted.written.length, corrupted.deleted.length]).toEqual([3, 0, 0]);
    const bumped = synth(input, { outDir: out, kprodVersion: 'next' });
    // Rebuilt from scratch, nothing to write: the tree already was the cold synth's (checked above).
    expect([bumped.built, bumped.written.length, bumped.deleted.length]).toEqual([200, 0, 0]);
  });

  it('remembers the ownership record it wrote; a record edited since is checked, sorted again and rewritten', () => {
    const out = path.join(t.dir, 'dist');
    const fleet = exampleFleet();
    synth(fleet, { outDir: out });
    const record = path.join(out, OWNED_FILE);
    const cache = new SynthCache(defaultCacheDir(out));
    // Its size, mtime and block index (byte ranges and digests of the record as it stands).
    const stateOf = (f: string) => ({ size: fs.statSync(f).size, mtimeMs: fs.statSync(f).mtimeMs, ascii: true, blocks: new OwnedRecord(fs.readFileSync(f, 'utf8')).index() });
    expect(cache.recordState(out)).toEqual(stateOf(record));
    expect(cache.recordState(path.join(t.dir, 'elsewhere'))).toBeUndefined();
    // A merge left the record unsorted: the next synth (all clusters cached) restores kprod's order.
    const lines = readOwned(out)!;
    fs.writeFileSync(record, `${OWNED_HEADER}${[...lines].reverse().join('\n')}\n`);
    const again = synth(fleet, { outDir: out });
    expect([again.built, again.deleted.length, again.conflicts.length]).toEqual([0, 0, 0]);
    expect(fs.readFileSync(record, 'utf8')).toBe(ownedRecord(lines));
    expect(cache.recordState(out)).toEqual(stateOf(record));
  });

  it('a cluster whose folder the probe matched by digest, in a record edited before the writer read it, is kept from its entry read again', () => {
    const out = path.join(t.dir, 'dist');
    const input = generateFleet({ clusters: 3, tenants: 1, namespacesPerTenant: 1 });
    const inputs = { kprodVersion: 'refetch-test', capabilityKey: 'builtin' };
    synth(input, { outDir: out, ...inputs });
    const keys = clusterCacheKeys(input, inputs)!;
    const cacheDir = defaultCacheDir(out);
    // The probe answers while the record is as kprod wrote it: the clusters' folders come without their paths.
    const real = startCacheProbe(cacheDir, out, keys, { helpersFrom: 1 });
    const answered: ProbeAnswer[] = [];
    real.wait((some) => answered.push(...some));
    expect(answered.every(([, entry]) => entry && entry.files.texts.includes(undefined))).toBe(true);
    // Then the record loses a line of the first cluster's folder (a hand edit): the writer reads it whole.
    const record = path.join(out, OWNED_FILE);
    const lines = readOwned(out)!;
    const dropped = lines.find((l) => /^prod\/c[0-9]+\/cluster\//.test(l))!;
    fs.writeFileSync(record, ownedRecord(lines.filter((l) => l !== dropped)));
    const probe: CacheProbe = { keys, hasEntry: real.hasEntry, poll: () => [], wait: (take) => take(answered), cancel: () => undefined, helped: 0 };
    const before = manifests(out);
    const result = streamSynth(parseFleet(input).spec, out, { ...inputs, cacheDir, cacheProbe: probe });
    expect([result.built, result.cached, result.write.written.length, result.write.deleted.length]).toEqual([0, 3, 0, 0]);
    expect(readOwned(out)).toEqual(lines);
    expect(manifests(out)).toEqual(before);
  });

  it('keeps each cluster\'s verdict beside its entry: the next synth takes it instead of parsing the cluster again; a damaged one is ignored, an unused one pruned', () => {
    const out = path.join(t.dir, 'dist');
    const input: any = generateFleet({ clusters: 3, tenants: 1, namespacesPerTenant: 1 });
    input.environments[0].clusters[0].tenants[0].owners = { groups: [], users: [] };
    const inputs = { kprodVersion: 'verdict-test', capabilityKey: 'builtin' };
    const first = synth(input, { outDir: out, ...inputs });
    const keys = clusterCacheKeys(input, inputs)!;
    const cacheDir = defaultCacheDir(out);
    const verdicts = keys.map((k) => readVerdict(cacheDir, k));
    expect(verdicts.map((v) => v?.spec.name)).toEqual(input.environments.flatMap((e: any) => e.clusters.map((c: any) => c.name)));
    expect(verdicts[0]!.warnings.map((w) => w.path)).toEqual(['.tenants[0].owners']);
    // A verdict no parse would give (its warning reworded): the next synth reports it, so it stood in for the cluster.
    storeVerdicts(cacheDir, [[keys[0], { ...verdicts[0]!, warnings: verdicts[0]!.warnings.map((w) => ({ ...w, message: 'as stored' })) }]]);
    const verdictFile = (k: string) => path.join(cacheDir, k.slice(0, 2), `${k}.spec`);
    fs.writeFileSync(verdictFile(keys[1]), fs.readFileSync(verdictFile(keys[1]), 'utf8').slice(0, -20));
    const tree = manifests(out);
    const again = synth(input, { outDir: out, ...inputs });
    expect(again.warnings).toEqual(first.warnings.map((w) => w.replace(/names no group or user[^(]*/, 'as stored ')));
    expect([again.built, again.written.length]).toEqual([0, 0]);
    expect(manifests(out)).toEqual(tree);
    // The damaged verdict was replaced by a new one; a verdict of a key no synth uses is pruned.
    expect(readVerdict(cacheDir, keys[1])?.spec.name).toBe(verdicts[1]!.spec.name);
    storeVerdicts(cacheDir, [['f'.repeat(64), verdicts[2]!]]);
    synth(input, { outDir: out, ...inputs });
    expect(fs.existsSync(verdictFile('f'.repeat(64)))).toBe(false);
    expect(keys.every((k) => fs.existsSync(verdictFile(k)))).toBe(true);
  });

  it('a verdict gives back the spec it stored, keys in order; its large fields are parsed when read, and a one-tenant change reads none of the cached clusters\'', () => {
    const out = path.join(t.dir, 'dist');
    const input: any = generateFleet({ clusters: 4 });
    const inputs = { kprodVersion: 'later-test', capabilityKey: 'builtin' };
    synth(input, { outDir: out, ...inputs });
    const cacheDir = defaultCacheDir(out);
    const keys = clusterCacheKeys(input, inputs)!;
    const resolved = parseFleet(input, { freeze: false }).spec.environments.flatMap((e) => e.clusters);
    const verdict = readVerdict(cacheDir, keys[1])!;
    // Tenants are the bulk of a spec: stored on their own line, a getter until read.
    expect(typeof Object.getOwnPropertyDescriptor(verdict.spec, 'tenants')?.get).toBe('function');
    expect(typeof Object.getOwnPropertyDescriptor(verdict.spec, 'name')?.value).toBe('string');
    const before = laterFieldsLoaded();
    expect(verdict.spec.tenants).toEqual(resolved[1].tenants);
    expect(verdict.spec.tenants).toBe(verdict.spec.tenants);
    expect(laterFieldsLoaded()).toBe(before + 1);
    expect(JSON.stringify(verdict.spec)).toBe(JSON.stringify(resolved[1]));
    expect(structuredClone(verdict.spec)).toEqual(resolved[1]);
    // They are read from the file again: one changed since (or deleted) fails the read, not silently.
    const late = readVerdict(cacheDir, keys[2])!;
    const file = path.join(cacheDir, keys[2].slice(0, 2), `${keys[2]}.spec`);
    fs.writeFileSync(file, fs.readFileSync(file, 'latin1').replace('"tenants":null', '"tenants":null '), 'latin1');
    expect(() => late.spec.tenants).toThrow(`${file} changed while kprod read it; run the synth again`);
    fs.rmSync(file);

    // The everyday change: one tenant of the first cluster. The other clusters' verdicts stand in
    // for them, and neither validation nor the environment's pages read their large fields.
    input.environments[0].clusters[0].tenants[0].quota = { ...input.environments[0].clusters[0].tenants[0].quota, 'requests.cpu': '5' };
    const loadsBefore = laterFieldsLoaded();
    const changed = synth(input, { outDir: out, ...inputs });
    expect([changed.built, changed.cached]).toEqual([1, 3]);
    expect(laterFieldsLoaded()).toBe(loadsBefore);
    expectCold(out, input);
  });
});
