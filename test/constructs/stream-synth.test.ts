import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFleet } from '../../bench/fleet-gen';
import { CAPABILITIES, synthFleet, type CapabilityInput } from '../../constructs/fleet';
import { streamSynth, streamSynthAsync } from '../../constructs/stream-synth';
import { synth, synthAsync } from '../../constructs/synth';
import { ForeignFilesError, OWNED_FILE, readOwned } from '../../lib/gitops';
import { parseFleet, SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';
import { snapshotTree, tempDirPerTest } from '../helpers/tmp';

jest.setTimeout(120_000);

/** The tree without kprod's own folder. */
const manifests = (dir: string) => new Map([...snapshotTree(dir)].filter(([f]) => !f.startsWith('.kprod/')).map(([f, { content }]) => [f, content]));

/** The example fleet with most of prod/eu-west-1 removed: the prune guard refuses it. */
function shrunkFleet() {
  const smaller = exampleFleet();
  const c = smaller.environments[0].clusters[0];
  c.tenants = [];
  c.nodePools = c.nodePools.filter((p: { name: string }) => p.name === 'general');
  c.addons = { nodeProblemDetector: { enabled: false }, metricsServer: { enabled: false }, monitoring: { enabled: false }, clusterAutoscaler: { enabled: false } };
  return smaller;
}

describe('streaming synth', () => {
  const t = tempDirPerTest();

  it('writes exactly the files of the in-memory synthFleet, on one thread and on two', async () => {
    const { spec } = parseFleet(exampleFleet());
    const memory = synthFleet(spec);
    const serial = streamSynth(spec, path.join(t.dir, 'a'));
    expect(manifests(path.join(t.dir, 'a'))).toEqual(memory.files);
    expect(serial.objects).toBe(memory.objects);
    expect(serial.summary).toEqual(memory.summary);
    expect(readOwned(path.join(t.dir, 'a'))).toEqual([...memory.files.keys()]);
    const gen = parseFleet(generateFleet({ clusters: 3, tenants: 2 })).spec;
    const threaded = await streamSynthAsync(gen, path.join(t.dir, 'b'), { workers: 2 });
    expect(threaded.threads).toBe(2);
    expect(manifests(path.join(t.dir, 'b'))).toEqual(synthFleet(gen).files);
  });

  it('synthAsync with the built-in capabilities builds on the threads it is given (the CLI path), byte-identical to synth', async () => {
    const gen = generateFleet({ clusters: 3, tenants: 2 });
    const one = synth(gen, { outDir: path.join(t.dir, 'one') });
    const two = await synthAsync(gen, { outDir: path.join(t.dir, 'two'), workers: 2 });
    expect([one.threads, two.threads]).toEqual([1, 2]);
    expect(manifests(path.join(t.dir, 'two'))).toEqual(manifests(path.join(t.dir, 'one')));
  });

  it('over an existing tree, worker threads compare each cluster with the disk and run the update rules there', async () => {
    const out = path.join(t.dir, 'dist');
    const input: any = generateFleet({ clusters: 3, tenants: 2 });
    await synthAsync(input, { outDir: out, workers: 2, cache: false });
    const cold = manifests(out);
    // A hand edit of an owned file is restored; nothing else is written.
    const edited = [...cold.keys()].find((f) => f.startsWith('prod/c0000/tenants/'))!;
    fs.writeFileSync(path.join(out, edited), 'kind: Edited\n');
    const again = await synthAsync(input, { outDir: out, workers: 2, cache: false });
    expect([again.threads, again.written, again.unchanged]).toEqual([2, [edited], cold.size - 1 + again.adopted.length]);
    expect(manifests(out)).toEqual(cold);
    // A refused transition found in a worker stops the synth at the spec path; the tree stays as it was.
    input.environments[1].clusters[0].network.podCidr = '10.245.0.0/16';
    const refused = await synthAsync(input, { outDir: out, workers: 2, cache: false }).catch((e) => e);
    expect(refused).toBeInstanceOf(SpecError);
    expect(refused.message).toMatch(/environments\[1\]\.clusters\[0\]\.network\.podCidr/);
    expect(manifests(out)).toEqual(cold);
  });

  it('a failure in a later cluster leaves the previous tree as it was, with no staging folder left', () => {
    const out = path.join(t.dir, 'dist');
    synth(exampleFleet(), { outDir: out });
    const before = snapshotTree(out);
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].tenants[0].quota['requests.cpu'] = '41';
    const failing: CapabilityInput = (ctx) => {
      if (ctx.cluster.name === 'dc1') throw new Error('boom in dc1');
    };
    expect(() => streamSynth(parseFleet(fleet).spec, out, { capabilities: [...CAPABILITIES, failing] })).toThrow('boom in dc1');
    expect(snapshotTree(out)).toEqual(before);
    expect(fs.readdirSync(t.dir)).toEqual(['dist']);
  });

  it('capabilities get a frozen spec, although synth parses the fleet unfrozen and freezes only what it builds', () => {
    const out = path.join(t.dir, 'dist');
    const seen: string[] = [];
    const mutating: CapabilityInput = (ctx) => {
      seen.push(ctx.cluster.name);
      const tenant = ctx.cluster.tenants[0] as { name: string } | undefined;
      if (tenant) expect(() => (tenant.name = 'other')).toThrow(TypeError);
      expect(() => ((ctx.environment as { name: string }).name = 'other')).toThrow(TypeError);
      expect(() => (ctx.fleet.environments as unknown[]).push({})).toThrow(TypeError);
      expect(() => ((ctx.fleet.skus as Record<string, unknown>).extra = {})).toThrow(TypeError);
    };
    synth(exampleFleet(), { outDir: out, capabilities: { add: [{ id: 'mutating', build: mutating }] } });
    expect(seen.sort()).toEqual(['dc1', 'eu-west-1']);
    expect(Object.isFrozen(parseFleet(exampleFleet(), { freeze: false }).spec)).toBe(false);
  });

  it('--only builds one cluster and touches nothing else: other clusters, the argocd folder, the ownership of others', () => {
    const out = path.join(t.dir, 'dist');
    synth(exampleFleet(), { outDir: out });
    const before = snapshotTree(out);
    const fleet = exampleFleet();
    fleet.environments[0].clusters[0].tenants[0].quota['requests.cpu'] = '41';
    fleet.environments[1].clusters[0].tenants[0].quota['requests.cpu'] = '42';
    const report = synth(fleet, { outDir: out, only: 'staging/dc1' });
    // The tenant's quota and the cluster's reviewer page, which shows it.
    expect(report.written).toEqual(['staging/dc1/README.md', 'staging/dc1/tenants/payments/resourcequota_payments-staging_compute.yaml']);
    const after = snapshotTree(out);
    for (const [file, entry] of before) if (!file.startsWith('staging/dc1/')) expect([file, after.get(file)]).toEqual([file, entry]);
    expect(() => synth(fleet, { outDir: out, only: 'staging/nope' })).toThrow(/no such cluster; one of prod\/eu-west-1, staging\/dc1/);
  });
});

