import * as fs from 'node:fs';
import * as path from 'node:path';
import { startFileCheck } from '../../../lib/gitops/file-states';
import { tempDirPerTest } from '../../helpers/tmp';

describe('startFileCheck: size and mtime as recorded', () => {
  const t = tempDirPerTest();

  function tree(n: number) {
    const paths = Array.from({ length: n }, (_, i) => path.join(t.dir, `f${i}.yaml`));
    paths.forEach((p, i) => fs.writeFileSync(p, `n: ${i}\n`));
    const stats = paths.map((p) => fs.statSync(p));
    return { paths, sizes: Float64Array.from(stats, (s) => s.size), mtimes: Float64Array.from(stats, (s) => s.mtimeMs) };
  }

  it('marks edited, resized, touched and deleted files in both halves, with and without the helper thread', () => {
    const { paths, sizes, mtimes } = tree(40);
    fs.writeFileSync(paths[3], 'n: 3 but longer\n'); // first half, other size
    fs.utimesSync(paths[25], new Date(0), new Date(0)); // second half, same size, other mtime
    fs.rmSync(paths[39]); // second half, gone
    const expected = paths.map((_, i) => ([3, 25, 39].includes(i) ? 0 : 1));
    expect([...startFileCheck(paths, sizes, mtimes, 10).wait()]).toEqual(expected);
    expect([...startFileCheck(paths, sizes, mtimes, 1_000).wait()]).toEqual(expected);
  });

  it('answers for no files and for one', () => {
    const { paths, sizes, mtimes } = tree(1);
    expect([...startFileCheck([], new Float64Array(0), new Float64Array(0), 0).wait()]).toEqual([]);
    expect([...startFileCheck(paths, sizes, mtimes, 0).wait()]).toEqual([1]);
  });
});
