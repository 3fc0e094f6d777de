import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import * as kprod from '../../index';

/** The README's quickstart spec must stay a valid fleet: it is what users copy first. */
describe('README quickstart', () => {
  const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const block = /```ts\n(\/\/ fleet\.ts\n[\s\S]*?)```/.exec(readme)?.[1];

  it('is present', () => {
    expect(block).toMatch(/defineFleet\(/);
  });

  it('validates and synthesizes with the library entry point', () => {
    const js = ts.transpileModule(block!, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
    const module = { exports: {} as Record<string, unknown> };
    // The block imports from 'kprod': hand it this package's entry point.
    new Function('require', 'module', 'exports', js)((id: string) => (id === 'kprod' ? kprod : require(id)), module, module.exports);
    const { spec, warnings } = kprod.parseFleet(module.exports.default);
    // parseFleet throws on errors, so only warnings can come back: the quickstart has none.
    expect(warnings.map(kprod.formatIssue)).toEqual([]);
    const out = kprod.synthFleet(spec);
    expect([...out.files.keys()].some((f) => f.startsWith('prod/eu-west-1/tenants/payments/'))).toBe(true);
  });
});