describe('synth and the files it does not own', () => {
  const t = tempDirPerTest();

  it('refuses a repository folder at first, then with allowForeign keeps its files through synths, prunes and failed synths', () => {
    fs.writeFileSync(path.join(t.dir, 'README.md'), '# platform fleet\n');
    fs.mkdirSync(path.join(t.dir, 'docs'));
    fs.writeFileSync(path.join(t.dir, 'docs', 'onboarding.md'), 'how to\n');
    expect(() => synth(exampleFleet(), { outDir: t.dir })).toThrow(ForeignFilesError);
    expect(fs.readdirSync(t.dir).sort()).toEqual(['README.md', 'docs']);
    synth(exampleFleet(), { outDir: t.dir, allowForeign: true });
    expect(fs.existsSync(path.join(t.dir, OWNED_FILE))).toBe(true);
    // A failed synth (invalid spec) and a refused prune leave everything in place.
    const before = snapshotTree(t.dir);
    const bad = exampleFleet();
    bad.environments[0].clusters[0].network.podCidr = 'nonsense';
    expect(() => synth(bad, { outDir: t.dir })).toThrow(/podCidr/);
    expect(() => synth(shrunkFleet(), { outDir: t.dir })).toThrow(/refusing to delete/);
    expect(snapshotTree(t.dir)).toEqual(before);
    // An allowed prune deletes kprod's files only.
    const pruned = synth(shrunkFleet(), { outDir: t.dir, allowPrune: true });
    expect(pruned.deleted.length).toBeGreaterThan(20);
    expect(fs.readFileSync(path.join(t.dir, 'README.md'), 'utf8')).toBe('# platform fleet\n');
    expect(fs.readFileSync(path.join(t.dir, 'docs', 'onboarding.md'), 'utf8')).toBe('how to\n');
  });

  it('dry run after a synth reports, file by file, what would change and what the prune guard would refuse', () => {
    synth(exampleFleet(), { outDir: t.dir });
    const before = snapshotTree(t.dir);
    const dry = synth(shrunkFleet(), { outDir: t.dir, dryRun: true });
    // The cluster folder and the environment's Argo CD folder both lose more than 30 %.
    expect(dry.violations.map((v) => v.folder)).toEqual(['prod/argocd', 'prod/eu-west-1']);
    expect(dry.deleted).toContain('prod/eu-west-1/tenants/payments/namespace_payments-prod.yaml');
    expect(dry.deleted).toContain('prod/argocd/application_argocd_eu-west-1-tenant-payments.yaml');
    expect(snapshotTree(t.dir)).toEqual(before);
  });
});
