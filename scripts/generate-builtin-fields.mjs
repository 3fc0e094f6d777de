#!/usr/bin/env node
/**
 * Writes lib/check/builtin-fields.json: the field names every built-in kind knows, read from the
 * TypeScript typings of kubernetes-models, @kubernetes-models/argo-cd and
 * @kubernetes-models/prometheus-operator. `kprod check` uses it to report unknown fields of those
 * kinds (the models' validate() accepts them) without needing `typescript` at run time.
 *
 * Format: { packages: {name: version}, kinds: { "apiVersion|Kind": Ref }, types: { id: Shape } }
 *   Shape = { f?: { field: Ref }, m?: Ref }   (f: named fields, m: the value of a string index signature)
 *   Ref   = 0 (a scalar or anything not checked further) | "id" (a named interface) | Shape (an inline type)
 * Arrays are transparent: a field of type T[] has the Ref of T.
 *
 * Usage: node scripts/generate-builtin-fields.mjs   (rerun after upgrading one of the packages)
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['kubernetes-models', '@kubernetes-models/argo-cd', '@kubernetes-models/prometheus-operator'];
const out = path.join(repoRoot, 'lib/check/builtin-fields.json');
const require = createRequire(path.join(repoRoot, 'package.json'));

/** Model modules `<pkg>/<apiVersion>/<Kind>` of a package: a folder per group (or `v1`) and version. */
function kindModules(pkg) {
  const root = path.join(repoRoot, 'node_modules', pkg);
  const found = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('_') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full, [...rel, entry.name]);
      else if (/^[A-Z]\w*\.d\.ts$/.test(entry.name) && rel.length >= 1 && rel.length <= 2 && /^v\d/.test(rel[rel.length - 1])) {
        const kind = entry.name.slice(0, -5);
        const module = `${pkg}/${[...rel, kind].join('/')}`;
        // a kind is a model class with a static `kind` (the folder also holds the types it uses)
        if (!kind.endsWith('List') && require(module)[kind]?.kind === kind) found.push({ module, apiVersion: rel.join('/'), kind });
      }
    }
  };
  walk(root, []);
  return found.sort((a, b) => a.module.localeCompare(b.module));
}

const kinds = PACKAGES.flatMap(kindModules);
const entry = path.join(repoRoot, '__builtin_fields__.ts');
const source = kinds.map((k, i) => `import type { I${k.kind} as K${i} } from ${JSON.stringify(k.module)};\nexport type T${i} = K${i};`).join('\n');
const options = { noEmit: true, skipLibCheck: true, types: [], strict: true, module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, moduleResolution: ts.ModuleResolutionKind.Node10 };
const host = ts.createCompilerHost(options);
const getSourceFile = host.getSourceFile.bind(host);
host.getSourceFile = (f, lang, ...rest) => (path.resolve(f) === entry ? ts.createSourceFile(f, source, lang) : getSourceFile(f, lang, ...rest));
const fileExists = host.fileExists.bind(host);
host.fileExists = (f) => path.resolve(f) === entry || fileExists(f);
const program = ts.createProgram([entry], options, host);
const checker = program.getTypeChecker();

const types = {};
const isObjectish = (t) => !!(t.flags & ts.TypeFlags.Object) || t.isIntersection();

/** A stable id for a named interface: its module below node_modules and its name. */
function namedId(type) {
  const sym = type.aliasSymbol ?? type.getSymbol();
  if (!sym || sym.getName() === '__type' || sym.getName() === '__object') return undefined;
  const decl = sym.declarations?.[0];
  if (!decl || !ts.isInterfaceDeclaration(decl)) return undefined;
  const file = decl.getSourceFile().fileName.replace(/^.*node_modules\//, '').replace(/\.d\.ts$/, '');
  return `${file}#${sym.getName()}`;
}

function refOf(type, depth) {
  if (depth > 60) return 0;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 0;
  type = checker.getNonNullableType(type);
  if (type.isUnion()) {
    const objects = type.types.filter((t) => isObjectish(t) || checker.isArrayType(t));
    if (objects.length !== 1) return 0;
    type = objects[0];
  }
  if (checker.isArrayType(type)) return refOf(checker.getTypeArguments(type)[0], depth + 1);
  if (!isObjectish(type)) return 0;
  const id = namedId(type);
  if (id) {
    if (!(id in types)) {
      types[id] = 0; // placeholder against recursion
      types[id] = shapeOf(type, depth);
    }
    return id;
  }
  return shapeOf(type, depth);
}

function shapeOf(type, depth) {
  const shape = {};
  const props = checker.getPropertiesOfType(type);
  if (props.length) {
    shape.f = {};
    for (const p of props.sort((a, b) => a.getName().localeCompare(b.getName()))) {
      shape.f[p.getName()] = refOf(checker.getTypeOfSymbol(p), depth + 1);
    }
  }
  const index = checker.getIndexTypeOfType(type, ts.IndexKind.String);
  if (index) shape.m = refOf(index, depth + 1);
  if (!props.length && !index) return 0;
  return shape;
}

const sf = program.getSourceFile(entry);
const kindRefs = {};
for (const st of sf.statements) {
  if (!ts.isTypeAliasDeclaration(st)) continue;
  const k = kinds[Number(st.name.text.slice(1))];
  kindRefs[`${k.apiVersion}|${k.kind}`] = refOf(checker.getTypeAtLocation(st.name), 0);
}
const versions = Object.fromEntries(PACKAGES.map((p) => [p, JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', p, 'package.json'), 'utf8')).version]));
const sortedTypes = Object.fromEntries(Object.keys(types).sort().map((k) => [k, types[k]]));
writeFileSync(out, `${JSON.stringify({ packages: versions, kinds: kindRefs, types: sortedTypes })}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}: ${Object.keys(kindRefs).length} kinds, ${Object.keys(types).length} types`);
