/**
 * What each root Application of the benchmark fleet (fleet-gen.ts) holds, in the flat and the
 * per-cluster Argo CD layout (docs/gitops-scale.md): objects and bytes directly in `<env>/argocd/`,
 * and the largest folder a cluster Application renders. Not a benchmark: every cluster is built
 * once and its share of `argocd/` placed both ways.
 *
 *   node build/bench/argocd-root-size.js [clusters]     (default 100)
 */
import { chartReposOf, clusterArgocdFiles, rootArgocdFiles, synthClusterFiles } from '../constructs/fleet';
import { parseFleet, type EnvironmentSpec } from '../lib/spec';
import { generateFleet } from './fleet-gen';

const LAYOUTS = ['flat', 'per-cluster'] as const;

interface Folder {
  files: number;
  applications: number;
  bytes: number;
}

const empty = (): Folder => ({ files: 0, applications: 0, bytes: 0 });

function add(folders: Map<string, Folder>, file: string, text: string): void {
  const dir = file.slice(0, file.lastIndexOf('/'));
  const f = folders.get(dir) ?? empty();
  f.files++;
  f.bytes += Buffer.byteLength(text);
  if (file.slice(dir.length + 1).startsWith('application_')) f.applications++;
  folders.set(dir, f);
}

function main(): void {
  const clusters = Number(process.argv[2] ?? 100);
  const { spec } = parseFleet(generateFleet({ clusters }));
  console.log(`benchmark fleet, ${clusters} clusters`);
  console.log('layout       environment  clusters  root: objects  Applications  kB     largest cluster folder: objects  kB');
  spec.environments.forEach((environment, e) => {
    const folders = new Map(LAYOUTS.map((l) => [l, new Map<string, Folder>()]));
    const variant = (layout: (typeof LAYOUTS)[number]): EnvironmentSpec => ({ ...environment, gitops: { ...environment.gitops, argocd: { ...environment.gitops.argocd, layout } } });
    const repos = new Set<string>();
    environment.clusters.forEach((cluster, c) => {
      const built = synthClusterFiles(spec, e, c);
      for (const layout of LAYOUTS)
        for (const [file, text] of clusterArgocdFiles(variant(layout), cluster.name, built.gitopsFolders, built.applications).files) add(folders.get(layout)!, file, text);
      for (const repo of chartReposOf(built.applications)) repos.add(repo);
    });
    for (const layout of LAYOUTS) {
      const byDir = folders.get(layout)!;
      for (const [file, text] of rootArgocdFiles(variant(layout), [...repos].sort())) add(byDir, file, text);
      const root = byDir.get(`${environment.name}/argocd`) ?? empty();
      const others = [...byDir.entries()].filter(([d]) => d !== `${environment.name}/argocd`).map(([, f]) => f);
      const largest = others.reduce((a, b) => (b.files > a.files ? b : a), empty());
      const kB = (n: number) => (n / 1024).toFixed(0);
      const cell = (text: string, width: number) => (others.length ? text : '-').padStart(width);
      console.log(
        `${layout.padEnd(12)} ${environment.name.padEnd(12)} ${String(environment.clusters.length).padStart(8)}  ${String(root.files).padStart(13)}  ${String(root.applications).padStart(12)}  ${kB(root.bytes).padStart(5)}  ${cell(String(largest.files), 31)}  ${cell(kB(largest.bytes), 3)}`,
      );
    }
  });
}

main();
