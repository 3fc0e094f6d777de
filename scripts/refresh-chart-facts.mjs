#!/usr/bin/env node
/**
 * Regenerates upstream/charts/<chart>-<version>.json from mirrors of the charts' GitHub
 * repositories: node scripts/refresh-chart-facts.mjs <mirror-dir>
 * where <mirror-dir>/<owner>+<name>/repo is a (bare) git clone of each repository below.
 *
 * Each fact records the chart at one git tag: the commit and its date, every values key path
 * (values.yaml and values.schema.json), the keys whose value is free-form ({} / [] / null, or
 * `additionalProperties` in the schema), the `.Values` paths the templates read and those they
 * render whole (toYaml / omit), the API groups of the CRDs the chart ships, and the custom
 * resources its templates render with the `if` conditions around them, the ConfigMap keys its
 * containers read (`configMapKeyRef`), the environment variables it sets from values, and the
 * chart's appVersion. A chart whose application kprod configures through those keys (argo-cd) also
 * records facts of the application's own source at that appVersion (`app`, see APP_FACTS), from a
 * mirror of the application's repository. Only these derived facts are kept; no upstream text is
 * copied.
 *
 * To bump a chart: change its pin in lib/versions (pins.ts / matrix.ts) and its entry below,
 * fetch the repository, run this script; test/unit/versions/upstream-facts.test.ts then checks
 * every values key kprod sets against the new facts. `--only <chart>` refreshes one chart.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

const CHECKED = '2026-12-01';
/** Every chart kprod installs, at the tag of its pin. `dir` is the chart folder at `ref`; `tgz` a packaged chart file at `ref`. */
export const CHARTS = [
  { chart: 'tigera-operator', version: 'v3.32.1', repo: 'projectcalico/calico', ref: 'v3.32.1', dir: 'charts/tigera-operator' },
  { chart: 'crd.projectcalico.org.v1', version: 'v3.32.1', repo: 'projectcalico/calico', ref: 'v3.32.1', dir: 'charts/crd.projectcalico.org.v1' },
  { chart: 'cilium', version: '1.19.6', repo: 'cilium/charts', ref: 'master', tgz: 'cilium-1.19.6.tgz' },
  { chart: 'openstack-cloud-controller-manager', version: '2.35.0', repo: 'kubernetes/cloud-provider-openstack', ref: 'openstack-cloud-controller-manager-2.35.0', dir: 'charts/openstack-cloud-controller-manager' },
  { chart: 'openstack-cloud-controller-manager', version: '2.36.0', repo: 'kubernetes/cloud-provider-openstack', ref: 'openstack-cloud-controller-manager-2.36.0', dir: 'charts/openstack-cloud-controller-manager' },
  { chart: 'kube-prometheus-stack', version: '88.5.3', repo: 'prometheus-community/helm-charts', ref: 'kube-prometheus-stack-88.5.3', dir: 'charts/kube-prometheus-stack' },
  { chart: 'headlamp', version: '0.45.0', repo: 'kubernetes-sigs/headlamp', ref: 'headlamp-helm-0.45.0', dir: 'charts/headlamp' },
  { chart: 'cluster-api-operator', version: '0.28.0', repo: 'kubernetes-sigs/cluster-api-operator', ref: 'v0.28.0', dir: 'hack/charts/cluster-api-operator' },
  { chart: 'cert-manager', version: 'v1.21.1', repo: 'cert-manager/cert-manager', ref: 'v1.21.1', dir: 'deploy/charts/cert-manager' },
  { chart: 'argo-cd', version: '10.1.1', repo: 'argoproj/argo-helm', ref: 'argo-cd-10.1.1', dir: 'charts/argo-cd', app: 'argoproj/argo-cd' },
  { chart: 'nvidia-device-plugin', version: '0.20.0', repo: 'NVIDIA/k8s-device-plugin', ref: 'v0.20.0', dir: 'deployments/helm/nvidia-device-plugin' },
];

