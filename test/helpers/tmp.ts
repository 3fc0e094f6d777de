import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'kprod-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every file under dir with its bytes and mtime; kprod's synth cache (`.kprod/cache`, git-ignored,
 * records mtimes) is not part of the tree and is left out.
 */
export function snapshotTree(dir: string): Map<string, { content: string; mtimeMs: number }> {
  const out = new Map<string, { content: string; mtimeMs: number }>();
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (child === '.kprod/cache') continue;
      if (e.isDirectory()) walk(child);
      else {
        const abs = path.join(dir, child);
        out.set(child, { content: fs.readFileSync(abs, 'utf8'), mtimeMs: fs.statSync(abs).mtimeMs });
      }
    }
  };
  if (fs.existsSync(dir)) walk('');
  return out;
}

/** Registers a fresh temporary folder for every test of the enclosing describe, removed after it. */
export function tempDirPerTest(prefix?: string): { readonly dir: string } {
  let current: ReturnType<typeof tempDir> | undefined;
  beforeEach(() => (current = tempDir(prefix)));
  afterEach(() => current?.cleanup());
  return {
    get dir() {
      if (!current) throw new Error('tempDirPerTest: the folder exists only while a test runs');
      return current.dir;
    },
  };
}
