import * as fs from 'node:fs';
import * as path from 'node:path';
import { createJiti } from 'jiti';
import { parseDocument } from 'yaml';
import { SpecError, type SpecIssue } from './errors';
import type { ParseOptions } from './extensions';
import { parseFleet, type ParseResult } from './parse';

/** Spec file types, by extension. */
const DATA = ['.yaml', '.yml', '.json'];
const CODE = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

/**
 * Aliases a YAML spec may expand. A real fleet uses a handful (shared pool or tenant blocks);
 * a "billion laughs" document needs thousands, and is refused instead of exhausting memory.
 */
export const MAX_YAML_ALIASES = 1000;

function fileError(file: string, message: string, value: unknown = file): SpecError {
  return new SpecError([{ path: '(file)', message, value, severity: 'error' }], `spec file ${file}`);
}

/** Checks that the file exists and is a readable regular file; throws SpecError otherwise. */
function readable(file: string): string {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw fileError(file, 'spec file not found');
  }
  if (stat.isDirectory()) throw fileError(file, 'is a directory, not a spec file');
  try {
    fs.accessSync(abs, fs.constants.R_OK);
  } catch {
    throw fileError(file, 'spec file is not readable (permission denied)');
  }
  return abs;
}

/** Parses YAML or JSON text into plain data; syntax errors and alias bombs become SpecErrors with line and column. */
function parseData(file: string, text: string): unknown {
  // YAML reads a superset of JSON (trailing commas, comments): a .json file must be JSON.
  if (file.toLowerCase().endsWith('.json')) strictJson(file, text);
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length) {
    const lines = text.split('\n');
    const issues: SpecIssue[] = doc.errors.map((e) => {
      const at = e.linePos?.[0];
      const message = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      // The value shown is the offending source line, so the message points at it twice.
      return { path: at ? `${file}:${at.line}:${at.col}` : file, message, value: at ? (lines[at.line - 1] ?? '').trim() : undefined, severity: 'error' };
    });
    throw new SpecError(issues, `spec file ${file}`);
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (e) {
    throw fileError(file, `YAML aliases expand too far (more than ${MAX_YAML_ALIASES}); write the repeated blocks out or use a TypeScript spec`, (e as Error).message);
  }
}

/** Throws a SpecError at the line and column of the first JSON syntax error. */
function strictJson(file: string, text: string): void {
  try {
    JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split('\n');
    const line = before.length;
    const col = before[before.length - 1].length + 1;
    throw new SpecError(
      [{ path: `${file}:${line}:${col}`, message: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`, value: (text.split('\n')[line - 1] ?? '').trim(), severity: 'error' }],
      `spec file ${file}`,
    );
  }
}

/** The error a spec module raised while loading, with where it happened when the runtime says so. */
export class SpecModuleError extends Error {
  constructor(
    readonly file: string,
    readonly reason: unknown,
  ) {
    const where = reason instanceof Error ? locate(reason, file) : '';
    const message = reason instanceof Error ? reason.message.split('\n')[0].trim() : String(reason);
    // Specs load synchronously (as the Pulumi program and synth workers need): no top-level await.
    const hint = /await is only valid/.test(message) ? '; spec modules cannot use top-level await, export the fleet object itself' : '';
    super(`${file}${where}: the spec module failed to load: ${message}${hint}`);
    this.name = 'SpecModuleError';
  }
}

/** `:line:col` of the first stack frame (or syntax-error location) inside the spec file. */
function locate(error: Error, file: string): string {
  const abs = path.resolve(file);
  const text = `${error.message}\n${error.stack ?? ''}`;
  const escaped = abs.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Columns of stack frames count in the transpiled code, their lines match the source: a syntax
  // error (reported by the transpiler on the source) keeps its column, a runtime error only its line.
  const syntax = /Syntax|Parse/.test(`${error.name} ${error.message}`);
  const frame = new RegExp(`${escaped}:(\\d+)(?::(\\d+))?`).exec(text);
  if (frame) return syntax && frame[2] ? `:${frame[1]}:${frame[2]}` : `:${frame[1]}`;
  const inMessage = /\((\d+):(\d+)\)/.exec(error.message);
  return inMessage && syntax ? `:${inMessage[1]}:${inMessage[2]}` : '';
}

/** The fleet a spec module exports: `default`, `fleet` or the module itself. */
function exported(mod: any): unknown {
  return mod?.default ?? mod?.fleet ?? mod;
}

/**
 * Loads TypeScript and ES modules without the `typescript` package: jiti transpiles .ts/.mts/.cts
 * and ESM syntax on the fly (a runtime dependency, so a consumer of the published package can
 * run `kprod synth --spec fleet.ts` with nothing else installed).
 */
function jitiFor(abs: string) {
  return createJiti(abs, { interopDefault: true, moduleCache: false });
}

function unsupported(file: string): SpecError {
  return fileError(file, `unsupported spec file type; use ${[...DATA, ...CODE].join(', ')}`);
}

/**
 * The fleet a spec file holds (YAML, JSON, JavaScript as CommonJS or ESM, or TypeScript), not yet
 * validated: what `parseFleet` takes. Load errors are SpecErrors or SpecModuleErrors.
 */
export function loadSpecInput(file: string): unknown {
  const abs = readable(file);
  const ext = path.extname(abs).toLowerCase();
  if (DATA.includes(ext)) return parseData(file, fs.readFileSync(abs, 'utf8'));
  if (!CODE.includes(ext)) throw unsupported(file);
  let mod: unknown;
  try {
    mod = jitiFor(abs)(abs);
  } catch (e) {
    throw new SpecModuleError(file, e);
  }
  return exported(mod);
}

/** Reads a spec file (`loadSpecInput`) and validates it. */
export function loadSpecFile(file: string, options: ParseOptions = {}): ParseResult {
  return parseFleet(loadSpecInput(file), options);
}

/**
 * `loadSpecFile` that also loads ES modules using top-level await (.mjs / .mts through dynamic
 * import). Other modules go through jiti's require mode, whose CommonJS interop keeps the named
 * exports of dependencies such as ipaddr.js that its import mode loses.
 */
export async function loadSpecFileAsync(file: string, options: ParseOptions = {}): Promise<ParseResult> {
  const abs = readable(file);
  const ext = path.extname(abs).toLowerCase();
  if (ext !== '.mjs' && ext !== '.mts') return loadSpecFile(file, options);
  let mod: unknown;
  try {
    mod = await jitiFor(abs).import(abs);
  } catch (e) {
    throw new SpecModuleError(file, e);
  }
  return parseFleet(exported(mod), options);
}

/**
 * Lets `require` load `.ts` modules (capability plugins, config files) through Node's own module
 * cache, so a plugin shares kprod's module instances; jiti transpiles, so the `typescript` package
 * is not needed.
 */
export function registerTypeScript(): void {
  const extensions = require.extensions as NodeJS.RequireExtensions;
  if (extensions['.ts']) return;
  const jiti = createJiti(__filename);
  extensions['.ts'] = (module, filename) => {
    const code = jiti.transform({ source: fs.readFileSync(filename, 'utf8'), filename, ts: true });
    (module as unknown as { _compile(code: string, file: string): void })._compile(code, filename);
  };
}
