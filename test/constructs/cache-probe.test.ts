import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateFleet } from '../../bench/fleet-gen';
import { startCacheProbe } from '../../constructs/cache-probe';
import { defaultCacheDir, synth } from '../../constructs/synth';
import { clusterCacheKeys, pathsOf } from '../../constructs/synth-cache';
import { tempDirPerTest } from '../helpers/tmp';

jest.setTimeout(300_000);

describe('cache probe: which cached clusters are unchanged on disk', () => {
  const t = tempDirPerTest();
  const inputs = { kprodVersion: 'probe-test', capabilityKey: 'builtin-set' };

  it('finds the edited, resized, touched and deleted file and the damaged entry, on helper threads and without them', () => {
    const out = path.join(t.dir, 'dist');
    const input = generateFleet({ clusters: 6, tenants: 1, namespacesPerTenant: 1 });
    expect(synth(input, { outDir: out, ...inputs }).built).toBe(6);
    const cacheDir = defaultCacheDir(out);
    const keys = clusterCacheKeys(input, inputs)!;
    const intact = startCacheProbe(cacheDir, out, keys, 1_000).wait();
    expect(intact.every((e) => e !== undefined)).toBe(true);
    const fileOf = (c: number, i = 0) => path.join(out, pathsOf(intact[c]!.files)[i]);

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
    const inlineProbe = startCacheProbe(cacheDir, out, keys, 1_000);
    const threadedProbe = startCacheProbe(cacheDir, out, keys, 1);
    const [inline, threaded] = [inlineProbe.wait(), threadedProbe.wait()];
    // Both halves were answered by the helper threads, none by the calling thread.
    expect([inlineProbe.helped, threadedProbe.helped]).toEqual([0, 2]);
    expect(inline.map((e) => e !== undefined)).toEqual(expected);
    expect(threaded.map((e) => e !== undefined)).toEqual(expected);
    // What the helpers send back is the entry itself.
    expect(threaded[1]).toEqual(intact[1]);

    // The next synth rebuilds exactly those five clusters and restores the hand edits.
    const again = synth(input, { outDir: out, ...inputs });
    expect([again.built, again.cached]).toEqual([5, 1]);
    expect(startCacheProbe(cacheDir, out, keys, 1_000).wait().every((e) => e !== undefined)).toBe(true);
  });

  it('answers for no keys, and a cancelled probe answers nothing later', () => {
    expect(startCacheProbe(path.join(t.dir, 'none'), t.dir, [], 0).wait()).toEqual([]);
    const probe = startCacheProbe(path.join(t.dir, 'none'), t.dir, ['a'.repeat(64), 'b'.repeat(64)], 1);
    probe.cancel();
    // The helpers are gone: the calling thread probes their shares (no entries here).
    expect(probe.wait()).toEqual([undefined, undefined]);
    expect(probe.helped).toBe(0);
  });
});