const isMap = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Key paths of a values tree; arrays and scalars end a path; {} / [] / null are free-form. */
export function valuesKeys(tree, prefix = '', keys = new Set(), open = new Set()) {
  for (const [k, v] of Object.entries(tree ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    keys.add(p);
    if (isMap(v)) {
      if (Object.keys(v).length === 0) open.add(p);
      else valuesKeys(v, p, keys, open);
    } else if (v === null || (Array.isArray(v) && v.length === 0)) open.add(p);
  }
  return { keys, open };
}

/** Property paths of a JSON schema; `additionalProperties` (true or a schema) marks a free-form map. */
function schemaKeys(schema, prefix, keys, open, defs, depth = 0) {
  if (!isMap(schema) || depth > 40) return;
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref.replace(/^#\/(\$defs|definitions)\//, '');
    return schemaKeys(defs[target], prefix, keys, open, defs, depth + 1);
  }
  for (const sub of [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]) schemaKeys(sub, prefix, keys, open, defs, depth + 1);
  if (prefix && schema.additionalProperties && schema.additionalProperties !== false) open.add(prefix);
  for (const [k, v] of Object.entries(schema.properties ?? {})) {
    const p = prefix ? `${prefix}.${k}` : k;
    keys.add(p);
    schemaKeys(v, p, keys, open, defs, depth + 1);
  }
}

const BUILTIN_GROUP = /(^|\.)k8s\.io$|^(apps|batch|policy|autoscaling|extensions)$/;

/** Reads the templates: `.Values` paths, paths rendered whole, CRD groups and conditional custom resources. */
export function scanTemplates(files) {
  const read = new Set();
  const whole = new Set();
  const crdGroups = new Set();
  const customResources = [];
  const configMapKeys = new Map();
  const envFromValues = new Map();
  for (const [file, text] of files) {
    for (const [name, key] of configMapKeyRefs(text)) configMapKeys.set(name, (configMapKeys.get(name) ?? new Set()).add(key));
    // `- name: VAR` followed by `value: {{ .Values.x ... }}`: a variable the chart derives from a value
    for (const m of text.matchAll(/-\s+name:\s*([A-Z_][A-Z0-9_]*)\s*\n\s*value:\s*\{\{-?\s*\.Values((?:\.[A-Za-z_][\w-]*)+)/g))
      envFromValues.set(m[1], (envFromValues.get(m[1]) ?? new Set()).add(m[2].slice(1)));
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) read.add(m[1].slice(1));
    for (const m of text.matchAll(/(?:toYaml|omit|toJson|tpl\s*\(\s*toYaml)\s+\(?\s*\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) whole.add(m[1].slice(1));
    for (const m of text.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)\s*\|\s*(?:toYaml|toJson)/g)) whole.add(m[1].slice(1));
    // `with .Values.x` ... `toYaml .` renders x whole too
    for (const m of text.matchAll(/\{\{-?\s*with\s+\.Values((?:\.[A-Za-z_][\w-]*)+)\s*-?\}\}([\s\S]*?)\{\{-?\s*end/g))
      if (/(toYaml|toJson)\s+\.\s*(\||-?\}\})/.test(m[2])) whole.add(m[1].slice(1));
    if (/kind:\s*CustomResourceDefinition/.test(text)) for (const m of text.matchAll(/^\s*group:\s*["']?([a-z0-9.-]+)["']?\s*$/gm)) crdGroups.add(m[1]);
    // custom resources with the `if` conditions open around them (template actions may span lines)
    const stack = [];
    let apiVersion;
    for (const line of text.replace(/\{\{[\s\S]*?\}\}/g, (a) => a.replace(/\s*\n\s*/g, ' ')).split('\n')) {
      for (const m of line.matchAll(/\{\{-?\s*(if|with|range|else if|else|end)\b([^}]*?)-?\}\}/g)) {
        const [, word, expr] = m;
        if (word === 'if' || word === 'with' || word === 'range') stack.push(word === 'if' ? expr.trim() : `${word} ${expr.trim()}`);
        else if (word === 'end') stack.pop();
        else if (stack.length) stack[stack.length - 1] = `else ${stack[stack.length - 1]}`;
      }
      const av = line.match(/^apiVersion:\s*["']?([a-z0-9.-]+)\/[a-z0-9]+["']?\s*$/);
      if (av) apiVersion = av[1];
      const kind = line.match(/^kind:\s*["']?(\w+)["']?\s*$/);
      if (kind && apiVersion) {
        if (!BUILTIN_GROUP.test(apiVersion) && apiVersion.includes('.') && kind[1] !== 'CustomResourceDefinition')
          customResources.push({ group: apiVersion, kind: kind[1], file, when: [...stack] });
        apiVersion = undefined;
      }
    }
  }
  return { read, whole, crdGroups, customResources, configMapKeys, envFromValues };
}

/** [ConfigMap name, key] of every `configMapKeyRef` with a literal name and key (either order). */
export function configMapKeyRefs(text) {
  const refs = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const head = line.match(/^(\s*)configMapKeyRef:\s*$/);
    if (!head) return;
    const fields = {};
    for (let j = i + 1; j < lines.length; j++) {
      const f = lines[j].match(/^(\s*)(name|key|optional):\s*(.*?)\s*$/);
      if (!f || f[1].length <= head[1].length) break;
      fields[f[2]] = f[3].replace(/^["']|["']$/g, '');
    }
    const literal = (v) => v && !v.includes('{{');
    if (literal(fields.name) && literal(fields.key)) refs.push([fields.name, fields.key]);
  });
  return refs;
}

const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const gitBuf = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { maxBuffer: 256 * 1024 * 1024 });

/** Files of the chart at its ref: { path -> text }, path relative to the chart root. */
function chartFiles(mirror, c) {
  const out = new Map();
  if (c.dir) {
    // Helm packages follow symlinks (Calico's CRD chart links its CRD folder), so this does too.
    const add = (dir, as) => {
      for (const row of git(mirror, 'ls-tree', '-r', c.ref, '--', dir).split('\n').filter(Boolean)) {
        const [meta, path] = row.split('\t');
        const target = `${as}/${relative(dir, path)}`;
        if (meta.startsWith('120000')) add(posix.normalize(posix.join(posix.dirname(path), git(mirror, 'show', `${c.ref}:${path}`).trim())), target);
        else out.set(relative(c.dir, target), git(mirror, 'show', `${c.ref}:${path}`));
      }
    };
    add(c.dir, c.dir);
    return out;
  }
  const tmp = mkdtempSync(join(tmpdir(), 'chart-'));
  try {
    writeFileSync(join(tmp, 'chart.tgz'), gitBuf(mirror, 'show', `${c.ref}:${c.tgz}`));
    execFileSync('tar', ['-xzf', 'chart.tgz'], { cwd: tmp });
    const root = join(tmp, c.chart);
    const walk = (d) => readdirSync(d).forEach((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : out.set(relative(root, join(d, n)), readFileSync(join(d, n), 'utf8'))));
    walk(root);
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const get = (tree, path) => path.split('.').reduce((o, k) => (isMap(o) ? o[k] : undefined), tree);
const sortedMap = (m) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, [...v].sort()]));

function must(value, what) {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) throw new Error(`refresh-chart-facts: ${what} not found upstream; review what kprod relies on before recording`);
  return value;
}

/**
 * Facts of a chart's application at the chart's appVersion, by application repository. Argo CD
 * (what stacks/bootstrap/argocd-controller.ts relies on): the sharding algorithm names the
 * controller accepts and its default, the processor counts it uses when argocd-cmd-params-cm
 * sets none, the fields it reads from a cluster Secret, and the in-cluster server address.
 */
const APP_FACTS = {
  'argoproj/argo-cd': (show) => {
    const common = show('common/common.go');
    const constant = (name) => must(new RegExp(`\\b${name}\\s*=\\s*"([^"]+)"`).exec(common)?.[1], `common.${name}`);
    const sharding = show('controller/sharding/sharding.go');
    const dist = must(/func GetDistributionFunction[\s\S]*?\n}\n/.exec(sharding)?.[0], 'GetDistributionFunction');
    const shardingAlgorithms = [...dist.matchAll(/case common\.(\w+):/g)].map((m) => constant(m[1])).sort();
    must(shardingAlgorithms, 'sharding algorithms of GetDistributionFunction');
    const defaultName = must(/\bDefaultShardingAlgorithm\s*=\s*(\w+)/.exec(common)?.[1], 'DefaultShardingAlgorithm');
    const cmd = show('cmd/argocd-application-controller/commands/argocd_application_controller.go');
    const processorDefaults = {};
    for (const flag of ['status-processors', 'operation-processors']) {
      const m = must(new RegExp(`"${flag}",\\s*env\\.ParseNumFromEnv\\("(\\w+)",\\s*(\\d+)`).exec(cmd), `--${flag} default`);
      processorDefaults[flag] = { env: m[1], default: Number(m[2]) };
    }
    const db = show('util/db/cluster.go');
    const toCluster = must(/func SecretToCluster[\s\S]*?\n}\n/.exec(db)?.[0], 'SecretToCluster');
    const clusterSecretFields = [...new Set([...toCluster.matchAll(/s\.Data\["(\w+)"\]/g)].map((m) => m[1]))].sort();
    must(clusterSecretFields.includes('shard') ? clusterSecretFields : undefined, 'the shard field of a cluster Secret');
    const defaults = show('pkg/apis/application/v1alpha1/application_defaults.go');
    const inClusterServer = must(/KubernetesInternalAPIServerAddr\s*=\s*"([^"]+)"/.exec(defaults)?.[1], 'KubernetesInternalAPIServerAddr');
    const inClusterName = must(/KubernetesInClusterName\s*=\s*"([^"]+)"/.exec(defaults)?.[1], 'KubernetesInClusterName');
    return { shardingAlgorithms, defaultShardingAlgorithm: constant(defaultName), processorDefaults, clusterSecretFields, inClusterServer, inClusterName };
  },
};

function appFacts(mirrorDir, repo, ref) {
  const mirror = join(mirrorDir, repo.replace('/', '+'), 'repo');
  const commit = git(mirror, 'rev-parse', `${ref}^{commit}`).trim();
  const date = git(mirror, 'log', '-1', '--format=%cs', commit).trim();
  return { repo, ref, commit, date, ...APP_FACTS[repo]((path) => git(mirror, 'show', `${ref}:${path}`)) };
}

function facts(mirrorDir, c) {
  const mirror = join(mirrorDir, c.repo.replace('/', '+'), 'repo');
  const commit = git(mirror, 'rev-parse', `${c.ref}^{commit}`).trim();
  const date = git(mirror, 'log', '-1', '--format=%cs', commit).trim();
  const files = chartFiles(mirror, c);
  const values = files.has('values.yaml') ? (parseAllDocuments(files.get('values.yaml'))[0]?.toJS() ?? {}) : {};
  const { keys, open } = valuesKeys(values);
  if (files.has('values.schema.json')) {
    const schema = JSON.parse(files.get('values.schema.json'));
    schemaKeys(schema, '', keys, open, { ...(schema.definitions ?? {}), ...(schema.$defs ?? {}) });
  }
  const templates = [...files].filter(([p]) => p.startsWith('templates/') || p.startsWith('crds/') || /^charts\/[^/]+\/(templates|crds)\//.test(p));
  const scan = scanTemplates(templates.filter(([p]) => !/\/tests?\//.test(p)));
  for (const [p, text] of templates) if (/(^|\/)crds\//.test(p)) for (const m of text.matchAll(/^\s*group:\s*["']?([a-z0-9.-]+)["']?\s*$/gm)) scan.crdGroups.add(m[1]);
  // defaults of the values the custom resources' conditions read
  const conditionDefaults = {};
  for (const cr of scan.customResources.filter((r) => !scan.crdGroups.has(r.group))) for (const w of cr.when) for (const m of w.matchAll(/\.Values((?:\.[A-Za-z_][\w-]*)+)/g)) conditionDefaults[m[1].slice(1)] = get(values, m[1].slice(1)) ?? null;
  const sorted = (s) => [...s].sort();
  const chartYaml = files.has('Chart.yaml') ? (parseAllDocuments(files.get('Chart.yaml'))[0]?.toJS() ?? {}) : {};
  const appVersion = chartYaml.appVersion === undefined ? null : String(chartYaml.appVersion);
  return {
    chart: c.chart,
    version: c.version,
    source: { repo: c.repo, ref: c.ref, path: c.dir ?? c.tgz, commit, date },
    checked: CHECKED,
    valuesKeys: sorted(keys),
    openKeys: sorted(open),
    templateKeys: sorted(scan.read),
    wholeKeys: sorted(scan.whole),
    crdGroups: sorted(scan.crdGroups),
    // only custom resources whose CRDs the chart does not ship itself need another source
    customResources: scan.customResources.filter((r) => !scan.crdGroups.has(r.group)).sort((a, b) => `${a.group}/${a.kind}/${a.file}`.localeCompare(`${b.group}/${b.kind}/${b.file}`)),
    conditionDefaults: Object.fromEntries(Object.entries(conditionDefaults).sort(([a], [b]) => a.localeCompare(b))),
    appVersion,
    configMapKeys: sortedMap(scan.configMapKeys),
    envFromValues: sortedMap(scan.envFromValues),
    ...(c.app ? { app: appFacts(mirrorDir, c.app, must(appVersion, `${c.chart} appVersion`)) } : {}),
  };
}

const argv = process.argv.slice(2);
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv.splice(onlyAt, 2)[1] : undefined;
const mirrorDir = argv[0];
if (!mirrorDir || (onlyAt >= 0 && !CHARTS.some((c) => c.chart === only))) {
  console.error('usage: node scripts/refresh-chart-facts.mjs <mirror-dir> [--only <chart>]  (holding <owner>+<name>/repo git mirrors)');
  process.exit(2);
}
const out = new URL('../upstream/charts/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });
for (const c of CHARTS.filter((c) => !only || c.chart === only)) {
  const f = facts(mirrorDir, c);
  writeFileSync(join(out, `${c.chart}-${c.version}.json`), `${JSON.stringify(f, null, 2)}\n`);
  console.log(`${c.chart} ${c.version}: ${f.valuesKeys.length} values keys, ${f.crdGroups.length} CRD groups, ${f.customResources.length} custom resources (${f.source.commit.slice(0, 12)}, ${f.source.date})`);
}
