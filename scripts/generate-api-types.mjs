#!/usr/bin/env node
/**
 * Generates TypeScript types for the `spec` of the upstream kinds kprod builds, from the compact CRD
 * schemas committed in upstream/schemas/crds (Cluster API v1.14.0, CAPO v0.14.7, CAPM3 v1.13.2; see
 * upstream/schemas/SOURCES.json and scripts/refresh-upstream-schemas.mjs).
 *
 * One file per group/version in lib/api/generated/ (or `--out <dir>`). The output is deterministic:
 * running it again over the same CRDs gives the same bytes (test/unit/api/generated.test.ts checks it).
 *
 * Mapping of the Kubernetes structural-schema extensions:
 * - `x-kubernetes-int-or-string` → `number | string`;
 * - `x-kubernetes-preserve-unknown-fields` → `{ [k: string]: unknown }` on an object (plus its known
 *   properties, if any), `unknown` on a field without a type (free JSON such as a variable's value);
 * - every other object without `additionalProperties` is closed, so TypeScript's excess property
 *   check rejects a misspelt field in an object literal (the API server would prune it silently);
 * - `status` is not generated (kprod never writes it); validation-only keywords are dropped and
 *   the compact schemas carry no upstream prose, so the types have no descriptions.
 *
 * Usage: node scripts/generate-api-types.mjs [--out <dir>]
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const crdRoot = path.join(repoRoot, 'upstream/schemas/crds');

/** Upstream release each CRD folder was taken from (see upstream/schemas/SOURCES.json). */
const RELEASES = {
  'cluster-api': 'kubernetes-sigs/cluster-api v1.14.0',
  capo: 'kubernetes-sigs/cluster-api-provider-openstack v0.14.7',
  metal3: 'metal3-io/cluster-api-provider-metal3 v1.13.2',
};

/** The kinds kprod writes and the version of each it uses. */
export const KINDS = [
  { kind: 'Cluster', version: 'v1beta2', file: 'cluster-api/clusters.cluster.x-k8s.io.json' },
  { kind: 'MachineDeployment', version: 'v1beta2', file: 'cluster-api/machinedeployments.cluster.x-k8s.io.json' },
  { kind: 'MachineHealthCheck', version: 'v1beta2', file: 'cluster-api/machinehealthchecks.cluster.x-k8s.io.json' },
  { kind: 'KubeadmControlPlane', version: 'v1beta2', file: 'cluster-api/kubeadmcontrolplanes.controlplane.cluster.x-k8s.io.json' },
  { kind: 'KubeadmConfigTemplate', version: 'v1beta2', file: 'cluster-api/kubeadmconfigtemplates.bootstrap.cluster.x-k8s.io.json' },
  { kind: 'OpenStackCluster', version: 'v1beta1', file: 'capo/openstackclusters.infrastructure.cluster.x-k8s.io.json' },
  { kind: 'OpenStackMachineTemplate', version: 'v1beta1', file: 'capo/openstackmachinetemplates.infrastructure.cluster.x-k8s.io.json' },
  { kind: 'Metal3Cluster', version: 'v1beta2', file: 'metal3/metal3clusters.infrastructure.cluster.x-k8s.io.json' },
  { kind: 'Metal3MachineTemplate', version: 'v1beta2', file: 'metal3/metal3machinetemplates.infrastructure.cluster.x-k8s.io.json' },
];

/** Schema keywords that shape the TypeScript type; everything else (patterns, bounds, CEL rules, defaults) is validation only. */
const KEPT = new Set(['type', 'properties', 'required', 'items', 'additionalProperties', 'enum']);

/** Rewrites one CRD schema node into the JSON Schema json-schema-to-typescript should compile. */
export function toTsSchema(node) {
  const out = {};
  for (const [key, value] of Object.entries(node)) if (KEPT.has(key)) out[key] = value;
  if (node['x-kubernetes-int-or-string']) {
    delete out.type;
    out.tsType = 'number | string';
    return out;
  }
  if (node.properties) out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, toTsSchema(v)]));
  if (node.items) out.items = toTsSchema(node.items);
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (preserveUnknown && !node.properties) {
    // Without a type the field is free JSON (apiextensionsv1.JSON, e.g. a ClusterClass variable value): any value.
    out.tsType = node.type === 'object' ? '{ [k: string]: unknown }' : 'unknown';
    delete out.type;
    return out;
  }
  if (typeof node.additionalProperties === 'object') out.additionalProperties = toTsSchema(node.additionalProperties);
  else if (preserveUnknown) out.additionalProperties = true;
  else if (node.type === 'object' && node.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

async function loadVersionSchema({ kind, version, file }) {
  const crd = JSON.parse(await readFile(path.join(crdRoot, file), 'utf8'));
  if (crd.kind !== kind) throw new Error(`${file}: holds kind ${crd.kind}, not ${kind}`);
  const served = crd.versions.find((v) => v.name === version);
  if (!served) throw new Error(`${file}: ${kind} has no version ${version} (has ${crd.versions.map((v) => v.name).join(', ')})`);
  const spec = served.schema?.properties?.spec;
  if (!spec) throw new Error(`${file}: ${kind} ${version} has no spec schema`);
  return { group: crd.group, spec };
}

async function generate(outDir) {
  /** group/version → { sources, bodies } in KINDS order. */
  const files = new Map();
  for (const entry of KINDS) {
    const { group, spec } = await loadVersionSchema(entry);
    const name = `${entry.kind}Spec`;
    const body = await compile({ ...toTsSchema(spec), title: name }, name, {
      bannerComment: '',
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      strictIndexSignatures: false,
      unknownAny: true,
      declareExternallyReferenced: true,
      format: true,
      style: { printWidth: 140, singleQuote: true },
    });
    const key = `${group}-${entry.version}`;
    if (!files.has(key)) files.set(key, { sources: [], bodies: [] });
    const f = files.get(key);
    f.sources.push(`${entry.file} of ${RELEASES[entry.file.split('/')[0]]}`);
    f.bodies.push(body.trim());
  }
  await mkdir(outDir, { recursive: true });
  const written = [];
  for (const [key, { sources, bodies }] of files) {
    const header = [
      '/* eslint-disable */',
      '/**',
      ` * ${key.replace(/-(v[^-]+)$/, '/$1')}: generated by scripts/generate-api-types.mjs from`,
      ...sources.map((s) => ` * - upstream/schemas/crds/${s}`),
      ' * Do not edit: change the generator and run `npm run generate:api-types`.',
      ' */',
    ].join('\n');
    const target = path.join(outDir, `${key}.ts`);
    await writeFile(target, `${header}\n\n${bodies.join('\n\n')}\n`);
    written.push(target);
  }
  return written;
}

function parseOut(argv) {
  const i = argv.indexOf('--out');
  if (i === -1) return path.join(repoRoot, 'lib/api/generated');
  if (!argv[i + 1]) throw new Error('--out needs a directory');
  return path.resolve(argv[i + 1]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  generate(parseOut(process.argv.slice(2))).then(
    (written) => console.log(written.map((f) => `wrote ${path.relative(process.cwd(), f)}`).join('\n')),
    (err) => {
      console.error(err.message ?? err);
      process.exit(1);
    },
  );
}
