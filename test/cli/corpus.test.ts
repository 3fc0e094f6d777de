import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MISUSE_CASES, ROOT, SPEC_CASES, type SpecCase } from './corpus';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI from source (as test/constructs/cli.test.ts does, with a transpile cache). */
function kprod(args: string[], cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/cli/ts-register-cached.js'), path.join(ROOT, 'bin/kprod.ts'), ...args], { cwd, timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** At most `limit` CLI processes at a time (each loads the TypeScript sources). */
async function pool<T, R>(items: T[], limit: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await run(items[i]);
      }
    }),
  );
  return out;
}

const STACK_FRAME = /\n\s+at /;
/** The reported problems, without the header line (which names the command's outcome). */
const problems = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => /^ {2}\S/.test(l) || /^kprod: .*(failed to load|not found|directory)/.test(l))
    .sort();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kprod-corpus-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(c: SpecCase): string {
  const file = path.join(dir, c.file);
  if (typeof c.content === 'function') c.content(dir);
  else if (c.content !== undefined) fs.writeFileSync(file, c.content);
  return file;
}

describe('a corpus of user mistakes through the real CLI', () => {
  let results: Array<{ validate: Run; synth: Run; out: string }>;
  let misuses: Run[];

  beforeAll(async () => {
    results = await pool(SPEC_CASES, 2, async (c) => {
      const file = write(c);
      const out = path.join(dir, `out-${c.file.replace(/\W/g, '_')}`);
      const validate = await kprod(['validate', '--spec', file]);
      const synth = await kprod(['synth', '--spec', file, '--out', out]);
      return { validate, synth, out };
    });
    misuses = await pool(MISUSE_CASES, 2, (c) => kprod(c.args(dir)));
  }, 900_000);

  it('holds at least 40 cases', () => {
    expect(SPEC_CASES.length + MISUSE_CASES.length).toBeGreaterThanOrEqual(40);
  });

  describe.each(SPEC_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    it(c.expect === 'ok' ? 'validate and synth both succeed' : 'validate and synth both exit 1 with the path and message, no stack trace, nothing written', () => {
      const { validate, synth, out } = results[i];
      for (const run of [validate, synth]) expect(run.stderr).not.toMatch(STACK_FRAME);
      if (c.expect === 'ok') {
        expect(validate.status).toBe(0);
        expect(synth.status).toBe(0);
        expect(fs.readdirSync(out).length).toBeGreaterThan(0);
        return;
      }
      expect(validate.status).toBe(1);
      expect(synth.status).toBe(1);
      for (const pattern of c.expect) {
        expect(validate.stderr).toMatch(pattern);
        expect(synth.stderr).toMatch(pattern);
      }
      // validate and synth agree: the same problems, line for line.
      expect(problems(synth.stderr)).toEqual(problems(validate.stderr));
      expect(problems(validate.stderr).length).toBeGreaterThan(0);
      expect(fs.existsSync(out)).toBe(false);
    });
  });

  describe.each(MISUSE_CASES.map((c, i) => [c.name, c, i] as const))('%s', (_, c, i) => {
    it(`exits ${c.status} with one clear message and no stack trace`, () => {
      const run = misuses[i];
      expect(run.status).toBe(c.status);
      expect(run.stderr).not.toMatch(STACK_FRAME);
      for (const pattern of c.expect) expect(run.stderr).toMatch(pattern);
    });
  });

  it('--debug adds the stack trace of a failing spec module', async () => {
    const file = path.join(dir, 'debug.ts');
    fs.writeFileSync(file, 'throw new Error("broken on purpose");\n');
    const plain = await kprod(['validate', '--spec', file]);
    const debug = await kprod(['--debug', 'validate', '--spec', file]);
    expect(plain.stderr).not.toMatch(STACK_FRAME);
    expect(debug.status).toBe(1);
    expect(debug.stderr).toMatch(/broken on purpose/);
    expect(debug.stderr).toMatch(STACK_FRAME);
  }, 60_000);

  it('--version prints the package version; --help lists every command with an example', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const v = await kprod(['--version']);
    expect(v.status).toBe(0);
    expect(v.stdout.trim()).toBe(version);
    const help = await kprod(['--help']);
    expect(help.status).toBe(0);
    for (const command of ['synth', 'validate']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(help.stdout).toMatch(new RegExp(`^  kprod ${command} --spec `, 'm'));
    }
    expect(help.stdout).toMatch(/Exit codes: 0 success; 1 /);
  }, 60_000);
});
