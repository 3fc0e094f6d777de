import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { SpecError } from './errors';
import type { ParseOptions } from './extensions';
import { parseFleet, type ParseResult } from './parse';

/** Reads a spec from a YAML, JSON, JavaScript or TypeScript file and validates it. */
export function loadSpecFile(file: string, options: ParseOptions = {}): ParseResult {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new SpecError([{ path: '(file)', message: 'spec file not found', value: file, severity: 'error' }], 'spec file');
  const ext = path.extname(abs).toLowerCase();
  if (ext === '.yaml' || ext === '.yml' || ext === '.json') {
    const doc = parseDocument(fs.readFileSync(abs, 'utf8'), { uniqueKeys: true, prettyErrors: true });
    if (doc.errors.length)
      throw new SpecError(
        doc.errors.map((e) => ({ path: '(file)', message: e.message.split('\n')[0], value: file, severity: 'error' as const })),
        'spec file',
      );
    return parseFleet(doc.toJS(), options);
  }
  if (ext === '.js' || ext === '.cjs' || ext === '.ts') {
    if (ext === '.ts') registerTypeScript();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(abs);
    return parseFleet(mod.default ?? mod.fleet ?? mod, options);
  }
  throw new SpecError([{ path: '(file)', message: 'unsupported spec file type; use .yaml, .yml, .json, .js or .ts', value: file, severity: 'error' }], 'spec file');
}

/** Lets `require` load a .ts spec by transpiling it with the project's TypeScript. */
export function registerTypeScript(): void {
  const extensions = require.extensions as NodeJS.RequireExtensions;
  if (extensions['.ts']) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: filename });
    (module as unknown as { _compile(code: string, file: string): void })._compile(out.outputText, filename);
  };
}
