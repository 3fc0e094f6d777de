import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { generateFleet } from '../../../bench/fleet-gen';
import { CAPABILITIES, clusterManifests, rootArgocdFiles } from '../../../constructs/fleet';
import { blockYaml, YAML_OPTIONS } from '../../../lib/gitops/block-yaml';
import { manifestToYaml } from '../../../lib/gitops';
import { parseFleet, type FleetSpec } from '../../../lib/spec';
import { exampleFleet } from '../../helpers/fleet';

/** The oracle: the yaml library with the options kprod writes manifests with. */
const library = (v: unknown) => stringify(v, YAML_OPTIONS);

function everyManifest(spec: FleetSpec): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  spec.environments.forEach((env, e) =>
    env.clusters.forEach((_c, c) => {
      for (const folder of clusterManifests(spec, e, c, CAPABILITIES).folders) out.push(...(folder.manifests as Array<Record<string, unknown>>));
    }),
  );
  return out;
}

describe('block YAML emitter against the yaml library', () => {
  it('writes every manifest of the example fleet and of a generated fleet exactly as the library does', () => {
    const manifests = [...everyManifest(parseFleet(exampleFleet()).spec), ...everyManifest(parseFleet(generateFleet({ clusters: 4, tenants: 3 })).spec)];
    expect(manifests.length).toBeGreaterThan(800);
    const differ = manifests.filter((m) => blockYaml(m) !== library(m)).map((m) => `${m.kind}/${(m.metadata as { name?: string })?.name}`);
    expect(differ).toEqual([]);
    // The shapes the fleet relies on are really there: block scalars, quoted strings, nested sequences, empty maps.
    const all = manifests.map(manifestToYaml).join('');
    for (const shape of [/: \|-?\n/, /: "[^"]*"\n/, /: \{\}\n/, /: \[\]\n/, /\n\s+- [a-zA-Z]+: /]) expect(all).toMatch(shape);
  });

  it('writes the Argo CD root files as the library writes the objects they hold', () => {
    const env = parseFleet(exampleFleet()).spec.environments[0];
    const files = rootArgocdFiles(env, ['https://charts.example.com']);
    expect(files.length).toBeGreaterThan(1);
    for (const [, content] of files) expect(content).toBe(library(parse(content)));
  });

  // Strings from an alphabet of YAML's indicator, space, line-break and quote characters.
  const tricky = fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '9', ' ', ':', '#', '-', '?', '\n', '\t', '"', "'", '\\', '.', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '%', '@', '`', '~', '=', '/', 'é', '😀', '\u0085', '\u2028', '\u0007', '\r'),
    maxLength: 12,
  });
  const words = fc.constantFrom('true', 'False', 'NULL', 'null', '~', 'yes', 'no', 'on', '1.36', '0x1F', '0o17', '1e3', '.inf', '-.Inf', '.NaN', '---', '...', '-', '', '<<', '=', '12:30', 'a:', 'a: b', 'a #b', ' x', 'x ');
  const text = fc.oneof(tricky, words, fc.string({ maxLength: 20 }));
  const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.constantFrom(0, -0, 1e21, -1, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity), fc.boolean(), fc.constant(null));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
    array: fc.array(fc.oneof(tie('value'), fc.constant(undefined)), { maxLength: 4 }),
    object: fc.dictionary(text, fc.oneof(tie('value'), fc.constant(undefined)), { maxKeys: 4 }),
  }));

  it('writes generated documents (odd strings, numbers, nesting, undefined) exactly as the library does', () => {
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 6 }), (doc) => blockYaml(doc) === library(doc)),
      { numRuns: Number(process.env.KPROD_FUZZ_RUNS ?? 3000), seed: Number(process.env.KPROD_FUZZ_SEED ?? 20261201) },
    );
  });

  it('hands data that is not plain JSON (dates, maps, class instances) to the library whole', () => {
    class Port {
      constructor(readonly port = 443) {}
    }
    const docs = [{ at: new Date(0) }, { m: new Map([['a', 1]]) }, { p: new Port() }, { big: 10n }, { list: [new Set([1])] }];
    for (const doc of docs) expect(blockYaml(doc as Record<string, unknown>)).toBe(library(doc));
  });
});
