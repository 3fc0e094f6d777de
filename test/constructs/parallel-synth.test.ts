import workerThreads = require('node:worker_threads');
import { generateFleet } from '../../bench/fleet-gen';
import { CAPABILITIES, synthFleet } from '../../constructs/fleet';
import { buildTask, runPool, synthFleetParallel, synthSpecParallel } from '../../constructs/parallel-synth';
import { clusterDirOf } from '../../lib/gitops';
import { parseFleet, SpecError } from '../../lib/spec';
import { exampleFleet } from '../helpers/fleet';

// Workers run from the TypeScript sources (transpiled on require), so the first start is slow.
jest.setTimeout(60_000);

/** Files in order, so a difference in content, name or order fails. */
const entries = (files: Map<string, string>) => [...files.entries()];

describe('synthFleetParallel', () => {
  it('writes byte-identical files, summary and object count for the example fleet on 2 threads', async () => {
    const { spec } = parseFleet(exampleFleet());
    const serial = synthFleet(spec);
    const RealWorker = workerThreads.Worker;
    const started = jest
      .spyOn(workerThreads, 'Worker')
      .mockImplementation((...args: ConstructorParameters<typeof RealWorker>) => new RealWorker(...args));
    let threads = 0;
    const parallel = await synthSpecParallel(spec, { workers: 2 }).finally(() => {
      threads = started.mock.calls.length;
      started.mockRestore();
    });
    // Really on threads: two workers (the calling thread builds only until one is ready).
    expect(threads).toBe(2);
    expect(parallel.files.size).toBeGreaterThan(0);
    expect(entries(parallel.files)).toEqual(entries(serial.files));
    expect(parallel.summary).toEqual(serial.summary);
    expect(parallel.objects).toBe(serial.objects);
  });

  it('writes byte-identical output for a generated 3-cluster fleet on 3 threads, over two environments', async () => {
    const input = generateFleet({ clusters: 3 });
    const serial = synthFleet(parseFleet(input).spec);
    const parallel = await synthFleetParallel(input, { workers: 3 });
    // Clusters of both environments and both Argo CD folders are present.
    const dirs = new Set([...parallel.files.keys()].map(clusterDirOf));
    // (and each environment's reviewer page, <env>/README.md)
    expect([...dirs].sort()).toEqual(['prod/README.md', 'prod/argocd', 'prod/c0000', 'prod/c0002', 'staging/README.md', 'staging/argocd', 'staging/c0001']);
    expect(entries(parallel.files)).toEqual(entries(serial.files));
    expect(parallel.summary).toEqual(serial.summary);
    expect(parallel.objects).toBe(serial.objects);
  });

  it('synthesizes in the calling thread with one thread, with the same output', async () => {
    const input = generateFleet({ clusters: 2 });
    const serial = synthFleet(parseFleet(input).spec);
    const inline = await synthFleetParallel(input, { workers: 1 });
    expect(entries(inline.files)).toEqual(entries(serial.files));
  });

  it('rejects an invalid spec with SpecError naming the field before starting threads', async () => {
    const input = exampleFleet();
    input.environments[0].clusters[0].network.podCidr = '10.10.0.0/16';
    const error = await synthFleetParallel(input, { workers: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(SpecError);
    expect(error.message).toContain('environments[0].clusters[0].network.podCidr');
  });

  it('replaces a worker that runs out of heap by one with twice the limit and builds its clusters again', async () => {
    const { spec } = parseFleet(generateFleet({ clusters: 2, tenants: 1 }));
    const tasks = spec.environments.flatMap((env, e) => env.clusters.map((_c, c) => ({ seq: e * 10 + c, env: e, cluster: c })));
    const built = new Map<number, string>();
    // 32 MiB cannot even hold the TypeScript compiler the worker loads here: it must grow to succeed.
    const stats = await runPool(spec, tasks, 1, undefined, (task, unit) => built.set(task.seq, unit.files.map(([f, c]) => f + c).join('')), {
      workerHeapMb: 32,
      callingThreadBuilds: false,
    });
    expect(stats.workerRestarts).toBeGreaterThanOrEqual(1);
    expect([...built.keys()].sort()).toEqual(tasks.map((t) => t.seq).sort());
    for (const t of tasks) expect(built.get(t.seq)).toBe(buildTask(spec, t, CAPABILITIES).files.map(([f, c]) => f + c).join(''));
  });
});
