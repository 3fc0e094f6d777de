import { execFileSync } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import ts from 'typescript';

const repoRoot = path.resolve(__dirname, '../../..');
const committedDir = path.join(repoRoot, 'lib/api/generated');
const script = path.join(repoRoot, 'scripts/generate-api-types.mjs');
const typesCheck = path.join(__dirname, 'types-check.ts');

describe('scripts/generate-api-types.mjs', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'kprod-api-types-'));
    execFileSync(process.execPath, [script, '--out', outDir], { cwd: repoRoot, stdio: 'pipe' });
  }, 60_000);
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('reproduces the committed files byte for byte', () => {
    const committed = readdirSync(committedDir).sort();
    expect(readdirSync(outDir).sort()).toEqual(committed);
    for (const file of committed) expect({ file, text: readFileSync(path.join(outDir, file), 'utf8') }).toEqual({ file, text: readFileSync(path.join(committedDir, file), 'utf8') });
  });

  it('writes one file per group/version, each naming its CRDs and upstream release', () => {
    expect(readdirSync(outDir).sort()).toEqual([
      'bootstrap.cluster.x-k8s.io-v1beta2.ts',
      'cluster.x-k8s.io-v1beta2.ts',
      'controlplane.cluster.x-k8s.io-v1beta2.ts',
      'infrastructure.cluster.x-k8s.io-v1beta1.ts',
      'infrastructure.cluster.x-k8s.io-v1beta2.ts',
    ]);
    const capo = readFileSync(path.join(outDir, 'infrastructure.cluster.x-k8s.io-v1beta1.ts'), 'utf8');
    expect(capo).toContain('upstream/schemas/crds/capo/openstackclusters.infrastructure.cluster.x-k8s.io.json of kubernetes-sigs/cluster-api-provider-openstack v0.14.7');
    expect(capo).toMatch(/Do not edit/);
    const exported = (file: string) => [...readFileSync(path.join(outDir, file), 'utf8').matchAll(/^export interface (\w+)/gm)].map((m) => m[1]);
    expect(exported('cluster.x-k8s.io-v1beta2.ts')).toEqual(['ClusterSpec', 'MachineDeploymentSpec', 'MachineHealthCheckSpec']);
    expect(exported('infrastructure.cluster.x-k8s.io-v1beta2.ts')).toEqual(['Metal3ClusterSpec', 'Metal3MachineTemplateSpec']);
  });

  it('carries no upstream prose (the compact schemas have no descriptions)', () => {
    const text = readFileSync(path.join(outDir, 'controlplane.cluster.x-k8s.io-v1beta2.ts'), 'utf8');
    expect(text).not.toContain('More info:');
    // the only comment is the file header
    expect(text.match(/\/\*\*/g)).toHaveLength(1);
  });

  it('fails with the reason when --out has no directory', () => {
    expect(() => execFileSync(process.execPath, [script, '--out'], { cwd: repoRoot, stdio: 'pipe' })).toThrow(/--out needs a directory/);
  });
});

/** The project's compilerOptions, from tsconfig.json. */
function projectOptions(): ts.CompilerOptions {
  const configPath = path.join(repoRoot, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, repoRoot).options, noEmit: true };
}

/** Diagnostics of types-check.ts, optionally with its `@ts-expect-error` directives blanked out. */
function diagnostics(options: ts.CompilerOptions, stripDirectives: boolean): readonly ts.Diagnostic[] {
  const host = ts.createCompilerHost(options);
  if (stripDirectives) {
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) =>
      path.resolve(fileName) === typesCheck
        ? ts.createSourceFile(fileName, readFileSync(typesCheck, 'utf8').replace(/\/\/ @ts-expect-error/g, '// was-expect-error'), languageVersion)
        : getSourceFile(fileName, languageVersion, ...rest);
  }
  return ts.getPreEmitDiagnostics(ts.createProgram([typesCheck], options, host));
}

const lineOf = (d: ts.Diagnostic) => (d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line : -1);
const format = (ds: readonly ts.Diagnostic[]) => ds.map((d) => `${lineOf(d) + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);

describe('generated types (test/unit/api/types-check.ts)', () => {
  const options = projectOptions();

  it('accept the v1beta2 objects and reject every marked wrong shape', () => {
    // An unused @ts-expect-error is a diagnostic (TS2578), so an empty list proves each marked line fails.
    expect(format(diagnostics(options, false))).toEqual([]);
  }, 120_000);

  it('fail exactly on the marked lines when the directives are removed', () => {
    const source = readFileSync(typesCheck, 'utf8').split('\n');
    // 1-based numbers of the lines right after each directive.
    const marked = source.flatMap((line, i) => (/^\s*\/\/ @ts-expect-error/.test(line) ? [i + 2] : []));
    expect(marked.length).toBeGreaterThanOrEqual(9);
    const found = diagnostics(options, true);
    expect([...new Set(found.map((d) => lineOf(d) + 1))].sort((a, b) => a - b)).toEqual(marked);
    // Each is a shape error: excess property (2353/2561), wrong type (2322) or no overload (2769).
    for (const d of found) expect([2322, 2353, 2561, 2769]).toContain(d.code);
  }, 120_000);
});
