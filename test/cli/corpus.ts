/**
 * Bad specs and CLI misuses a stranger would try, each with what kprod must answer. A spec case
 * is run through both `kprod validate` and `kprod synth`, which must fail (or succeed) alike.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
const EDGE = fs.readFileSync(path.join(ROOT, 'examples/clusters/edge-lab.yaml'), 'utf8');

/** The edge-lab example with `from` replaced by `to` (the replacement must apply). */
function edge(...pairs: Array<[string | RegExp, string]>): string {
  let text = EDGE;
  for (const [from, to] of pairs) {
    const next = text.replace(from, to);
    if (next === text) throw new Error(`corpus: ${String(from)} not found in edge-lab.yaml`);
    text = next;
  }
  return text;
}

export interface SpecCase {
  name: string;
  /** File name (its extension picks the loader) and content; content undefined: the file is not created. */
  file: string;
  content?: string | ((dir: string) => void);
  /** Lines (regexes) stderr must contain; `ok` when the spec is valid. */
  expect: RegExp[] | 'ok';
}

export interface MisuseCase {
  name: string;
  args: (dir: string) => string[];
  status: number;
  expect: RegExp[];
}

const bomb = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefg'[i]}`).join(',')}]`),
  'name: acme',
].join('\n');

export const SPEC_CASES: SpecCase[] = [
  // -- files
  { name: 'missing file', file: 'nope.yaml', expect: [/\(file\): spec file not found \(got ".*nope\.yaml"\)/] },
  { name: 'a directory', file: 'folder.yaml', content: (dir) => fs.mkdirSync(path.join(dir, 'folder.yaml')), expect: [/is a directory, not a spec file/] },
  { name: 'unsupported extension', file: 'fleet.toml', content: 'name = "acme"', expect: [/unsupported spec file type; use \.yaml/] },
  { name: 'empty YAML', file: 'empty.yaml', content: '', expect: [/\(root\): Invalid input: expected object/] },
  // -- syntax
  { name: 'YAML syntax error', file: 'syntax.yaml', content: 'name: acme\nskus: [\n  a: 1\n', expect: [/syntax\.yaml:\d+:\d+: /] },
  { name: 'YAML bad indentation', file: 'indent.yaml', content: edge(['  - name: lab', ' - name: lab']), expect: [/indent\.yaml:\d+:\d+: /] },
  { name: 'YAML duplicate key', file: 'dup.yaml', content: edge(['name: acme', 'name: acme\nname: other']), expect: [/dup\.yaml:5:1: Map keys must be unique \(got "name: other"\)/] },
  { name: 'YAML alias bomb', file: 'bomb.yaml', content: bomb, expect: [/YAML aliases expand too far \(more than 1000\)/] },
  { name: 'JSON syntax error', file: 'bad.json', content: '{"name": "acme", "skus": {}\n', expect: [/bad\.json:2:1: /] },
  { name: 'JSON trailing comma', file: 'comma.json', content: '{"name": "acme",}\n', expect: [/comma\.json:1:\d+: /] },
  { name: 'TypeScript syntax error', file: 'syntax.ts', content: 'export default {\n  name: "acme",,\n};\n', expect: [/syntax\.ts:2:\d+: the spec module failed to load/] },
  { name: 'TypeScript spec that throws', file: 'throws.ts', content: 'const n: number = 1;\nthrow new Error("no fleet today " + n);\n', expect: [/throws\.ts:2: the spec module failed to load: no fleet today 1/] },
  { name: 'TypeScript import that does not exist', file: 'imports.ts', content: 'import fleet from "./nowhere";\nexport default fleet;\n', expect: [/imports\.ts:1: the spec module failed to load: Cannot find module '\.\/nowhere'/] },
  { name: 'ESM syntax error', file: 'syntax.mjs', content: 'export default { name: "acme" ;\n', expect: [/syntax\.mjs:1:\d+: the spec module failed to load/] },
  { name: 'CommonJS spec that throws', file: 'throws.cjs', content: '\n\nthrow new TypeError("bad");\n', expect: [/throws\.cjs:3: the spec module failed to load: bad/] },
  { name: 'ESM spec with top-level await', file: 'await.mjs', content: 'const fleet = await Promise.resolve({});\nexport default fleet;\n', expect: [/await\.mjs:1: the spec module failed to load: .*cannot use top-level await/] },
  // -- every loader reaches the schema
  { name: 'ESM spec, invalid', file: 'fleet.mjs', content: 'export default { name: "Acme", skus: {}, environments: [] };\n', expect: [/^  name: must be a DNS-1123 label/m, /^  environments: Too small/m] },
  { name: 'CommonJS spec, invalid', file: 'fleet.cjs', content: 'module.exports = { name: "acme", skus: {}, environments: [{}] };\n', expect: [/environments\[0\]\.name: /, /environments\[0\]\.clusters: /] },
  { name: '.mts spec, invalid', file: 'fleet.mts', content: 'const fleet: Record<string, unknown> = { name: "acme" };\nexport default fleet;\n', expect: [/^  skus: /m] },
  { name: 'spec exporting nothing', file: 'nothing.js', content: '// no exports\n', expect: [/^  name: Invalid input: expected string, received undefined/m] },
  // -- schema
  { name: 'unknown field', file: 'unknown.yaml', content: edge(['    cpu: 4', '    cpu: 4\n    cpus: 4']), expect: [/skus\.general-4x16\.cpus: unknown field; check the spelling/] },
  { name: 'wrong type', file: 'type.yaml', content: edge(['cpu: 4', 'cpu: four']), expect: [/skus\.general-4x16\.cpu: .*\(got "four"\)/] },
  { name: 'doubled unit in a SKU', file: 'gigi.yaml', content: edge(['memory: 16Gi', 'memory: 16GiGi']), expect: [/skus\.general-4x16\.memory: must be a Kubernetes quantity .*at most one unit.*\(got "16GiGi"\)/] },
  { name: 'zero memory in a SKU', file: 'zero.yaml', content: edge(['memory: 16Gi', 'memory: "0"']), expect: [/skus\.general-4x16\.memory: must be a positive Kubernetes quantity .*\(got "0"\)/] },
  { name: 'doubled unit in a tenant quota', file: 'quota.yaml', content: edge(['requests.memory: 32Gi', 'requests.memory: 32GiGi']), expect: [/environments\[0\]\.clusters\[0\]\.tenants\[0\]\.quota\.requests\.memory: must be a Kubernetes quantity .*at most one unit.*\(got "32GiGi"\)/] },
  { name: 'space in a quantity', file: 'space.yaml', content: edge(['requests.memory: 32Gi', 'requests.memory: 1Gi Mi']), expect: [/tenants\[0\]\.quota\.requests\.memory: must be a Kubernetes quantity.*\(got "1Gi Mi"\)/] },
  { name: 'doubled unit in etcd quota', file: 'etcdq.yaml', content: edge(['          replicas: 3', '          replicas: 3\n          etcd: { quotaBackendBytes: 8GiGi }']), expect: [/controlPlane\.etcd\.quotaBackendBytes: .*at most one unit.*\(got "8GiGi"\)/] },
  { name: 'bad Kubernetes version', file: 'version.yaml', content: edge([/kubernetesVersion: [0-9.]+/, 'kubernetesVersion: latest']), expect: [/clusters\[0\]\.kubernetesVersion: must be a Kubernetes version/] },
  { name: 'unsupported Kubernetes minor', file: 'minor.yaml', content: edge([/kubernetesVersion: [0-9.]+/, 'kubernetesVersion: 1.20.0']), expect: [/clusters\[0\]\.kubernetesVersion: unsupported Kubernetes version/] },
  { name: 'bad CIDR', file: 'cidr.yaml', content: edge(['nodeCidr: 10.30.0.0/22', 'nodeCidr: 10.30.0.0']), expect: [/network\.nodeCidr: must be a CIDR/] },
  { name: 'overlapping CIDRs', file: 'overlap.yaml', content: edge(['nodeCidr: 10.30.0.0/22', 'nodeCidr: 10.244.0.0/22']), expect: [/network\.podCidr: overlaps nodeCidr/] },
  { name: 'even control-plane replicas', file: 'replicas.yaml', content: edge(['replicas: 3', 'replicas: 4']), expect: [/controlPlane\.replicas: must be 1, 3, 5 or 7/] },
  { name: 'unknown SKU', file: 'sku.yaml', content: edge(['sku: general-4x16', 'sku: general-9x99']), expect: [/nodePools\[0\]\.sku: .*general-9x99/] },
  { name: 'upper-case names', file: 'names.yaml', content: edge(['- name: edge-lab', '- name: Edge_Lab']), expect: [/clusters\[0\]\.name: must be a DNS-1123 label/] },
  { name: 'bad taint effect', file: 'taint.yaml', content: edge(['autoscaling: { min: 2, max: 10 }', 'autoscaling: { min: 2, max: 10 }\n            taints: [{ key: a, effect: Sometimes }]']), expect: [/nodePools\[0\]\.taints\[0\]\.effect: /] },
  { name: 'bad cron schedule', file: 'cron.yaml', content: edge(['          replicas: 3', '          replicas: 3\n          etcd: { backup: { schedule: "every hour" } }']), expect: [/controlPlane\.etcd\.backup\.schedule: /] },
  { name: 'bad Go duration', file: 'duration.yaml', content: edge(['autoscaling: { min: 2, max: 10 }', 'autoscaling: { min: 2, max: 10 }\n            kubelet: { evictionSoftGracePeriod: { memory.available: soon } }']), expect: [/kubelet\.evictionSoftGracePeriod\.memory\.available: must be a Go duration/] },
  { name: 'no SKU big enough for the control plane', file: 'cpsku.yaml', content: edge(['autoscaling: { min: 2, max: 10 }', 'autoscaling: { min: 2, max: 3000 }']), expect: [/environments\[0\]\.clusters\[0\]\.controlPlane\.flavor: not set, and no non-GPU SKU/] },
  { name: 'OpenStack SKU without a flavor', file: 'flavor.yaml', content: edge(['    flavor: m1.large\n', '']), expect: [/environments\[0\]\.clusters\[0\]\.nodePools\[0\]\.sku: SKU general-4x16 has no flavor/] },
  { name: 'quota far above capacity', file: 'overcommit.yaml', content: edge(['requests.memory: 32Gi', 'requests.memory: 9000Gi']), expect: [/tenants\[0\]\.quota\.requests\.memory: shared pools/] },
  { name: 'several errors at once', file: 'many.yaml', content: edge(['replicas: 3', 'replicas: 4'], ['cpu: 4', 'cpu: four'], ['nodeCidr: 10.30.0.0/22', 'nodeCidr: 10.244.0.0/22']), expect: [/invalid spec, [3-9] error\(s\)/, /skus\.general-4x16\.cpu: /, /controlPlane\.replicas: /, /network\.podCidr: /] },
  // -- and valid ones, on which both commands succeed
  { name: 'the YAML example', file: 'edge-lab.yaml', content: EDGE, expect: 'ok' },
  { name: 'a JSON spec', file: 'edge-lab.json', content: JSON.stringify(require('yaml').parse(EDGE)), expect: 'ok' },
];

