/**
 * Day 2 of `gitops.argocd.layout`: an Application or tenant AppProject whose file moves to another
 * folder of `<env>/argocd/` changes parent Application. What Argo CD v3.5.1 does then (argo-cd
 * `gitops-engine/pkg/sync/sync_context.go`, `controller/appcontroller.go`, `util/app/path/path.go`,
 * checked 2026-12-01):
 *
 * - The new parent applies the object and takes it over (annotation tracking, the default, names
 *   the managing Application in each object).
 * - An old parent that still syncs a folder (the root, in a flat → per-cluster switch) prunes the
 *   object in the same sync that creates the new parents, before they have synced, unless its live
 *   copy carries `Prune=false`. Deleting an Application with `resources-finalizer.argocd.argoproj.io`
 *   (kprod's Helm Applications) cascades: the CNI, monitoring and cloud controller go with it.
 * - An old parent whose folder is gone (a cluster Application in a per-cluster → flat switch) cannot
 *   render its path ("app path does not exist") and is pruned by the root; it carries no finalizer,
 *   so that deletion never cascades. Nothing to refuse.
 *
 * So a move is refused when the old parent keeps syncing and the object's previous file lacks
 * `Prune=false`: the `handover` step (lib/spec/schema/argocd-layout.ts) must come first.
 */
import { parse } from 'yaml';
import { hasNoPrune } from '../gitops/argocd-annotations';
import { layout } from '../gitops/layout';
import { formatPath } from '../spec/errors';
import type { EnvironmentSpec, FleetSpec, SpecIssue } from '../spec';
import type { Tree } from './tree';

/** One object of `<env>/argocd/` at a new path. */
interface ArgocdMove {
  readonly from: string;
  readonly to: string;
  /** The object's previous file. */
  readonly previous: string;
}

const dirOf = (file: string) => file.slice(0, file.lastIndexOf('/'));
const baseOf = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/** The one issue of an environment whose moves the old parent would prune; none when every such object carries Prune=false. */
function moveIssues(env: EnvironmentSpec, envIndex: number, moves: readonly ArgocdMove[], parentStays: (dir: string) => boolean): SpecIssue[] {
  const unprotected = moves.filter((m) => parentStays(dirOf(m.from)) && !hasNoPrune(parse(m.previous)));
  if (unprotected.length === 0) return [];
  const root = `${layout.argocdDir(env.name)}/`;
  return [
    {
      path: formatPath(['environments', envIndex, 'gitops', 'argocd', 'layout']),
      message:
        `moves Applications and AppProjects out of ${root} while the root Application keeps syncing it: it would prune them before their new parents take them over, ` +
        'and pruning the Helm Applications (resources-finalizer.argocd.argoproj.io) deletes what they installed. ' +
        'First synth with gitops.argocd.handover: true and the current layout, commit and let Argo CD sync it; then switch the layout and drop handover',
      value: env.gitops.argocd.layout,
      severity: 'error',
    },
  ];
}

/**
 * The move issues of one cluster as the streaming synth builds it: `paths` are the cluster's new
 * files of `<env>/argocd/`, `previous` the tree on disk (`has` is called for every path, `read` only
 * for a moved one). An object can only have come from the environment's folder or the cluster's own.
 */
export function clusterArgocdMoveIssues(
  fleet: FleetSpec,
  envIndex: number,
  clusterIndex: number,
  paths: readonly string[],
  previous: { has(file: string): boolean; read(file: string): string | undefined },
): SpecIssue[] {
  const env = fleet.environments[envIndex];
  const root = layout.argocdDir(env.name);
  const own = layout.clusterArgocdDir(env.name, env.clusters[clusterIndex].name);
  // All in the root folder (flat): anything moved came from the cluster's folder, which is gone.
  if (paths.every((p) => dirOf(p) === root)) return [];
  const moves: ArgocdMove[] = [];
  for (const to of paths) {
    if (previous.has(to)) continue;
    const from = `${dirOf(to) === root ? own : root}/${baseOf(to)}`;
    const text = previous.has(from) ? previous.read(from) : undefined;
    if (text !== undefined) moves.push({ from, to, previous: text });
  }
  const dirs = new Set(paths.map(dirOf));
  return moveIssues(env, envIndex, moves, (dir) => dir === root || dirs.has(dir));
}

/** The move issues of whole trees (`kprod plan`): one per environment at most. */
export function argocdMoveIssues(previous: Tree, next: Tree, fleet: FleetSpec): SpecIssue[] {
  return fleet.environments.flatMap((env, e) => {
    const root = `${layout.argocdDir(env.name)}/`;
    const before = new Map<string, string>();
    for (const file of previous.keys()) if (file.startsWith(root) && !next.has(file)) before.set(baseOf(file), file);
    const dirs = new Set<string>();
    const moves: ArgocdMove[] = [];
    for (const to of next.keys()) {
      if (!to.startsWith(root)) continue;
      dirs.add(dirOf(to));
      const from = previous.has(to) ? undefined : before.get(baseOf(to));
      if (from) moves.push({ from, to, previous: previous.get(from)! });
    }
    return moveIssues(env, e, moves, (dir) => dirs.has(dir));
  });
}
