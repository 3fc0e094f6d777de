import fc from 'fast-check';
import { parse } from 'yaml';
import { synthFleet } from '../../../constructs/fleet';
import { parseFleet } from '../../../lib/spec';
import { withoutTrailingSpace } from '../../../lib/report/environment-readme';
import { minorSupport } from '../../../lib/versions/matrix';
import { exampleFleet } from '../../helpers/fleet';

function synth(input: unknown) {
  return synthFleet(parseFleet(input).spec).files;
}

/** The sync waves of one cluster's Mermaid diagram, in the order of its edges. */
function mermaidWaves(readme: string, cluster: string): number[] {
  const section = readme.split(`## ${cluster}\n`)[1];
  const chart = /```mermaid\n([\s\S]*?)```/.exec(section)![1];
  const id = (s: string) => Number(s.replace(/^wm/, '-').replace(/^w/, ''));
  const edges = [...chart.matchAll(/^ {2}(\w+) --> (\w+)$/gm)].map((m) => [id(m[1]), id(m[2])]);
  return [edges[0][0], ...edges.map((e) => e[1])];
}

describe('dist/<env>/README.md, the reviewer page', () => {
  const input = exampleFleet();
  const files = synth(input);
  const prod = files.get('prod/README.md')!;
  const cluster = input.environments[0].clusters[0];

  it('is written once per environment, beside its argocd folder', () => {
    expect([...files.keys()].filter((f) => f.endsWith('README.md') && f.split('/').length === 2)).toEqual(['prod/README.md', 'staging/README.md']);
  });

  it('no Application applies it: none points at the environment folder itself', () => {
    const paths = [...files.entries()].filter(([f]) => f.includes('/argocd/')).map(([, t]) => parse(t)?.spec?.source?.path).filter(Boolean);
    expect(paths.length).toBeGreaterThan(5);
    for (const env of input.environments) expect(paths).not.toContain(`dist/${env.name}`);
    // Every Application path is strictly below <env>/ (argocd or a cluster subfolder).
    for (const p of paths) expect(p).toMatch(/^dist\/(prod|staging)\/[^/]+/);
  });

  it('shows the Kubernetes version with its end-of-life date, the control plane and its endpoint', () => {
    const minor = cluster.kubernetesVersion.split('.').slice(0, 2).join('.');
    expect(prod).toContain(`- **Kubernetes** ${cluster.kubernetesVersion}; upstream support (patch releases) ends ${minorSupport(minor)!.endOfLife}`);
    const maxNodes = cluster.nodePools.reduce((n: number, p: any) => n + (p.autoscaling?.max ?? p.replicas ?? 3), 0);
    expect(prod).toMatch(new RegExp(`\\*\\*Control plane\\*\\* ${cluster.controlPlane.replicas} × \`m1\\.large\` \\(SKU \`cp-4x16\`\\), sized for up to ${maxNodes} nodes`));
    const ep = cluster.controlPlane.endpoint;
    expect(prod).toContain(`\`https://${ep.dnsNames[0]}:${ep.port}\` (${ep.mode}, VIP ${ep.vip})`);
    expect(prod).toMatch(/\*\*CIS Kubernetes Benchmark\*\* \d+\/\d+ configuration checks pass/);
  });

  it('lists every pool with capacity → allocatable below capacity', () => {
    for (const pool of cluster.nodePools) {
      const row = prod.split('\n').find((l) => l.startsWith(`| ${pool.name} | ${pool.sku} |`));
      expect(row).toBeDefined();
      const cpu = /\| (\d+) → ([\d.]+) \|/.exec(row!)!;
      expect(Number(cpu[1])).toBe(input.skus[pool.sku].cpu);
      expect(Number(cpu[2])).toBeLessThan(Number(cpu[1]));
    }
  });

  it("sets each tenant's quota (all namespaces) against what its pools supply", () => {
    const payments = cluster.tenants[0];
    const row = prod.split('\n').find((l) => l.startsWith(`| ${payments.name} |`))!;
    const cpuQuota = Number(payments.quota['requests.cpu']) * payments.namespaces.length;
    expect(row).toMatch(new RegExp(`\\| ${payments.namespaces.length} \\| general, search \\| ${cpuQuota} / [\\d.]+ \\([\\d.]+×\\) \\|`));
    // The isolated tenant is set against its dedicated pool only.
    expect(prod.split('\n').find((l) => l.startsWith('| ml |'))).toMatch(/\| 1 \| gpu \| 90 \/ /);
  });

  it('draws the Argo CD sync order with waves ascending and every Application of the cluster in it', () => {
    const waves = mermaidWaves(prod, cluster.name);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    const apps = [...files.entries()].filter(([f]) => f.startsWith('prod/argocd/')).map(([, t]) => parse(t)).filter((a) => a.metadata.labels?.['kprod.io/cluster'] === cluster.name);
    expect(new Set(waves)).toEqual(new Set(apps.map((a) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0))));
    for (const a of apps) expect(prod).toContain(a.metadata.name.replace(`${cluster.name}-`, ''));
  });

  it('is deterministic, and a change in one environment changes only its page', () => {
    expect(synth(exampleFleet()).get('prod/README.md')).toBe(prod);
    const changed = exampleFleet();
    changed.environments[0].clusters[0].tenants[0].quota['requests.cpu'] = '30';
    const again = synth(changed);
    expect(again.get('prod/README.md')).not.toBe(prod);
    expect(again.get('prod/README.md')).toContain('| payments | 2 | general, search | 60 / ');
    expect(again.get('staging/README.md')).toBe(files.get('staging/README.md'));
  });
});

describe('withoutTrailingSpace', () => {
  it('joins to what the joined lines trimmed at the end give, for any lines of text, blanks and whitespace', () => {
    const piece = fc.oneof(fc.constantFrom('', '\n', ' ', '\t', '\n\n', ' \n ', '\u00a0', '\u2028'), fc.string({ maxLength: 12 }), fc.string({ maxLength: 6 }).map((s) => `${s}\n\n`));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (lines) => {
        expect(withoutTrailingSpace(lines).join('\n')).toBe(lines.join('\n').trimEnd());
      }),
      { numRuns: 2000 },
    );
    expect(withoutTrailingSpace(['# a', '', 'b  ', '', ' \n'])).toEqual(['# a', '', 'b']);
  });
});