export const MISUSE_CASES: MisuseCase[] = [
  { name: 'no command', args: () => [], status: 1, expect: [/Usage: kprod/] },
  { name: 'unknown command', args: () => ['synthesize'], status: 1, expect: [/error: unknown command 'synthesize'/] },
  { name: 'unknown option', args: () => ['synth', '--spec', 'x.yaml', '--output', 'dist'], status: 1, expect: [/error: unknown option '--output'/] },
  { name: 'missing --spec', args: () => ['validate'], status: 1, expect: [/error: required option '--spec <file>' not specified/] },
  { name: '--spec without a value', args: () => ['synth', '--spec'], status: 1, expect: [/error: option '--spec <file>' argument missing/] },
  { name: '--workers zero', args: () => ['synth', '--spec', 'examples/clusters/edge-lab.yaml', '--workers', '0'], status: 1, expect: [/option '--workers <n>' argument '0' is invalid\. must be an integer ≥ 1/] },
  { name: '--workers not a number', args: () => ['synth', '--spec', 'examples/clusters/edge-lab.yaml', '--workers', 'many'], status: 1, expect: [/argument 'many' is invalid/] },
  { name: 'extra argument', args: () => ['validate', '--spec', 'examples/clusters/edge-lab.yaml', 'extra'], status: 1, expect: [/error: too many arguments for 'validate'/] },
];
