#!/usr/bin/env node
/**
 * Regenerates upstream/schemas/ (the compact schemas `kprod check` and the generated API types use)
 * from upstream CRDs and config-kind JSON Schemas. Run it when a provider pin moves; the committed
 * output is all that tests and `kprod check` read.
 *
 * Kept: structure, types, enums, patterns, formats, required, bounds, defaults, `x-kubernetes-*`
 * markers and CEL rules. Dropped: descriptions, titles, examples (upstream prose).
 *
 * Usage:
 *   node scripts/refresh-upstream-schemas.mjs [--schemas DIR] [--crds FAMILY=DIR]... [--out DIR]
 *
 *   --schemas DIR       a folder with crds/<family>/*.yaml and config/*.json (default ../shared/schemas
 *                       when neither --schemas nor --crds is given and it exists)
 *   --crds FAMILY=DIR   an extra folder of CRD YAML files, written to upstream/schemas/crds/FAMILY
 *                       (e.g. `ipam=/tmp/ipam` with the CRDs of metal3-io/ip-address-manager,
 *                       taken with `git show v1.13.2:config/crd/bases/ipam.metal3.io_ippools.yaml`)
 *   --out DIR           where to write (default upstream/schemas)
 *
 * upstream/schemas/SOURCES.json (tag, commit, date of each source) is kept by hand beside the output:
 * update it together with the pins.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let outRoot = path.join(repoRoot, 'upstream/schemas');

/** Schema keywords that are prose, not validation. */
const PROSE = new Set(['description', 'title', 'example', 'examples', 'externalDocs']);

/** A schema without its prose, keys in a stable order. */
export function compactSchema(node) {
  if (Array.isArray(node)) return node.map(compactSchema);
  if (!node || typeof node !== 'object') return node;
  const out = {};
  for (const key of Object.keys(node)) {
    if (PROSE.has(key)) continue;
    const value = node[key];
    // property maps and definition maps hold names, not keywords: keep every name
    if ((key === 'properties' || key === 'definitions' || key === '$defs' || key === 'patternProperties') && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compactSchema(v)]));
    } else if (key === 'default' || key === 'enum' || key === 'const' || key === 'x-kubernetes-group-version-kind') {
      out[key] = value; // data, kept as is
    } else {
      out[key] = compactSchema(value);
    }
  }
  return out;
}

/** The compact form of one CRD: what a served version accepts, and nothing else. */
export function compactCrd(crd) {
  return {
    name: crd.metadata.name,
    group: crd.spec.group,
    kind: crd.spec.names.kind,
    scope: crd.spec.scope,
    versions: crd.spec.versions.map((v) => ({
      name: v.name,
      served: v.served === true,
      storage: v.storage === true,
      ...(v.deprecated ? { deprecated: true } : {}),
      schema: compactSchema(v.schema?.openAPIV3Schema ?? {}),
    })),
  };
}

function yamlFiles(dir) {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

function writeJson(file, value) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value)}\n`);
}

function refreshCrdFamily(family, dir) {
  const target = path.join(outRoot, 'crds', family);
  rmSync(target, { recursive: true, force: true });
  const written = [];
  for (const file of yamlFiles(dir)) {
    for (const doc of parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const out = path.join(target, `${crd.metadata.name}.json`);
      writeJson(out, compactCrd(crd));
      written.push(out);
    }
  }
  return written;
}

function refreshConfig(dir) {
  const target = path.join(outRoot, 'config');
  rmSync(target, { recursive: true, force: true });
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((file) => {
    const out = path.join(target, file);
    writeJson(out, compactSchema(JSON.parse(readFileSync(path.join(dir, file), 'utf8'))));
    return out;
  });
}

function parseArgs(argv) {
  const args = { schemas: undefined, crds: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      if (!argv[i + 1]) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--schemas') args.schemas = path.resolve(next());
    else if (a === '--out') outRoot = path.resolve(next());
    else if (a === '--crds') {
      const [family, dir] = next().split('=');
      if (!family || !dir) throw new Error('--crds needs FAMILY=DIR');
      args.crds.push({ family, dir: path.resolve(dir) });
    } else throw new Error(`unknown argument ${a}`);
  }
  if (!args.schemas && !args.crds.length) {
    const shared = path.resolve(repoRoot, '../shared/schemas');
    if (existsSync(shared)) args.schemas = shared;
  }
  return args;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const written = [];
  if (args.schemas) {
    const crdRoot = path.join(args.schemas, 'crds');
    for (const family of readdirSync(crdRoot).sort()) written.push(...refreshCrdFamily(family, path.join(crdRoot, family)));
    written.push(...refreshConfig(path.join(args.schemas, 'config')));
  }
  for (const { family, dir } of args.crds) written.push(...refreshCrdFamily(family, dir));
  if (!written.length) throw new Error('nothing to refresh: give --schemas DIR or --crds FAMILY=DIR');
  console.log(written.map((f) => `wrote ${path.relative(process.cwd(), f)}`).join('\n'));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (err) {
    console.error(err.message ?? err);
    process.exit(1);
  }
}
