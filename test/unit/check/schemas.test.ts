import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../helpers/tmp';

const repoRoot = path.join(__dirname, '../../..');
const schemas = path.join(repoRoot, 'upstream/schemas');
const script = path.join(repoRoot, 'scripts/refresh-upstream-schemas.mjs');

/** Keywords found at schema positions (property and definition names excluded). */
function keywords(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywords(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      out.add(k);
      if (k === 'properties' || k === 'definitions') Object.values(v as object).forEach((n) => keywords(n, out));
      else if (k !== 'enum' && k !== 'default' && k !== 'const' && k !== 'x-kubernetes-validations') keywords(v, out);
    }
  }
  return out;
}

const CRD_YAML = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: { kind: Widget, plural: widgets }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: Widget is a thing. Long prose follows.
          type: object
          properties:
            spec:
              description: The spec.
              type: object
              x-kubernetes-validations:
                - rule: self.size > 0
                  message: size must be positive
              properties:
                description: { type: string, description: a field named description stays }
                size: { type: integer, minimum: 1, default: 1, example: 3 }
`;

describe('upstream/schemas', () => {
  it('carries no upstream prose: no description, title or example keyword in any committed schema', () => {
    const files = readdirSync(schemas, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json') && f !== 'SOURCES.json');
    expect(files.length).toBeGreaterThan(30);
    for (const f of files) {
      const found = keywords(JSON.parse(readFileSync(path.join(schemas, f), 'utf8')));
      expect({ f, prose: ['description', 'title', 'example', 'externalDocs'].filter((k) => found.has(k)) }).toEqual({ f, prose: [] });
    }
  });

  it('names the source of every CRD family (tag, commit, date)', () => {
    const sources = JSON.parse(readFileSync(path.join(schemas, 'SOURCES.json'), 'utf8')).sources;
    for (const family of readdirSync(path.join(schemas, 'crds'))) {
      expect(sources[`crds/${family}`]).toMatchObject({ tag: expect.stringMatching(/^v\d/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    }
  });

  it('the refresh script keeps structure, bounds, defaults and CEL rules and drops the prose', () => {
    const t = tempDir('kprod-refresh-');
    try {
      const input = path.join(t.dir, 'in');
      const out = path.join(t.dir, 'out');
      mkdirSync(input);
      writeFileSync(path.join(input, 'widgets.yaml'), CRD_YAML);
      execFileSync(process.execPath, [script, '--crds', `example=${input}`, '--out', out], { stdio: 'pipe' });
      const crd = JSON.parse(readFileSync(path.join(out, 'crds/example/widgets.example.com.json'), 'utf8'));
      expect(crd).toEqual({
        name: 'widgets.example.com',
        group: 'example.com',
        kind: 'Widget',
        scope: 'Namespaced',
        versions: [
          {
            name: 'v1',
            served: true,
            storage: true,
            schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  'x-kubernetes-validations': [{ rule: 'self.size > 0', message: 'size must be positive' }],
                  properties: { description: { type: 'string' }, size: { type: 'integer', minimum: 1, default: 1 } },
                },
              },
            },
          },
        ],
      });
    } finally {
      t.cleanup();
    }
  });

  it('the built-in field list matches the installed model packages (regenerate with scripts/generate-builtin-fields.mjs)', () => {
    const fields = JSON.parse(readFileSync(path.join(repoRoot, 'lib/check/builtin-fields.json'), 'utf8'));
    for (const [pkg, version] of Object.entries(fields.packages)) {
      expect({ pkg, version: JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')).version }).toEqual({ pkg, version });
    }
    expect(Object.keys(fields.kinds)).toEqual(expect.arrayContaining(['apps/v1|Deployment', 'argoproj.io/v1alpha1|Application', 'monitoring.coreos.com/v1|PrometheusRule']));
  });
});
