import { parse } from 'yaml';
import { synthFleet } from '../../../constructs/fleet';
import { parseFleet } from '../../../lib/spec';
import { minorSupport } from '../../../lib/versions/matrix';
import { exampleFleet } from '../../helpers/fleet';

function synth(input: unknown) {
  return synthFleet(parseFleet(input).spec).files;
}

/** The sync waves of a cluster page's Mermaid diagram, in the order of its edges. */
function mermaidWaves(page: string): number[] {
  const chart = /```mermaid\n([\s\S]*?)```/.exec(page)![1];
  const id = (s: string) => Number(s.replace(/^wm/, '-').replace(/^w/, ''));
  const edges = [...chart.matchAll(/^ {2}(\w+) --> (\w+)$/gm)].map((m) => [id(m[1]), id(m[2])]);
  return [edges[0][0], ...edges.map((e) => e[1])];
}

describe('the reviewer pages: dist/<env>/README.md and dist/<env>/<cluster>/README.md', () => {
  const input = exampleFleet();
  const files = synth(input);
  const cluster = input.environments[0].clusters[0];
  const prod = files.get(`prod/${cluster.name}/README.md`)!;
  const index = files.get('prod/README.md')!;

  it('are one index per environment, beside its argocd folder, and one page per cluster, in its folder', () => {
    const pages = [...files.keys()].filter((f) => f.endsWith('/README.md') && !f.includes('/runbooks/'));
    const clusters = input.environments.flatMap((e: any) => e.clusters.map((c: any) => `${e.name}/${c.name}/README.md`));
    expect(pages.sort()).toEqual(['prod/README.md', 'staging/README.md', ...clusters].sort());
    expect(prod.startsWith(`# ${input.name} / prod / ${cluster.name}\n`)).toBe(true);
    expect(prod).toContain(`Part of [${input.name} / prod](../README.md).`);
  });

  it('the index has a row per cluster, linked to its page, and none of the cluster details', () => {
    for (const c of input.environments[0].clusters) expect(index).toContain(`| [${c.name}](${c.name}/README.md) | ${c.kubernetesVersion} |`);
    expect(index).not.toContain('## Node pools');
    expect(index).not.toContain('```mermaid');
  });

  it('no Application applies them: none points at an environment folder or a cluster folder itself', () => {
    const paths = [...files.entries()].filter(([f]) => f.includes('/argocd/')).map(([, t]) => parse(t)?.spec?.source?.path).filter(Boolean);
    expect(paths.length).toBeGreaterThan(5);
    for (const env of input.environments) {
      expect(paths).not.toContain(`dist/${env.name}`);
      for (const c of env.clusters) expect(paths).not.toContain(`dist/${env.name}/${c.name}`);
    }
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
    const waves = mermaidWaves(prod);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    const apps = [...files.entries()].filter(([f]) => f.startsWith('prod/argocd/')).map(([, t]) => parse(t)).filter((a) => a.metadata.labels?.['kprod.io/cluster'] === cluster.name);
    expect(new Set(waves)).toEqual(new Set(apps.map((a) => Number(a.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0))));
    for (const a of apps) expect(prod).toContain(a.metadata.name.replace(`${cluster.name}-`, ''));
  });

  it('are deterministic, and a change in one cluster changes only its page', () => {
    const pages = (tree: Map<string, string>) => new Map([...tree].filter(([f]) => f.endsWith('README.md')));
    expect(pages(synth(exampleFleet()))).toEqual(pages(files));
    const changed = exampleFleet();
    changed.environments[0].clusters[0].tenants[0].quota['requests.cpu'] = '30';
    const again = pages(synth(changed));
    const differ = [...again].filter(([f, text]) => files.get(f) !== text).map(([f]) => f);
    expect(differ).toEqual([`prod/${cluster.name}/README.md`]);
    expect(again.get(`prod/${cluster.name}/README.md`)).toContain('| payments | 2 | general, search | 60 / ');
  });
});
